import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ClientSocketError } from './errors.js';
import { channelSchema, createSocketSchema, listSocketsSchema, parseInput, renewalSchema, sendMessageSchema, workflowSchema } from './schemas.js';

/** The `details` of the validation_failed that `fn` throws. */
function detailsOf(fn: () => unknown): Array<{ field: string; message: string }> {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ClientSocketError, String(err));
    assert.equal(err.code, 'validation_failed');
    assert.ok(err.details, 'validation_failed without details');
    return err.details;
  }
  assert.fail('expected validation_failed');
}

describe('createSocketSchema', () => {
  test('applies the defaults: secure false, renewalIncrement 1, no receiver, no client IP', () => {
    assert.deepEqual(parseInput(createSocketSchema, { channel: 'room' }), { channel: 'room', secure: false, renewalIncrement: 1, receiverWorkflow: null, clientIp: null });
  });

  test('accepts the bounds: channel of 1 and 255, renewal 1 and 30, workflow of 255', () => {
    for (const channel of ['a', 'x'.repeat(255), ' ', 'ünïcødé ✓ / ? # %', '😀'.repeat(100)]) assert.equal(parseInput(createSocketSchema, { channel }).channel, channel);
    for (const renewalIncrement of [1, 30]) assert.equal(parseInput(createSocketSchema, { channel: 'c', renewalIncrement }).renewalIncrement, renewalIncrement);
    for (const receiverWorkflow of ['echo', 'a.b_c-D9', 'w'.repeat(255)]) {
      assert.equal(parseInput(createSocketSchema, { channel: 'c', receiverWorkflow }).receiverWorkflow, receiverWorkflow);
    }
  });

  test('rejects each unknown field by name', () => {
    const details = detailsOf(() => parseInput(createSocketSchema, { channel: 'c', colour: 'blue', ttl: 5 }));
    assert.deepEqual(details.map((d) => d.field).sort(), ['colour', 'ttl']);
    assert.ok(details.every((d) => d.message === 'unknown field'));
  });

  test('names every bad field at once, with a reason each', () => {
    const details = detailsOf(() => parseInput(createSocketSchema, { channel: '', secure: 'yes', renewalIncrement: 31, receiverWorkflow: 'no spaces', clientIp: 'nope', extra: true }));
    assert.deepEqual(details.map((d) => d.field).sort(), ['channel', 'clientIp', 'extra', 'receiverWorkflow', 'renewalIncrement', 'secure']);
    for (const d of details) assert.ok(d.message.length > 0, d.field);
  });

  test('a missing channel is "required"; a body that is not an object is named (body)', () => {
    assert.deepEqual(detailsOf(() => parseInput(createSocketSchema, {})), [{ field: 'channel', message: 'required' }]);
    assert.equal(detailsOf(() => parseInput(createSocketSchema, 'room'))[0]?.field, '(body)');
    assert.equal(detailsOf(() => parseInput(createSocketSchema, null))[0]?.field, '(body)');
  });

  test('normalises clientIp (IPv4-mapped IPv6 becomes IPv4) and rejects what is not an address', () => {
    assert.equal(parseInput(createSocketSchema, { channel: 'c', clientIp: '::ffff:203.0.113.9' }).clientIp, '203.0.113.9');
    assert.equal(parseInput(createSocketSchema, { channel: 'c', clientIp: '2001:DB8::0:1' }).clientIp, '2001:db8::1');
    assert.equal(parseInput(createSocketSchema, { channel: 'c', clientIp: null }).clientIp, null);
    for (const clientIp of ['300.1.1.1', '127.1', 'localhost', '', 42]) {
      assert.equal(detailsOf(() => parseInput(createSocketSchema, { channel: 'c', clientIp }))[0]?.field, 'clientIp', String(clientIp));
    }
  });
});

describe('field schemas', () => {
  test('channel: 1-255 printable characters; C0, DEL and C1 controls are not printable', () => {
    assert.equal(channelSchema.safeParse('x'.repeat(255)).success, true);
    for (const bad of ['', 'x'.repeat(256), 'a\tb', 'a\nb', '\u0000', '\u001f', '\u007f', '\u0085', '\u009f', 'lone \ud800 surrogate', 42, null]) {
      assert.equal(channelSchema.safeParse(bad).success, false, JSON.stringify(bad));
    }
  });

  test('workflow: 1-255 of [A-Za-z0-9._-]', () => {
    for (const bad of ['', 'w'.repeat(256), 'has space', 'a/b', '../echo', 'ä', 'a:b']) assert.equal(workflowSchema.safeParse(bad).success, false, bad);
  });

  test('renewalIncrement: whole minutes 1-30', () => {
    for (const bad of [0, 31, 1.5, -1, Number.NaN, Number.POSITIVE_INFINITY, '5', null]) assert.equal(renewalSchema.safeParse(bad).success, false, String(bad));
  });
});

describe('listSocketsSchema', () => {
  test('defaults limit to 100 and reads it from a query string', () => {
    assert.deepEqual(parseInput(listSocketsSchema, {}), { limit: 100 });
    assert.deepEqual(parseInput(listSocketsSchema, { limit: '1000', channel: 'c', cursor: 'c1.x' }), { limit: 1000, channel: 'c', cursor: 'c1.x' });
  });

  test('rejects limit outside 1-1000 or not whole, and unknown parameters', () => {
    for (const limit of ['0', '1001', '2.5', 'ten', 0, 1001]) assert.equal(detailsOf(() => parseInput(listSocketsSchema, { limit }))[0]?.field, 'limit', String(limit));
    assert.equal(detailsOf(() => parseInput(listSocketsSchema, { page: '2' }))[0]?.field, 'page');
    assert.equal(detailsOf(() => parseInput(listSocketsSchema, { cursor: 'x'.repeat(513) }))[0]?.field, 'cursor');
  });
});

describe('sendMessageSchema', () => {
  test('takes {message} of any JSON value and rejects other fields', () => {
    for (const message of ['text', 0, null, [1], { a: 1 }]) assert.deepEqual(parseInput(sendMessageSchema, { message }), { message });
    assert.equal(detailsOf(() => parseInput(sendMessageSchema, { message: 'x', to: 'y' }))[0]?.field, 'to');
  });
});

describe('parseInput', () => {
  test('the error message lists the bad fields', () => {
    try {
      parseInput(createSocketSchema, { channel: '', renewalIncrement: 0 });
      assert.fail('expected a throw');
    } catch (err) {
      assert.ok(err instanceof ClientSocketError);
      assert.equal(err.status, 400);
      assert.match(err.message, /channel/);
      assert.match(err.message, /renewalIncrement/);
    }
  });
});
