import { loadConfigOrExit } from '@clientsocket/config';
import { createLogger, createMetricsRegistry, createReaperMetrics, installProcessHandlers, nodeIdFor } from '@clientsocket/observability';
import { BullInboundProducer } from '@clientsocket/queue';
import { closeRedis, createClusterContext, createRedisClient, Reaper } from '@clientsocket/store';
import { Gateway } from './gateway-server.js';
import { loadClientScript } from './client-script.js';

const config = loadConfigOrExit();
const nodeId = nodeIdFor('gateway', config.NODE_NAME, config.GATEWAY_PORT);
const log = createLogger({ role: 'gateway', node: nodeId, level: config.LOG_LEVEL });
const registry = createMetricsRegistry({ role: 'gateway', node: nodeId });

const context = await createClusterContext(config, { nodeId, holdsConnections: true, onError: (err) => log.warn({ err }, 'redis error') });
const producerConnection = createRedisClient(config, 'producer', 'producer');
producerConnection.on('error', (err: unknown) => log.warn({ err }, 'redis producer error'));
const producer = new BullInboundProducer(producerConnection, config.KEY_PREFIX, config);
const gateway = new Gateway({ config, context, producer, log, registry, clientScript: loadClientScript });
const reaperMetrics = createReaperMetrics(registry);
const reaper = new Reaper(context.store, context.pusher, {
  onExpired: (sockets) => reaperMetrics.observe(sockets),
  onError: (err) => log.warn({ err }, 'reaper round failed'),
});

installProcessHandlers(
  log,
  async () => {
    reaper.stop();
    await gateway.drain(config.SHUTDOWN_GRACE_MS);
    await producer.close();
    await closeRedis(producerConnection);
    await context.close();
  },
  config.SHUTDOWN_GRACE_MS,
);

const port = await gateway.listen(config.GATEWAY_PORT, config.HOST);
reaper.start();
log.info({ port, publicUrl: config.PUBLIC_GATEWAY_URL }, 'listening');
