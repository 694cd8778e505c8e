import { ClientSocketError, ERROR_CODES, type ErrorCode, type FieldIssue } from '@clientsocket/core';

const KNOWN_CODES: ReadonlySet<string> = new Set(ERROR_CODES);

/**
 * The code a status implies when the body does not name one: a proxy or load
 * balancer in front of the api answers with its own pages, and a gateway
 * error from one of those means the service is not reachable right now.
 */
function codeOfStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
      return 'validation_failed';
    case 401:
    case 403:
      return 'unauthorized';
    case 404:
      return 'not_found';
    case 413:
      return 'payload_too_large';
    case 429:
      return 'rate_limited';
    case 502:
    case 503:
    case 504:
      return 'unavailable';
    default:
      return 'internal';
  }
}

function isFieldIssues(value: unknown): value is FieldIssue[] {
  return Array.isArray(value) && value.every((d) => typeof d === 'object' && d !== null && typeof (d as FieldIssue).field === 'string' && typeof (d as FieldIssue).message === 'string');
}

/**
 * Turns an error answer of the HTTP API (`{error: {code, message, details?}}`)
 * back into the {@link ClientSocketError} the server raised, with the same code
 * and details. Answers that are not the API's own fall back to their status.
 *
 * @param status HTTP status of the answer
 * @param body the parsed JSON body, or the raw text when it was not JSON
 */
export function errorFromResponse(status: number, body: unknown): ClientSocketError {
  const error = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
  if (typeof error === 'object' && error !== null) {
    const { code, message, details } = error as { code?: unknown; message?: unknown; details?: unknown };
    const known = typeof code === 'string' && KNOWN_CODES.has(code) ? (code as ErrorCode) : codeOfStatus(status);
    return new ClientSocketError(known, typeof message === 'string' ? message : `HTTP ${status}`, isFieldIssues(details) ? { details } : {});
  }
  return new ClientSocketError(codeOfStatus(status), `HTTP ${status} from the ClientSocket API`);
}

/**
 * A request that got no answer at all: refused connection, DNS failure, reset,
 * or no answer within the timeout. All are `unavailable` (retryable), because
 * from the caller's side the service is simply not there right now.
 */
export function errorFromFailure(err: unknown, timeoutMs: number): ClientSocketError {
  const name = (err as { name?: unknown } | null)?.name;
  const message = name === 'TimeoutError' || name === 'AbortError' ? `No answer from the ClientSocket API within ${timeoutMs} ms` : 'The ClientSocket API could not be reached';
  return new ClientSocketError('unavailable', message, { cause: err });
}
