import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, type TestCluster } from './helpers/cluster.js';
import { connectClient } from './helpers/clients.js';

type Ack = { ok: boolean; id?: string; expiresAt?: string; error?: { code: string } };

/** Client → server `ping` and `message` (SPEC §4): acks, counting, limits. */
describe('client requests', () => {
  let cluster: TestCluster;
  before(async () => {
    cluster = await startCluster({ name: 'requests', gateways: 1, workers: 1, env: { CLIENT_RATE_LIMIT: '10', MAX_MESSAGE_BYTES: '1024' } });
  });
  after(() => cluster.stop());

  const get = async (id: string): Promise<Record<string, any>> => (await cluster.request('GET', `/v1/sockets/${id}`)).body;

  test('ping renews (lastAccess and expiresAt move), is acked with expiresAt, and is not counted', async () => {
    const s = (await cluster.request('POST', '/v1/sockets', { channel: 'p', renewalIncrement: 5 })).body;
    const client = await connectClient(s.endpoint);
    try {
      const afterConnect = await get(s.id);
      assert.ok(Date.parse(afterConnect.expiresAt) >= Date.parse(s.expiresAt));
      const ack = (await client.emitWithAck('ping')) as Ack;
      assert.equal(ack.ok, true);
      const now = await get(s.id);
      assert.equal(now.expiresAt, ack.expiresAt as string);
      assert.equal(Date.parse(now.expiresAt as string) - Date.parse(now.lastAccess as string), 5 * 60_000);
      assert.equal(now.messageCount, 0);
      client.emit('ping'); // without an ack function it still works
    } finally {
      client.close();
    }
  });

  test('a message to a socket without a receiver is refused with no_receiver, never dropped silently', async () => {
    const s = (await cluster.request('POST', '/v1/sockets', { channel: 'none' })).body;
    const client = await connectClient(s.endpoint);
    try {
      const ack = (await client.emitWithAck('message', 'hello')) as Ack;
      assert.deepEqual([ack.ok, ack.error?.code], [false, 'no_receiver']);
    } finally {
      client.close();
    }
  });

  test('an oversized message gets payload_too_large, counts nothing, and the connection stays up', async () => {
    const s = (await cluster.request('POST', '/v1/sockets', { channel: 'big', receiverWorkflow: 'echo' })).body;
    const client = await connectClient(s.endpoint);
    try {
      const ack = (await client.emitWithAck('message', 'x'.repeat(2000))) as Ack;
      assert.deepEqual([ack.ok, ack.error?.code], [false, 'payload_too_large']);
      assert.equal(client.connected, true);
      const ok = (await client.emitWithAck('message', 'small')) as Ack;
      assert.equal(ok.ok, true);
      assert.equal((await get(s.id)).messageCount, 1);
    } finally {
      client.close();
    }
  });

  test('a flood gets rate_limited acks and the connection survives', async () => {
    const s = (await cluster.request('POST', '/v1/sockets', { channel: 'flood', receiverWorkflow: 'echo' })).body;
    const client = await connectClient(s.endpoint);
    try {
      const acks = (await Promise.all(Array.from({ length: 30 }, (_, i) => client.emitWithAck('message', { i })))) as Ack[];
      const limited = acks.filter((a) => a.error?.code === 'rate_limited').length;
      const accepted = acks.filter((a) => a.ok).length;
      assert.ok(limited > 0, 'some requests are refused');
      assert.ok(accepted > 0, 'the budget is honoured');
      assert.equal(limited + accepted, 30, 'every request is answered');
      assert.equal(client.connected, true);
      assert.equal((await get(s.id)).messageCount, accepted, 'refused messages are not counted');
    } finally {
      client.close();
    }
  });
});
