import { ClientSocketError } from './errors.js';

/** A message: a string or any JSON value. */
export type Message = string | number | boolean | null | readonly unknown[] | { readonly [key: string]: unknown };

/**
 * Size of a message as it travels: UTF-8 bytes of its JSON serialisation.
 * A value nested too deeply to serialise (stack overflow) measures as
 * Infinity, so it is refused as too large rather than failing internally.
 */
export function messageByteLength(message: unknown): number {
  let text: string | undefined;
  try {
    text = JSON.stringify(message);
  } catch (err) {
    if (err instanceof RangeError) return Number.POSITIVE_INFINITY;
    throw err;
  }
  return text === undefined ? 0 : Buffer.byteLength(text, 'utf8');
}

/**
 * Throws `payload_too_large` when `message` serialises to more than `maxBytes`,
 * `validation_failed` when it is not a JSON value at all.
 */
export function assertMessage(message: unknown, maxBytes: number): asserts message is Message {
  if (message === undefined || typeof message === 'function' || typeof message === 'symbol' || typeof message === 'bigint') {
    throw new ClientSocketError('validation_failed', 'message must be a string or a JSON value', {
      details: [{ field: 'message', message: 'required: a string or a JSON value' }],
    });
  }
  const size = messageByteLength(message);
  if (size > maxBytes) {
    const what = Number.isFinite(size) ? `${size} bytes serialized` : 'nested too deeply to serialize';
    throw new ClientSocketError('payload_too_large', `message is ${what}; the limit is ${maxBytes} bytes`);
  }
}
