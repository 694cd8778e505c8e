import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, type TestCluster } from './helpers/cluster.js';
import { connectClient, eventually } from './helpers/clients.js';
import { startOwnRedis, type OwnRedis } from './helpers/redis.js';

/** Redis not answering: 503 / `unavailable` without hanging, then recovery (own redis-server, paused with SIGSTOP). */
describe('redis outage', () => {
  let redis: OwnRedis;
  let cluster: TestCluster;
  before(async () => {
    redis = await startOwnRedis();
    cluster = await startCluster({ name: 'outage', gateways: 1, workers: 1, env: { REDIS_URL: redis.url } });
  });
  after(async () => {
    redis.resume();
    await cluster.stop();
    await redis.stop();
  });

  test('paused Redis: api answers 503 unavailable without hanging, clients get unavailable acks; both recover', async () => {
    const s = (await cluster.request('POST', '/v1/sockets', { channel: 'outage', receiverWorkflow: 'echo', renewalIncrement: 5 })).body;
    const client = await connectClient(s.endpoint, { transports: ['websocket'] });
    try {
      redis.pause();
      const started = Date.now();
      const [get, create, ready] = await Promise.all([
        cluster.request('GET', `/v1/sockets/${s.id}`),
        cluster.request('POST', '/v1/sockets', { channel: 'outage' }),
        fetch(`${cluster.api.url}/readyz`),
      ]);
      const elapsed = Date.now() - started;
      console.log(`# outage: api answered in ${elapsed} ms while Redis was paused`);
      assert.ok(elapsed < 10_000, 'answered rather than hung');
      assert.equal(get.status, 503);
      assert.equal(get.body.error.code, 'unavailable');
      assert.equal(create.status, 503);
      assert.equal(ready.status, 503);
      assert.equal(typeof get.body.error.message, 'string');
      assert.ok(!JSON.stringify(get.body).includes('at '), 'no stack trace');
      const health = await fetch(`${cluster.api.url}/healthz`);
      assert.equal(health.status, 200, 'the process is up even though Redis is not');

      const ack = (await client.emitWithAck('message', 'during outage')) as { ok: boolean; error?: { code: string } };
      assert.deepEqual([ack.ok, ack.error?.code], [false, 'unavailable']);
      const ping = (await client.emitWithAck('ping')) as { ok: boolean; error?: { code: string } };
      assert.equal(ping.error?.code, 'unavailable');
    } finally {
      redis.resume();
    }
    await eventually(async () => (await cluster.request('GET', `/v1/sockets/${s.id}`)).status === 200);
    assert.equal((await fetch(`${cluster.api.url}/readyz`)).status, 200);
    const ok = (await client.emitWithAck('ping')) as { ok: boolean };
    assert.equal(ok.ok, true);
    client.close();
  });

  test('Redis restarted from empty: the api comes back and sockets are simply gone', async () => {
    const s = (await cluster.request('POST', '/v1/sockets', { channel: 'restart' })).body;
    await redis.stop();
    const down = await cluster.request('GET', `/v1/sockets/${s.id}`);
    assert.equal(down.status, 503);
    await redis.restart();
    await eventually(async () => (await fetch(`${cluster.api.url}/readyz`)).status === 200, 30_000);
    assert.equal((await cluster.request('GET', `/v1/sockets/${s.id}`)).status, 404);
    assert.equal((await cluster.request('POST', '/v1/sockets', { channel: 'restart' })).status, 201);
  });
});
