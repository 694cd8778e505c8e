import { createServer } from 'node:http';
import { loadConfigOrExit } from '@clientsocket/config';
import { createLogger, createMetricsRegistry, installProcessHandlers, nodeIdFor, renderMetrics } from '@clientsocket/observability';
import { closeRedis, createClusterContext, createRedisClient } from '@clientsocket/store';
import { DEFAULT_WORKFLOWS_DIR, loadWorkflows } from './workflow-loader.js';
import { WorkflowRunner } from './workflow-runner.js';

const config = loadConfigOrExit();
const nodeId = nodeIdFor('worker', config.NODE_NAME, config.METRICS_PORT);
const log = createLogger({ role: 'worker', node: nodeId, level: config.LOG_LEVEL });
const registry = createMetricsRegistry({ role: 'worker', node: nodeId });

const context = await createClusterContext(config, { nodeId, holdsConnections: false, onError: (err) => log.warn({ err }, 'redis error') });
const connection = createRedisClient(config, 'blocking', 'worker');
connection.on('error', (err: unknown) => log.warn({ err }, 'redis worker connection error'));

const dir = config.WORKFLOWS_DIR ?? DEFAULT_WORKFLOWS_DIR;
const workflows = await loadWorkflows(dir, (file, reason) => log.error({ file, reason }, 'workflow skipped'));
if (workflows.length === 0) log.warn({ dir }, 'no workflows found; messages wait in their queues');
const runner = new WorkflowRunner({ config, connection, managerFor: (pal) => context.managerFor(pal), log, registry });
runner.start(workflows);

const server = createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0];
  if (path === '/metrics') {
    void renderMetrics(registry).then(([type, body]) => res.writeHead(200, { 'content-type': type }).end(body));
  } else if (path === '/healthz') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  } else if (path === '/readyz') {
    void context.ready().then((ok) => res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ ok })));
  } else res.writeHead(404).end();
});
await new Promise<void>((resolve) => server.listen(config.METRICS_PORT, config.HOST, resolve));
const address = server.address();
log.info({ port: typeof address === 'object' && address ? address.port : config.METRICS_PORT, workflows: workflows.map((w) => w.name), dir }, 'listening');

installProcessHandlers(
  log,
  async () => {
    server.close();
    await runner.close();
    await closeRedis(connection);
    await context.close();
  },
  config.SHUTDOWN_GRACE_MS,
);
