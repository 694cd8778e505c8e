import { ClientSocketError } from './errors.js';

/** A message: a string or any JSON value. */
export type Message = string | number | boolean | null | readonly unknown[] | { readonly [key: string]: unknown };

/** Size of a message as it travels: UTF-8 bytes of its JSON serialisation. */
export function messageByteLength(message: unknown): number {
  const text = JSON.stringify(message);
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
    throw new ClientSocketError('payload_too_large', `message is ${size} bytes serialized; the limit is ${maxBytes}`);
  }
}
