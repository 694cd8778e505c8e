import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertMessage, messageByteLength } from './message.js';
import { ClientSocketError } from './errors.js';

describe('messages', () => {
  test('size is UTF-8 bytes of the JSON serialisation', () => {
    assert.equal(messageByteLength('abc'), 5);
    assert.equal(messageByteLength('é'), 4);
    assert.equal(messageByteLength('😀'), 6);
    assert.equal(messageByteLength({ a: 1 }), 7);
    assert.equal(messageByteLength(null), 4);
  });

  test('at the limit passes; one byte over is payload_too_large', () => {
    assertMessage('x'.repeat(8), 10);
    assert.throws(() => assertMessage('x'.repeat(9), 10), (err: unknown) => err instanceof ClientSocketError && err.code === 'payload_too_large');
    assert.throws(() => assertMessage('é'.repeat(5), 10), (err: unknown) => err instanceof ClientSocketError && err.code === 'payload_too_large');
  });

  test('what JSON cannot carry is validation_failed naming message', () => {
    for (const bad of [undefined, () => 1, Symbol('s'), 1n]) {
      assert.throws(
        () => assertMessage(bad, 1000),
        (err: unknown) => err instanceof ClientSocketError && err.code === 'validation_failed' && err.details?.[0]?.field === 'message',
        String(typeof bad),
      );
    }
    for (const ok of ['', 0, false, null, [], {}]) assertMessage(ok, 1000);
  });
});
