import express, { type Express, type Router } from 'express';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { Config } from '@clientsocket/config';
import { prom, renderMetrics, type Logger, type Registry } from '@clientsocket/observability';
import type { ApiKeyStore, ClusterContext } from '@clientsocket/store';
import { authenticate, rateLimitPerPal } from './auth.js';
import { errorHandler, notFound, requestDeadline } from './http-errors.js';
import { socketsRouter } from './routes/sockets-router.js';

export interface ApiAppOptions {
  config: Config;
  context: ClusterContext;
  apiKeys: ApiKeyStore;
  log: Logger;
  registry: Registry;
  /** Extra routes served without API-key auth (pages). */
  pages?: Router;
}

/** The control API as an express app (SPEC §3), plus health, readiness and metrics. */
export function createApiApp(opts: ApiAppOptions): Express {
  const { config, context, log, registry } = opts;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);

  const duration = new prom.Histogram({
    name: 'csc_api_request_duration_seconds',
    help: 'API request duration by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2],
    registers: [registry],
  });
  app.use((req, res, next) => {
    const end = duration.startTimer();
    res.on('finish', () => end({ method: req.method, route: (req.route as { path?: string } | undefined)?.path ?? 'other', status: String(res.statusCode) }));
    next();
  });

  app.get('/healthz', (_req, res) => void res.json({ ok: true }));
  app.get('/readyz', async (_req, res) => {
    const ready = await context.ready();
    res.status(ready ? 200 : 503).json({ ok: ready });
  });
  app.get('/metrics', async (_req, res) => {
    const [type, body] = await renderMetrics(registry);
    res.type(type).send(body);
  });
  if (opts.pages) app.use(opts.pages);

  const limiter = new RateLimiterRedis({
    storeClient: context.redis,
    keyPrefix: context.keys.rateLimit(),
    points: config.API_RATE_LIMIT,
    duration: 1,
    // While Redis is away the limit is kept per node, and the request itself answers 503.
    insuranceLimiter: new RateLimiterMemory({ points: config.API_RATE_LIMIT, duration: 1 }),
  });

  const v1 = express.Router();
  v1.use(requestDeadline(Math.min(1800, config.REDIS_COMMAND_TIMEOUT_MS + 300)));
  v1.use(authenticate(opts.apiKeys));
  v1.use(rateLimitPerPal(limiter));
  v1.use(express.json({ limit: config.MAX_MESSAGE_BYTES * 2 + 16_384, strict: false }));
  v1.use(socketsRouter((pal) => context.managerFor(pal)));
  app.use('/v1', v1);

  app.use(notFound);
  app.use(errorHandler(log));
  return app;
}
