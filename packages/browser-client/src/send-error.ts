/**
 * Why `send` or `ping` did not get an `{ok: true}` ack. The first four are
 * the gateway's ack codes; the others arise in the client.
 * - `timeout`: no ack in time; the message may or may not have been queued.
 * - `not_connected`: no connection came up in time; nothing was sent.
 * - `closed`: the connection ended for good (expired, deleted, refused, closed by the page).
 */
export type SendErrorCode = 'no_receiver' | 'payload_too_large' | 'rate_limited' | 'unavailable' | 'timeout' | 'not_connected' | 'closed';

const RETRYABLE: ReadonlySet<string> = new Set(['rate_limited', 'unavailable', 'timeout', 'not_connected']);

/**
 * The rejection of {@link ClientSocketConnection.send}: a code the caller can
 * branch on, and whether trying the same call again later may succeed.
 *
 * @example
 * try {
 *   await connection.send('hi');
 * } catch (err) {
 *   if (err instanceof SendError && err.retryable) retryLater();
 * }
 */
export class SendError extends Error {
  override readonly name = 'SendError';
  /** True when the same call may succeed later (rate limit, gateway busy, connection away). */
  readonly retryable: boolean;

  constructor(
    readonly code: SendErrorCode | (string & {}),
    message: string = code,
  ) {
    super(message);
    this.retryable = RETRYABLE.has(code);
  }
}
