import { fileURLToPath } from 'node:url';
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { ClientSocketError, normalizeIp, resolveClientIp, type CidrList, type ClientSocketData } from '@clientsocket/core';
import type { Logger } from '@clientsocket/observability';
import type { ClusterContext } from '@clientsocket/store';
import { contentSecurityPolicy, gatewayOrigins } from './content-security-policy.js';
import { DemoSessions } from './demo-sessions.js';

/** Options of {@link pagesRouter}. */
export interface PagesRouterOptions {
  /** Serve the demo chat (`/demo`). @default false */
  demoEnabled: boolean;
  /** Configuration the pages read: the public gateway origin and the trusted proxies. */
  config?: { PUBLIC_GATEWAY_URL: string; TRUSTED_PROXIES: CidrList };
  /** The cluster, to create demo sockets when no `createDemoSocket` is given. */
  context?: Pick<ClusterContext, 'managerFor'>;
  log?: Logger;
  /**
   * Creates the socket of one demo page load. Default: a socket of pal
   * `demoPal` in `demoChannel` with receiver workflow `chat`.
   */
  createDemoSocket?: (clientIp: string | null) => Promise<ClientSocketData>;
  /** Pal that owns the demo sockets (its API key shows them on the admin page). @default 'demo' */
  demoPal?: string;
  /** The demo's one chat channel. @default 'demo-chat' */
  demoChannel?: string;
  /**
   * Public gateway origins the demo spreads its tabs over, round-robin,
   * where no load balancer does (the local cluster). @default [PUBLIC_GATEWAY_URL]
   */
  demoGatewayUrls?: readonly string[];
  /** Demo sessions one client IP may open per minute. @default 30 */
  demoSessionsPerMinute?: number;
}

const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));

/** Headers of everything under a page's path, the page's policy included, whichever way a file is reached. */
function pageHeaders(csp: string): RequestHandler {
  return (_req, res, next) => {
    res.setHeader('Content-Security-Policy', csp);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    next();
  };
}

function sendPage(res: Response, file: string): void {
  // The admin page holds an API key: never from a cache.
  res.setHeader('Cache-Control', 'no-store');
  res.sendFile(file, { root: PUBLIC_DIR });
}

function defaultDemoSocket(options: PagesRouterOptions): (clientIp: string | null) => Promise<ClientSocketData> {
  const { context } = options;
  if (!context) throw new Error('pagesRouter: demoEnabled needs createDemoSocket or context');
  const manager = context.managerFor(options.demoPal ?? 'demo');
  const channel = options.demoChannel ?? 'demo-chat';
  // Secure, bound to the IP of its first connection rather than the IP the
  // api saw: a browser may reach the api over ::1 and a gateway over
  // 127.0.0.1, and a demo must not refuse its own tab.
  return async () => (await manager.createClientSocket({ receiverWorkflow: 'chat', channel, secure: true, renewalIncrement: 1 })).toJSON();
}

/**
 * The browser pages of an api node: the admin page (`/admin`) for any pal
 * with an API key, and, when enabled, the demo chat (`/demo`) with its
 * session endpoint `POST /demo/session`. Pages are static HTML, CSS and
 * vanilla JS; the admin page talks to the `/v1` API with the key typed into it.
 *
 * @param options - demo switch and what the demo needs
 * @returns a router to mount at the root of the api app, before its 404 handler
 * @example
 * app.use(pagesRouter({ demoEnabled: config.DEMO_ENABLED, config, context }));
 */
export function pagesRouter(options: PagesRouterOptions): Router {
  const router = Router();
  const adminCsp = contentSecurityPolicy({ scriptOrigins: [], connectOrigins: [], workers: false });
  router.get('/pages.css', pageHeaders(adminCsp), (_req, res) => void res.sendFile('pages.css', { root: PUBLIC_DIR }));
  router.use('/admin', pageHeaders(adminCsp));
  router.get('/admin', (_req, res) => sendPage(res, 'admin/index.html'));
  router.use('/admin', express.static(`${PUBLIC_DIR}admin`, { index: false, redirect: false }));

  if (!options.demoEnabled) return router;

  const trusted: CidrList = options.config?.TRUSTED_PROXIES ?? [];
  const clientIp = (req: Request): string | null =>
    resolveClientIp(req.socket.remoteAddress, req.headers['x-forwarded-for'], trusted) ?? normalizeIp(req.socket.remoteAddress);
  const gatewayUrls = options.demoGatewayUrls ?? (options.createDemoSocket || !options.config ? [] : [options.config.PUBLIC_GATEWAY_URL]);
  const sessions = new DemoSessions(options.createDemoSocket ?? defaultDemoSocket(options), options.demoGatewayUrls ?? []);
  const demoCsp = contentSecurityPolicy({ ...gatewayOrigins(gatewayUrls), workers: true });
  // Each session is a socket in Redis until it expires: a modest per-IP budget keeps a loop from piling them up.
  const sessionLimiter = new RateLimiterMemory({ points: options.demoSessionsPerMinute ?? 30, duration: 60 });

  router.use('/demo', pageHeaders(demoCsp));
  router.get('/demo', (_req, res) => sendPage(res, 'demo/index.html'));
  router.use('/demo', express.static(`${PUBLIC_DIR}demo`, { index: false, redirect: false }));
  router.post('/demo/session', async (req, res) => {
    const raw = typeof req.query['gateway'] === 'string' ? req.query['gateway'] : undefined;
    const gatewayIndex = raw !== undefined && /^\d{1,3}$/.test(raw) ? Number(raw) : undefined;
    const ip = clientIp(req);
    try {
      await sessionLimiter.consume(ip ?? 'unknown');
    } catch {
      throw new ClientSocketError('rate_limited', 'Too many demo sessions from this address; wait a minute');
    }
    try {
      const session = await sessions.open(ip, gatewayIndex);
      res.setHeader('Cache-Control', 'no-store');
      res.status(201).json(session);
    } catch (err) {
      options.log?.warn({ err }, 'demo session not created');
      throw err instanceof ClientSocketError ? err : new ClientSocketError('unavailable', 'Could not create a demo socket; retry shortly', { cause: err });
    }
  });
  return router;
}
