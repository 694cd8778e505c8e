import type { Router } from 'express';
import { loadConfigOrExit } from '@clientsocket/config';
import { createLogger, createMetricsRegistry, createReaperMetrics, installProcessHandlers, nodeIdFor } from '@clientsocket/observability';
import { ApiKeyStore, createClusterContext, Reaper } from '@clientsocket/store';
import { createApiApp } from './api-app.js';
import { loadPages } from './load-pages.js';

const config = loadConfigOrExit();
const nodeId = nodeIdFor('api', config.NODE_NAME, config.API_PORT);
const log = createLogger({ role: 'api', node: nodeId, level: config.LOG_LEVEL });
const registry = createMetricsRegistry({ role: 'api', node: nodeId });

const context = await createClusterContext(config, { nodeId, holdsConnections: false, onError: (err) => log.warn({ err }, 'redis error') });
const apiKeys = new ApiKeyStore(context.redis, context.keys, config.API_KEYS);
const pages: Router | undefined = await loadPages(config, context, log);
const app = createApiApp({ config, context, apiKeys, log, registry, ...(pages ? { pages } : {}) });
const reaperMetrics = createReaperMetrics(registry);
const reaper = new Reaper(context.store, context.pusher, {
  onExpired: (sockets) => reaperMetrics.observe(sockets),
  onError: (err) => log.warn({ err }, 'reaper round failed'),
});

const server = app.listen(config.API_PORT, config.HOST);
await new Promise<void>((resolve, reject) => {
  server.once('listening', resolve);
  server.once('error', reject);
});
reaper.start();
const address = server.address();
log.info({ port: typeof address === 'object' && address ? address.port : config.API_PORT, keys: config.API_KEYS.length }, 'listening');

installProcessHandlers(
  log,
  async () => {
    reaper.stop();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
      // Requests in flight get a moment to finish; keep-alive connections do not hold the exit beyond it.
      setTimeout(() => server.closeAllConnections(), Math.min(2000, config.SHUTDOWN_GRACE_MS)).unref();
    });
    await context.close();
  },
  config.SHUTDOWN_GRACE_MS,
);
