/**
 * Every failure the product reports to a caller, as data. The codes are the
 * ones fixed by the specification; each surface maps them: the api to HTTP
 * status, the gateway to ack payloads and close reasons, the worker to
 * BullMQ's retry / unrecoverable distinction.
 */
export const ERROR_CODES = [
  'validation_failed',
  'unauthorized',
  'not_found',
  'payload_too_large',
  'rate_limited',
  'unavailable',
  'no_receiver',
  'socket_not_found',
  'ip_not_allowed',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** One field-level problem in a rejected request. */
export interface FieldIssue {
  /** Dotted path of the offending field (`channel`, `message`, `limit`...). */
  field: string;
  /** Human-readable description of what is wrong with it. */
  message: string;
}

/** HTTP status of each code, used by the api and by the HTTP SDK in reverse. */
export const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = {
  validation_failed: 400,
  unauthorized: 401,
  not_found: 404,
  socket_not_found: 404,
  payload_too_large: 413,
  rate_limited: 429,
  no_receiver: 409,
  ip_not_allowed: 403,
  unavailable: 503,
  internal: 500,
};

/** Codes a caller may retry unchanged after a while. */
const RETRYABLE: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['unavailable', 'rate_limited', 'internal']);

export interface ClientSocketErrorOptions {
  details?: FieldIssue[];
  cause?: unknown;
  retryable?: boolean;
}

/**
 * The product's single error type.
 *
 * @example
 * throw new ClientSocketError('not_found', 'No such socket');
 */
export class ClientSocketError extends Error {
  override readonly name = 'ClientSocketError';
  readonly code: ErrorCode;
  readonly details: FieldIssue[] | undefined;
  /** True when the same call may succeed later (Redis away, rate limit). */
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options: ClientSocketErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details;
    this.retryable = options.retryable ?? RETRYABLE.has(code);
  }

  /** HTTP status for this error's code. */
  get status(): number {
    return HTTP_STATUS[this.code];
  }

  /** The wire shape: `{code, message, details?}`, never a stack. */
  toJSON(): { code: ErrorCode; message: string; details?: FieldIssue[] } {
    return this.details ? { code: this.code, message: this.message, details: this.details } : { code: this.code, message: this.message };
  }
}

/** True for a {@link ClientSocketError}, optionally of one of `codes`. */
export function isClientSocketError(err: unknown, ...codes: ErrorCode[]): err is ClientSocketError {
  return err instanceof ClientSocketError && (codes.length === 0 || codes.includes(err.code));
}

/** Normalises anything thrown into a {@link ClientSocketError} (unknown errors become `internal`). */
export function toClientSocketError(err: unknown): ClientSocketError {
  if (err instanceof ClientSocketError) return err;
  return new ClientSocketError('internal', 'Internal error', { cause: err });
}
