import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ClientSocketError, toClientSocketError } from '@clientsocket/core';
import type { Logger } from '@clientsocket/observability';

/** body-parser's own failures, mapped onto our codes. */
function fromBodyParser(err: unknown): ClientSocketError | null {
  const type = (err as { type?: unknown })?.type;
  if (type === 'entity.too.large') return new ClientSocketError('payload_too_large', 'Request body is too large');
  if (type === 'entity.parse.failed') {
    return new ClientSocketError('validation_failed', 'Body is not valid JSON', { details: [{ field: '(body)', message: 'is not valid JSON' }] });
  }
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') return new ClientSocketError('validation_failed', 'Unsupported body encoding');
  // The router could not percent-decode a path parameter.
  if (err instanceof URIError) {
    return new ClientSocketError('validation_failed', 'Malformed percent-encoding in the URL path', { details: [{ field: '(path)', message: 'is not valid percent-encoded UTF-8' }] });
  }
  return null;
}

/**
 * The one place an error becomes an HTTP answer: `{error: {code, message, details?}}`
 * with the code's status. Unknown errors are logged and answered `internal`
 * without any detail, so no stack trace ever reaches a client.
 */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const e = fromBodyParser(err) ?? toClientSocketError(err);
    if (e.code === 'internal') log.error({ err, method: req.method, path: req.path }, 'request failed');
    else if (e.code === 'unavailable') log.warn({ err: e.cause ?? e, path: req.path }, 'redis unavailable');
    if (res.headersSent) return;
    if (e.code === 'rate_limited') res.setHeader('retry-after', '1');
    if (e.code === 'unavailable') res.setHeader('retry-after', '1');
    res.status(e.status).json({ error: e.toJSON() });
  };
}

/** Unknown routes: JSON 404 like every other answer. */
export const notFound: RequestHandler = (_req, res) => {
  res.status(404).json({ error: { code: 'not_found', message: 'No such route' } });
};

/**
 * A request still unanswered after `ms` gets `503 unavailable`: whatever is
 * stuck (a paused Redis, a slow dependency), a client never hangs.
 */
export function requestDeadline(ms: number): RequestHandler {
  return (_req, res, next) => {
    const timer = setTimeout(() => {
      if (!res.headersSent) {
        res.setHeader('retry-after', '1');
        res.status(503).json({ error: { code: 'unavailable', message: 'Storage did not answer in time; retry shortly' } });
      }
    }, ms);
    res.on('finish', () => clearTimeout(timer));
    res.on('close', () => clearTimeout(timer));
    next();
  };
}
