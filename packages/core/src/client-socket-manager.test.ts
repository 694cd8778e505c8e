import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveCreateArgs } from './client-socket-manager.js';
import { ClientSocketError } from './errors.js';

describe('resolveCreateArgs', () => {
  test('plain form (channel, secure, renewalIncrement): no receiver, defaults filled in', () => {
    assert.deepEqual(resolveCreateArgs(['room']), { channel: 'room', secure: false, renewalIncrement: 1, receiverWorkflow: null, clientIp: null });
    assert.deepEqual(resolveCreateArgs(['room', true, 5]), { channel: 'room', secure: true, renewalIncrement: 5, receiverWorkflow: null, clientIp: null });
    assert.deepEqual(resolveCreateArgs(['room', true, undefined, { clientIp: '203.0.113.9' }]), {
      channel: 'room',
      secure: true,
      renewalIncrement: 1,
      receiverWorkflow: null,
      clientIp: '203.0.113.9',
    });
  });

  test('workflow form (receiverWorkflow, channel, secure, renewalIncrement) is told apart by its string second argument', () => {
    assert.deepEqual(resolveCreateArgs(['echo', 'room']), { receiverWorkflow: 'echo', channel: 'room', secure: false, renewalIncrement: 1, clientIp: null });
    assert.deepEqual(resolveCreateArgs(['echo', 'room', true, 30, { clientIp: '::1' }]), {
      receiverWorkflow: 'echo',
      channel: 'room',
      secure: true,
      renewalIncrement: 30,
      clientIp: '::1',
    });
  });

  test('named form passes through unchanged, so the schema judges unknown fields', () => {
    const request = { channel: 'room', receiverWorkflow: 'chat', extra: 1 };
    assert.equal(resolveCreateArgs([request]), request);
  });

  test('values are not judged here: bounds are the schema\'s', () => {
    assert.equal(resolveCreateArgs(['', false, 99]).renewalIncrement, 99);
    assert.equal(resolveCreateArgs(['bad name', '']).receiverWorkflow, 'bad name');
  });

  test('a first argument that is neither a channel nor a request is validation_failed naming channel', () => {
    for (const args of [[], [42], [null], [undefined], [true, false]]) {
      assert.throws(
        () => resolveCreateArgs(args),
        (err: unknown) => err instanceof ClientSocketError && err.code === 'validation_failed' && err.details?.[0]?.field === 'channel',
        JSON.stringify(args),
      );
    }
  });
});
