import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ClientSocketError, ERROR_CODES, HTTP_STATUS, isClientSocketError, toClientSocketError } from './errors.js';

describe('ClientSocketError', () => {
  test('the SPEC codes map to their HTTP statuses', () => {
    assert.deepEqual(
      { validation_failed: 400, unauthorized: 401, not_found: 404, payload_too_large: 413, rate_limited: 429, unavailable: 503 },
      Object.fromEntries(['validation_failed', 'unauthorized', 'not_found', 'payload_too_large', 'rate_limited', 'unavailable'].map((c) => [c, HTTP_STATUS[c as keyof typeof HTTP_STATUS]])),
    );
    for (const code of ERROR_CODES) assert.equal(typeof HTTP_STATUS[code], 'number', code);
  });

  test('retryable: only what may succeed later unchanged', () => {
    assert.equal(new ClientSocketError('unavailable', 'x').retryable, true);
    assert.equal(new ClientSocketError('rate_limited', 'x').retryable, true);
    assert.equal(new ClientSocketError('validation_failed', 'x').retryable, false);
    assert.equal(new ClientSocketError('not_found', 'x').retryable, false);
    assert.equal(new ClientSocketError('not_found', 'x', { retryable: true }).retryable, true);
  });

  test('the wire shape carries code, message and details, never a stack or a cause', () => {
    const cause = new Error('ECONNREFUSED 127.0.0.1:6379');
    const err = new ClientSocketError('validation_failed', 'Invalid request: channel', { details: [{ field: 'channel', message: 'required' }], cause });
    assert.equal(err.cause, cause);
    assert.equal(err.name, 'ClientSocketError');
    assert.deepEqual(JSON.parse(JSON.stringify(err)), { code: 'validation_failed', message: 'Invalid request: channel', details: [{ field: 'channel', message: 'required' }] });
    assert.deepEqual(new ClientSocketError('not_found', 'gone').toJSON(), { code: 'not_found', message: 'gone' });
  });

  test('anything thrown that is not ours becomes internal, keeping it as the cause', () => {
    const raw = new TypeError('boom');
    const wrapped = toClientSocketError(raw);
    assert.equal(wrapped.code, 'internal');
    assert.equal(wrapped.message, 'Internal error');
    assert.equal(wrapped.cause, raw);
    const ours = new ClientSocketError('not_found', 'x');
    assert.equal(toClientSocketError(ours), ours);
    assert.equal(isClientSocketError(ours), true);
    assert.equal(isClientSocketError(ours, 'unavailable'), false);
    assert.equal(isClientSocketError(raw), false);
  });
});
