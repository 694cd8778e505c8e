import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createSocketSchema, newSocketId, parseInput } from '@clientsocket/core';
import { loadConfig } from '@clientsocket/config';
import type { Redis } from 'ioredis';
import { createClusterContext, type ClusterContext } from './cluster-context.js';
import { Reaper } from './reaper.js';
import type { ExpiredSocket } from './socket-store.js';
import { deletePrefix, redisUrl, testRedis, uniquePrefix } from '../../../test/helpers/redis.js';
import { eventually } from '../../../test/helpers/clients.js';

// Short renewal minutes, so sockets fall due within the test.
const MINUTE = 200;

describe('Reaper', () => {
  let prefix: string;
  let a: ClusterContext;
  let b: ClusterContext;
  let redis: Redis;

  before(async () => {
    prefix = uniquePrefix('reaper');
    const env = { REDIS_URL: redisUrl(), KEY_PREFIX: prefix, RENEWAL_MINUTE_MS: String(MINUTE) };
    // Two processes' worth of state: separate Redis connections on one prefix.
    a = await createClusterContext(loadConfig({ ...env, NODE_NAME: 'reaper-a' }), { nodeId: 'gw-reaper-a', holdsConnections: true });
    b = await createClusterContext(loadConfig({ ...env, NODE_NAME: 'reaper-b' }), { nodeId: 'gw-reaper-b', holdsConnections: true });
    redis = testRedis();
  });

  after(async () => {
    await Promise.all([a.close(), b.close()]);
    await deletePrefix(redis, prefix);
    redis.disconnect();
  });

  /** Creates `n` sockets of `pal` and waits until every one reads as expired. */
  async function createDue(pal: string, n: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const id = newSocketId();
      await a.store.create(pal, parseInput(createSocketSchema, { channel: `ch-${i % 4}` }), 'api-1', id);
      if (i % 3 === 0) await a.store.connect(id, '127.0.0.1', 'gw-reaper-a');
      ids.push(id);
    }
    await eventually(async () => (await Promise.all(ids.map((id) => a.store.get(pal, id)))).every((r) => r === null));
    return ids;
  }

  function assertEachOnce(claims: ExpiredSocket[], ids: string[]): void {
    const counts = new Map<string, number>();
    for (const c of claims) counts.set(c.id, (counts.get(c.id) ?? 0) + 1);
    const twice = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
    assert.deepEqual(twice, [], 'claimed more than once');
    assert.deepEqual([...counts.keys()].sort(), [...ids].sort());
    for (const c of claims) assert.ok(c.claimedAt >= c.expiresAt, `${c.id} claimed before it was due`);
  }

  test('two reapers ticking at once claim each expiry exactly once', async () => {
    const ids = await createDue('race', 120);
    const claims: ExpiredSocket[] = [];
    // A batch of one makes every bucket take many rounds, so the two interleave throughout.
    // Started with a period that never comes round, so only the ticks below run.
    const ra = new Reaper(a.store, a.pusher, { intervalMs: 3_600_000, batch: 1, onExpired: (s) => claims.push(...s) });
    const rb = new Reaper(b.store, b.pusher, { intervalMs: 3_600_000, batch: 1, onExpired: (s) => claims.push(...s) });
    ra.start();
    rb.start();
    try {
      const [na, nb] = await Promise.all([ra.tick(), rb.tick()]);
      assert.equal(na + nb, ids.length);
      assertEachOnce(claims, ids);
      assert.deepEqual(await Promise.all([ra.tick(), rb.tick()]), [0, 0]);
    } finally {
      ra.stop();
      rb.stop();
    }

    for (const id of ids) assert.equal(await redis.exists(a.keys.socket(id), a.keys.connections(id)), 0);
    assert.equal((await a.store.list('race', { limit: 1000 })).total, 0);
    assert.equal(await redis.exists(a.keys.palIndex('race')), 0);
  });

  test('two running reapers close every expiry once and tell its connections why', async () => {
    const claims: ExpiredSocket[] = [];
    const ra = new Reaper(a.store, a.pusher, { intervalMs: 5, batch: 3, onExpired: (s) => claims.push(...s) });
    const rb = new Reaper(b.store, b.pusher, { intervalMs: 5, batch: 3, onExpired: (s) => claims.push(...s) });
    const closes: string[] = [];
    const sub = redis.duplicate();
    try {
      // What the gateways' adapter receives: one `closed` packet per expired socket.
      await sub.psubscribe(`${a.keys.socketIoKey()}#*`);
      sub.on('pmessage', (_p: string, _channel: string, message: Buffer | string) => {
        const text = message.toString();
        if (text.includes('closed')) closes.push(text);
      });
      ra.start();
      rb.start();
      const ids = await createDue('running', 40);
      await eventually(() => claims.length >= ids.length);
      ra.stop();
      rb.stop();
      assertEachOnce(claims, ids);
      await eventually(() => closes.length >= ids.length);
      assert.equal(closes.length, ids.length);
    } finally {
      ra.stop();
      rb.stop();
      sub.disconnect();
    }
  });
});
