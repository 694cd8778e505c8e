import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, type TestCluster } from './helpers/cluster.js';
import { connectClient, eventually, nextEvent, refusal } from './helpers/clients.js';
import { keysUnder, testRedis } from './helpers/redis.js';

const MINUTE_MS = 1500;

/** Expiry and deletion close live connections with the right `closed` reason (SPEC §2, §3). */
describe('expiry and deletion', () => {
  let cluster: TestCluster;
  const redis = testRedis();
  before(async () => {
    cluster = await startCluster({ name: 'expiry', gateways: 2, workers: 0, env: { RENEWAL_MINUTE_MS: String(MINUTE_MS) } });
  });
  after(async () => {
    await cluster.stop();
    redis.disconnect();
  });

  test('an idle socket is closed with reason expired, reads as not found, and leaves Redis', async () => {
    const s = (await cluster.request('POST', '/v1/sockets', { channel: 'idle' })).body;
    const client = await connectClient(cluster.endpointOn(s.endpoint, 1));
    const closed = nextEvent<{ reason: string }>(client, 'closed');
    const disconnected = nextEvent<string>(client, 'disconnect');
    const connectedAt = (await cluster.request('GET', `/v1/sockets/${s.id}`)).body;
    assert.deepEqual(await closed, { reason: 'expired' });
    const closedAt = Date.now();
    assert.equal(await disconnected, 'io server disconnect');
    const expiresAt = Date.parse(connectedAt.expiresAt);
    console.log(`# expiry: closed ${closedAt - expiresAt} ms after expiresAt (local clock)`);
    assert.equal((await cluster.request('GET', `/v1/sockets/${s.id}`)).status, 404);
    assert.equal(await refusal(s.endpoint), 'socket_not_found');
    const list = (await cluster.request('GET', '/v1/sockets?channel=idle')).body;
    assert.equal(list.rows.length, 0);
    await eventually(async () => (await keysUnder(redis, cluster.prefix)).every((k) => !k.includes(s.id)));
  });

  test('pings keep a socket alive across several renewal periods', async () => {
    const s = (await cluster.request('POST', '/v1/sockets', { channel: 'alive' })).body;
    const client = await connectClient(s.endpoint);
    let expired = false;
    client.on('closed', () => (expired = true));
    try {
      const until = Date.parse(s.expiresAt) + 2 * MINUTE_MS;
      while (Date.now() < until) {
        const ack = (await client.emitWithAck('ping')) as { ok: boolean };
        assert.equal(ack.ok, true);
        await new Promise((r) => setTimeout(r, MINUTE_MS / 3));
      }
      assert.equal(expired, false);
      assert.equal((await cluster.request('GET', `/v1/sockets/${s.id}`)).status, 200);
    } finally {
      client.close();
    }
  });

  test('a socket is not found from expiresAt on, even before the reaper runs, and a late ping does not revive it', async () => {
    const s = (await cluster.request('POST', '/v1/sockets', { channel: 'late' })).body;
    const client = await connectClient(s.endpoint);
    const closed = nextEvent<{ reason: string }>(client, 'closed');
    await closed;
    const res = await cluster.request('GET', `/v1/sockets/${s.id}`);
    assert.equal(res.status, 404);
    assert.equal(await refusal(s.endpoint), 'socket_not_found');
    assert.equal((await cluster.request('GET', `/v1/sockets/${s.id}`)).status, 404, 'the refused handshake brought nothing back');
    assert.ok(!(await keysUnder(redis, cluster.prefix)).some((k) => k.includes(s.id)));
  });

  test('delete closes live clients on every gateway with reason deleted', async () => {
    const s = (await cluster.request('POST', '/v1/sockets', { channel: 'del', renewalIncrement: 10 })).body;
    const a = await connectClient(cluster.endpointOn(s.endpoint, 0));
    const b = await connectClient(cluster.endpointOn(s.endpoint, 1));
    const closedA = nextEvent(a, 'closed');
    const closedB = nextEvent(b, 'closed');
    const goneB = nextEvent(b, 'disconnect');
    assert.equal((await cluster.request('GET', `/v1/sockets/${s.id}`)).body.connections, 2);
    assert.equal((await cluster.request('DELETE', `/v1/sockets/${s.id}`)).status, 204);
    assert.deepEqual(await closedA, { reason: 'deleted' });
    assert.deepEqual(await closedB, { reason: 'deleted' });
    await goneB;
    assert.equal((await cluster.request('DELETE', `/v1/sockets/${s.id}`)).status, 404);
    assert.ok(!(await keysUnder(redis, cluster.prefix)).some((k) => k.includes(s.id)));
  });
});
