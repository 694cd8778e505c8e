import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, type TestCluster } from './helpers/cluster.js';
import { connectClient, eventually, nextEvent } from './helpers/clients.js';

/** Gateways dying (SIGKILL) and leaving (SIGTERM): connection counts stay true, clients are told. */
describe('gateway failure and shutdown', () => {
  let cluster: TestCluster;
  before(async () => {
    cluster = await startCluster({ name: 'nodefail', gateways: 3, workers: 0 });
  });
  after(() => cluster.stop());

  const connections = async (id: string): Promise<number> => (await cluster.request('GET', `/v1/sockets/${id}`)).body.connections;

  test('connections corrects itself within seconds after a gateway is killed with SIGKILL', async () => {
    const s = (await cluster.request('POST', '/v1/sockets', { channel: 'kill', renewalIncrement: 10 })).body;
    const survivor = await connectClient(cluster.endpointOn(s.endpoint, 0));
    const victim = await connectClient(cluster.endpointOn(s.endpoint, 2));
    try {
      assert.equal(await connections(s.id), 2);
      const killedAt = Date.now();
      await cluster.gateways[2]?.kill('SIGKILL');
      await eventually(async () => (await connections(s.id)) === 1, 30_000, 50);
      console.log(`# sigkill: connections corrected ${Date.now() - killedAt} ms after SIGKILL`);
      const res = await cluster.request('POST', `/v1/sockets/${s.id}/messages`, { message: 'still here' });
      assert.deepEqual(res.body, { delivered: 1 });
      // The killed node's clients reconnect elsewhere and are counted there.
      const moved = await connectClient(cluster.endpointOn(s.endpoint, 1));
      assert.equal(await connections(s.id), 2);
      moved.close();
    } finally {
      survivor.close();
      victim.close();
    }
  });

  test('SIGTERM drains a gateway: clients get closed {reason: shutdown}, it exits 0, counts drop at once', async () => {
    const s = (await cluster.request('POST', '/v1/sockets', { channel: 'term', renewalIncrement: 10 })).body;
    const client = await connectClient(cluster.endpointOn(s.endpoint, 1), { transports: ['websocket'] });
    const closed = nextEvent(client, 'closed');
    const disconnected = nextEvent(client, 'disconnect');
    assert.equal(await connections(s.id), 1);
    const exit = cluster.gateways[1]?.kill('SIGTERM');
    assert.deepEqual(await closed, { reason: 'shutdown' });
    assert.equal(await disconnected, 'io server disconnect');
    assert.equal(await exit, 0);
    assert.equal(await connections(s.id), 0, 'uncounted during the drain, not after a lease lapses');
    const again = await connectClient(cluster.endpointOn(s.endpoint, 0));
    assert.equal(await connections(s.id), 1);
    again.close();
  });
});
