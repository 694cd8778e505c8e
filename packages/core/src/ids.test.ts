import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isSocketId, newSocketId, shortId } from './ids.js';

describe('socket ids', () => {
  test('are 22 URL-safe characters carrying 128 random bits', () => {
    for (let i = 0; i < 1000; i++) {
      const id = newSocketId();
      assert.match(id, /^[A-Za-z0-9_-]{22}$/);
      assert.equal(Buffer.from(id, 'base64url').length, 16);
      assert.equal(encodeURIComponent(id), id);
      assert.equal(isSocketId(id), true);
    }
  });

  test('do not repeat, and every bit position varies', () => {
    const ids = Array.from({ length: 5000 }, () => newSocketId());
    assert.equal(new Set(ids).size, ids.length);
    // OR of all ids has every bit set and AND has none: no bit is stuck (a fixed
    // prefix or a counter would show); the chance of a false failure is ~2^-4990.
    const or = Buffer.alloc(16);
    const and = Buffer.alloc(16, 0xff);
    for (const id of ids) {
      const bytes = Buffer.from(id, 'base64url');
      for (let i = 0; i < 16; i++) {
        or[i] = (or[i] ?? 0) | (bytes[i] ?? 0);
        and[i] = (and[i] ?? 0) & (bytes[i] ?? 0);
      }
    }
    assert.ok(or.every((b) => b === 0xff));
    assert.ok(and.every((b) => b === 0));
  });

  test('isSocketId refuses anything else before it reaches Redis', () => {
    for (const bad of ['', 'short', 'x'.repeat(21), 'x'.repeat(23), `${'x'.repeat(21)}/`, `${'x'.repeat(21)}=`, `${'x'.repeat(21)}+`, '../../../../../../../../', 42, null, undefined, {}]) {
      assert.equal(isSocketId(bad), false, String(bad));
    }
  });

  test('shortId is URL-safe and sized by its byte count', () => {
    assert.match(shortId(), /^[A-Za-z0-9_-]{8}$/);
    assert.equal(Buffer.from(shortId(9), 'base64url').length, 9);
  });
});
