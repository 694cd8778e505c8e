import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { Keys } from '@clientsocket/store';
import { startCluster, type TestCluster } from './helpers/cluster.js';
import { testRedis } from './helpers/redis.js';
import { collect, connectClient, nextEvent } from './helpers/clients.js';

/** Cross-node delivery: pushes, echo and chat round trips, both transports, native WebSocket. */
describe('delivery across gateways', () => {
  let cluster: TestCluster;
  before(async () => {
    cluster = await startCluster({ name: 'delivery', gateways: 2, workers: 1 });
  });
  after(() => cluster.stop());

  async function create(body: Record<string, unknown>): Promise<{ id: string; endpoint: string; wsEndpoint: string }> {
    const res = await cluster.request('POST', '/v1/sockets', body);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body;
  }

  test('a push through the api reaches a client on the other gateway', async () => {
    const s = await create({ channel: 'push' });
    const client = await connectClient(cluster.endpointOn(s.endpoint, 1), { transports: ['websocket'] });
    try {
      const got = nextEvent(client, 'message');
      const res = await cluster.request('POST', `/v1/sockets/${s.id}/messages`, { message: { hello: 'gateway-2' } });
      assert.equal(res.status, 202);
      assert.deepEqual(res.body, { delivered: 1 });
      assert.deepEqual(await got, { hello: 'gateway-2' });
    } finally {
      client.close();
    }
  });

  test('a push before any client connects reports delivered 0', async () => {
    const s = await create({ channel: 'nobody' });
    const res = await cluster.request('POST', `/v1/sockets/${s.id}/messages`, { message: 'hi' });
    assert.deepEqual([res.status, res.body], [202, { delivered: 0 }]);
  });

  test('echo round trip over HTTP long-polling (with upgrade) and over websocket', async () => {
    const s = await create({ channel: 'echo', receiverWorkflow: 'echo' });
    for (const [i, transports] of [[0, ['polling', 'websocket']], [1, ['websocket']]] as const) {
      const client = await connectClient(cluster.endpointOn(s.endpoint, i), { transports: [...transports] });
      try {
        const reply = nextEvent(client, 'message');
        const ack = (await client.emitWithAck('message', { n: i, text: 'ünïcode ✓' })) as { ok: boolean; id: string };
        assert.equal(ack.ok, true);
        assert.equal(typeof ack.id, 'string');
        assert.deepEqual(await reply, { n: i, text: 'ünïcode ✓' });
      } finally {
        client.close();
      }
    }
    const after = await cluster.request('GET', `/v1/sockets/${s.id}`);
    assert.equal(after.body.messageCount, 2);
  });

  test('string messages stay strings through the workflow', async () => {
    const s = await create({ channel: 'echo-str', receiverWorkflow: 'echo' });
    const client = await connectClient(s.endpoint);
    try {
      const reply = nextEvent(client, 'message');
      await client.emitWithAck('message', '{"looks":"like json"}');
      assert.equal(await reply, '{"looks":"like json"}');
    } finally {
      client.close();
    }
  });

  test('chat reaches every socket of the channel on both gateways, and only that channel', async () => {
    const a = await create({ channel: 'lobby', receiverWorkflow: 'chat' });
    const b = await create({ channel: 'lobby', receiverWorkflow: 'chat' });
    const other = await create({ channel: 'elsewhere', receiverWorkflow: 'chat' });
    const ca = await connectClient(cluster.endpointOn(a.endpoint, 0));
    const cb = await connectClient(cluster.endpointOn(b.endpoint, 1));
    const co = await connectClient(cluster.endpointOn(other.endpoint, 1));
    const strays = collect(co, 'message');
    try {
      const atA = nextEvent(ca, 'message');
      const atB = nextEvent(cb, 'message');
      await ca.emitWithAck('message', { from: 'a' });
      assert.deepEqual(await atA, { from: 'a' });
      assert.deepEqual(await atB, { from: 'a' });
      // A channel broadcast to `elsewhere` arrives after anything stray would have.
      const marker = nextEvent(co, 'message');
      await cluster.request('POST', '/v1/channels/elsewhere/messages', { message: 'marker' });
      assert.equal(await marker, 'marker');
      assert.deepEqual(strays, ['marker']);
    } finally {
      for (const c of [ca, cb, co]) c.close();
    }
  });

  test('channel broadcast reaches Socket.IO and native WebSocket clients alike and counts them', async () => {
    const a = await create({ channel: 'mixed' });
    const b = await create({ channel: 'mixed' });
    const sio = await connectClient(cluster.endpointOn(a.endpoint, 0));
    const ws = new WebSocket(cluster.endpointOn(b.wsEndpoint, 1));
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    try {
      const viaSio = nextEvent(sio, 'message');
      const viaWs = new Promise<string>((resolve) => ws.once('message', (d) => resolve(d.toString())));
      const res = await cluster.request('POST', '/v1/channels/mixed/messages', { message: { all: true } });
      assert.deepEqual(res.body, { delivered: 2 });
      assert.deepEqual(await viaSio, { all: true });
      assert.equal(await viaWs, '{"all":true}');
    } finally {
      sio.close();
      ws.close();
    }
  });

  test('native WebSocket: ping renews without counting, messages reach the workflow, pushes arrive as text', async () => {
    const s = await create({ channel: 'native', receiverWorkflow: 'echo' });
    const ws = new WebSocket(cluster.endpointOn(s.wsEndpoint, 1));
    const frames: string[] = [];
    const next = (): Promise<string> => new Promise((resolve) => ws.once('message', (d) => resolve(d.toString())));
    ws.on('message', (d) => frames.push(d.toString()));
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    try {
      const before = (await cluster.request('GET', `/v1/sockets/${s.id}`)).body;
      ws.send('ping');
      let reply = next();
      ws.send('{"x":1}');
      assert.equal(await reply, '{"x":1}');
      reply = next();
      ws.send('plain text');
      assert.equal(await reply, 'plain text');
      reply = next();
      await cluster.request('POST', `/v1/sockets/${s.id}/messages`, { message: 'pushed string' });
      assert.equal(await reply, 'pushed string');
      const after = (await cluster.request('GET', `/v1/sockets/${s.id}`)).body;
      assert.equal(after.messageCount, 2, 'two messages counted, the ping not');
      assert.ok(Date.parse(after.lastAccess) > Date.parse(before.lastAccess));
      assert.equal(after.connections, 1);
      assert.ok(!frames.includes('ping'), 'a ping is not forwarded');
    } finally {
      ws.close();
    }
  });

  test('a native client whose socket vanished before the reaper saw it is closed as expired on its next request', async () => {
    const s = await create({ channel: 'vanish' });
    const ws = new WebSocket(s.wsEndpoint);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const redis = testRedis();
    try {
      // What Redis' own expiry does at expiresAt, ahead of the reaper's next round.
      await redis.del(new Keys(cluster.prefix).socket(s.id));
      const closed = new Promise<[number, string]>((resolve) => ws.once('close', (c, r) => resolve([c, r.toString()])));
      ws.send('ping');
      assert.deepEqual(await closed, [4000, 'expired']);
    } finally {
      redis.disconnect();
    }
  });

  test('a WebSocket upgrade on any other path is answered 404 at once, not left hanging', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${cluster.gateways[0]?.port}/elsewhere`);
    const status = await new Promise<number>((resolve) => {
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.once('error', () => resolve(-1));
    });
    assert.equal(status, 404);
  });

  test('native WebSocket refusals close with a 4xxx code and the SPEC code as reason', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${cluster.gateways[0]?.port}/ws?socketId=AAAAAAAAAAAAAAAAAAAAAA`);
    const [code, reason] = await new Promise<[number, string]>((resolve) => ws.once('close', (c, r) => resolve([c, r.toString()])));
    assert.equal(reason, 'socket_not_found');
    assert.ok(code >= 4000 && code < 5000);
  });
});
