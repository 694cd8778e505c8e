import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { startCluster, type TestCluster } from './helpers/cluster.js';
import { connectClient, eventually } from './helpers/clients.js';
import { keysUnder, testRedis } from './helpers/redis.js';

/** Data never grows without bound: after churn, the key count under the prefix returns to its baseline. */
describe('churn', () => {
  let cluster: TestCluster;
  const redis = testRedis();
  before(async () => {
    cluster = await startCluster({ name: 'churn', gateways: 2, workers: 0, env: { RENEWAL_MINUTE_MS: '1000', API_RATE_LIMIT: '100000' } });
  });
  after(async () => {
    await cluster.stop();
    redis.disconnect();
  });

  test('create, connect, ping, delete and expire 150 sockets: Redis ends where it started', async () => {
    const baseline = new Set(await keysUnder(redis, cluster.prefix));
    const sockets: Array<{ id: string; endpoint: string; wsEndpoint: string }> = [];
    for (let i = 0; i < 150; i++) {
      const res = await cluster.request('POST', '/v1/sockets', { channel: `ch-${i % 5}`, secure: i % 2 === 0, renewalIncrement: 4 });
      assert.equal(res.status, 201);
      sockets.push(res.body);
    }
    const clients = await Promise.all(sockets.slice(0, 30).map((s, i) => connectClient(cluster.endpointOn(s.endpoint, i % 2))));
    await Promise.all(clients.map((c) => c.emitWithAck('ping')));
    const natives = sockets.slice(30, 40).map((s) => new WebSocket(s.wsEndpoint));
    await Promise.all(natives.map((ws) => new Promise((resolve) => ws.once('open', resolve))));
    for (const s of sockets.slice(100)) assert.equal((await cluster.request('DELETE', `/v1/sockets/${s.id}`)).status, 204);
    const peak = (await keysUnder(redis, cluster.prefix)).length;
    console.log(`# churn: ${baseline.size} keys at baseline, ${peak} at peak`);
    for (const c of clients.slice(0, 15)) c.close();
    await eventually(async () => (await cluster.request('GET', '/v1/sockets?limit=1000')).body.total === 0, 30_000);
    await eventually(async () => {
      const now = await keysUnder(redis, cluster.prefix);
      return now.length === baseline.size && now.every((k) => baseline.has(k));
    }, 30_000);
    for (const c of clients) c.close();
    for (const ws of natives) ws.close();
  });
});
