import type { RequestHandler } from 'express';
import { ClientSocketError } from '@clientsocket/core';
import type { ApiKeyStore } from '@clientsocket/store';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';

/** The authenticated pal of a request (set by {@link authenticate}). */
export function palOf(res: { locals: Record<string, unknown> }): string {
  return res.locals['pal'] as string;
}

/** `Authorization: Bearer <api key>` → the key's pal, or 401 `unauthorized`. */
export function authenticate(keys: ApiKeyStore): RequestHandler {
  return async (req, res, next) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) throw new ClientSocketError('unauthorized', 'Missing or malformed Authorization: Bearer <api key>');
    const pal = await keys.resolve(match[1]);
    if (!pal) throw new ClientSocketError('unauthorized', 'Unknown API key');
    res.locals['pal'] = pal;
    next();
  };
}

/** Per-pal request budget shared by all api nodes; 429 `rate_limited` past it. */
export function rateLimitPerPal(limiter: RateLimiterAbstract): RequestHandler {
  return async (_req, res, next) => {
    try {
      await limiter.consume(palOf(res));
    } catch (rejection) {
      if (rejection instanceof Error) return next(); // limiter storage failed: the store call will answer for Redis
      throw new ClientSocketError('rate_limited', 'Too many requests for this API key; slow down');
    }
    next();
  };
}
