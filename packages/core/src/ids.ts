import { randomBytes } from 'node:crypto';

/** 16 random bytes = 128 bits, base64url: 22 URL-safe characters. */
const ID_BYTES = 16;
const ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/**
 * A new unguessable socket id (128 bits from the OS CSPRNG, URL-safe).
 * Node's `crypto.randomBytes` is the well-kept source here; an id library
 * would add nothing but a dependency.
 */
export function newSocketId(): string {
  return randomBytes(ID_BYTES).toString('base64url');
}

/** True when `value` has the shape of a socket id (cheap check before touching Redis). */
export function isSocketId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

/** A short random id for nodes, messages and connections. */
export function shortId(bytes = 6): string {
  return randomBytes(bytes).toString('base64url');
}
