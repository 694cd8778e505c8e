import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ClientSocketError, newSocketId, parseInput, createSocketSchema, type CreateSocketRequest, type ErrorCode } from '@clientsocket/core';
import { loadConfig } from '@clientsocket/config';
import type { Redis } from 'ioredis';
import { createClusterContext, type ClusterContext } from './cluster-context.js';
import { indexMember } from './keys.js';
import { deletePrefix, redisUrl, testRedis, uniquePrefix } from '../../../test/helpers/redis.js';
import { eventually } from '../../../test/helpers/clients.js';

const NODE = 'gw-store-test';

/** A context on its own key prefix, as a gateway (it holds connections). */
async function openContext(name: string, renewalMinuteMs: number): Promise<ClusterContext> {
  const config = loadConfig({ REDIS_URL: redisUrl(), KEY_PREFIX: uniquePrefix(name), RENEWAL_MINUTE_MS: String(renewalMinuteMs), NODE_NAME: NODE });
  return createClusterContext(config, { nodeId: NODE, holdsConnections: true });
}

async function rejectsWith(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  await assert.rejects(promise, (err: unknown) => err instanceof ClientSocketError && err.code === code);
}

function input(request: CreateSocketRequest): ReturnType<typeof parseInput<typeof createSocketSchema>> {
  return parseInput(createSocketSchema, request);
}

/** Redis' clock in ms: the one clock the store's times come from. */
async function redisNow(redis: Redis): Promise<number> {
  const [s, us] = await redis.time();
  return Number(s) * 1000 + Math.floor(Number(us) / 1000);
}

describe('RedisSocketStore', () => {
  const MINUTE = 60_000;
  let ctx: ClusterContext;
  let redis: Redis;

  before(async () => {
    ctx = await openContext('store', MINUTE);
    redis = testRedis();
  });

  after(async () => {
    await ctx.close();
    await deletePrefix(redis, ctx.keys.prefix);
    redis.disconnect();
  });

  const create = (pal: string, request: CreateSocketRequest, id = newSocketId()) => ctx.store.create(pal, input(request), 'api-1', id);

  test('create then get: every field, times from Redis, expiry renewalIncrement minutes out', async () => {
    const created = await create('acme', { channel: 'room', secure: true, renewalIncrement: 7, receiverWorkflow: 'echo', clientIp: '::ffff:203.0.113.9' });
    assert.equal(created.expiresAt - created.createdAt, 7 * MINUTE);
    const read = await ctx.store.get('acme', created.id);
    assert.deepEqual(read, {
      id: created.id,
      pal: 'acme',
      channel: 'room',
      secure: true,
      clientIp: '203.0.113.9',
      renewalIncrement: 7,
      receiverWorkflow: 'echo',
      worker: 'api-1',
      createdAt: created.createdAt,
      lastAccess: created.createdAt,
      expiresAt: created.expiresAt,
      messageCount: 0,
      connections: 0,
    });
    assert.equal(await redis.pttl(ctx.keys.socket(created.id)) > 0, true, 'the socket hash must carry a TTL');
  });

  test("get: another pal's socket and an unknown id are both absent", async () => {
    const created = await create('acme', { channel: 'room' });
    assert.equal(await ctx.store.get('globex', created.id), null);
    assert.equal(await ctx.store.get('acme', newSocketId()), null);
  });

  test('list: channel filter, cursor paging, total, nextCursor null on the last page; pals apart', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) ids.add((await create('paging', { channel: 'a' })).id);
    await create('paging', { channel: 'b' });
    await create('paging-other', { channel: 'a' });

    const seen: string[] = [];
    let cursor: string | undefined;
    const sizes: number[] = [];
    for (;;) {
      const page = await ctx.store.list('paging', { channel: 'a', limit: 2, cursor });
      assert.equal(page.total, 5);
      sizes.push(page.rows.length);
      seen.push(...page.rows.map((r) => r.id));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    assert.deepEqual(sizes, [2, 2, 1]);
    assert.deepEqual(new Set(seen), ids);
    assert.equal(seen.length, 5);

    const all = await ctx.store.list('paging', { limit: 100 });
    assert.equal(all.total, 6);
    assert.equal(all.nextCursor, null);
    // Oldest first.
    const created = all.rows.map((r) => indexMember(r.createdAt, r.id));
    assert.deepEqual(created, [...created].sort());

    const exact = await ctx.store.list('paging', { limit: 6 });
    assert.equal(exact.rows.length, 6);
    assert.equal(exact.nextCursor, null);

    await assert.rejects(ctx.store.list('paging', { limit: 2, cursor: 'forged' }), (err: unknown) => err instanceof ClientSocketError && err.code === 'validation_failed');
    const forged = `c1.${Buffer.from('not a member').toString('base64url')}`;
    await assert.rejects(ctx.store.list('paging', { limit: 2, cursor: forged }), (err: unknown) => err instanceof ClientSocketError && err.code === 'validation_failed');
  });

  test('delete: true once, then false; nothing of the socket is left; another pal cannot', async () => {
    const created = await create('acme', { channel: 'deleting' });
    await ctx.store.connect(created.id, '127.0.0.1', NODE);
    assert.equal(await ctx.store.delete('globex', created.id), false);
    assert.ok(await ctx.store.get('acme', created.id));

    assert.equal(await ctx.store.delete('acme', created.id), true);
    assert.equal(await ctx.store.delete('acme', created.id), false);
    assert.equal(await ctx.store.get('acme', created.id), null);
    const k = ctx.keys;
    assert.equal(await redis.exists(k.socket(created.id), k.connections(created.id)), 0);
    assert.equal(await redis.zscore(k.dueOf(created.id), created.id), null);
    assert.equal(await redis.hget(k.dueMetaOf(created.id), created.id), null);
    const member = indexMember(created.createdAt, created.id);
    assert.equal(await redis.zscore(k.palIndex('acme'), member), null);
    assert.equal(await redis.zscore(k.channelIndex('acme', 'deleting'), member), null);
  });

  test('touch: a ping renews, a message renews and counts; lastAccess follows', async () => {
    const created = await create('acme', { channel: 'touch', renewalIncrement: 3 });
    const ping = await ctx.store.touch(created.id, false);
    assert.equal(ping.messageCount, 0);
    assert.ok(ping.expiresAt >= created.expiresAt);
    const afterPing = await ctx.store.get('acme', created.id);
    assert.equal(afterPing?.expiresAt, ping.expiresAt);
    assert.equal((afterPing?.expiresAt ?? 0) - (afterPing?.lastAccess ?? 0), 3 * MINUTE);

    const message = await ctx.store.touch(created.id, true);
    assert.equal(message.messageCount, 1);
    assert.deepEqual({ pal: message.pal, channel: message.channel, receiverWorkflow: message.receiverWorkflow }, { pal: 'acme', channel: 'touch', receiverWorkflow: null });
    assert.equal((await ctx.store.touch(created.id, true)).messageCount, 2);
    assert.equal((await ctx.store.get('acme', created.id))?.messageCount, 2);

    await rejectsWith(ctx.store.touch(newSocketId(), false), 'socket_not_found');
  });

  test('connect: counts connections per node; disconnect uncounts; unknown ids are socket_not_found', async () => {
    const created = await create('acme', { channel: 'conn' });
    const accepted = await ctx.store.connect(created.id, '127.0.0.1', NODE);
    assert.deepEqual({ pal: accepted.pal, channel: accepted.channel, receiverWorkflow: accepted.receiverWorkflow }, { pal: 'acme', channel: 'conn', receiverWorkflow: null });
    await ctx.store.connect(created.id, '127.0.0.1', NODE);
    assert.equal((await ctx.store.get('acme', created.id))?.connections, 2);
    assert.equal(await ctx.store.channelConnections('acme', 'conn'), 2);
    assert.equal(await ctx.store.channelConnections('globex', 'conn'), 0);

    // A node with no liveness lease (never started, or killed) does not count.
    await ctx.store.connect(created.id, '127.0.0.1', 'gw-without-a-lease');
    assert.equal((await ctx.store.get('acme', created.id))?.connections, 2);

    await ctx.store.disconnect(created.id, NODE);
    assert.equal((await ctx.store.get('acme', created.id))?.connections, 1);
    await ctx.store.disconnect(created.id, NODE);
    await ctx.store.disconnect(created.id, NODE);
    assert.equal((await ctx.store.get('acme', created.id))?.connections, 0);

    await rejectsWith(ctx.store.connect(newSocketId(), '127.0.0.1', NODE), 'socket_not_found');
  });

  test('IP binding: a secure socket binds its first IP; another IP is refused and renews nothing', async () => {
    const unbound = await create('acme', { channel: 'ip', secure: true });
    await ctx.store.connect(unbound.id, '203.0.113.1', NODE);
    const bound = await ctx.store.get('acme', unbound.id);
    assert.equal(bound?.clientIp, '203.0.113.1');
    await ctx.store.connect(unbound.id, '203.0.113.1', NODE);
    await rejectsWith(ctx.store.connect(unbound.id, '203.0.113.2', NODE), 'ip_not_allowed');
    const after = await ctx.store.get('acme', unbound.id);
    assert.equal(after?.connections, 2);
    assert.equal(after?.clientIp, '203.0.113.1');

    const given = await create('acme', { channel: 'ip', secure: true, clientIp: '2001:db8::1' });
    const before = await ctx.store.get('acme', given.id);
    await rejectsWith(ctx.store.connect(given.id, '203.0.113.1', NODE), 'ip_not_allowed');
    const refused = await ctx.store.get('acme', given.id);
    assert.equal(refused?.expiresAt, before?.expiresAt);
    assert.equal(refused?.lastAccess, before?.lastAccess);
    assert.equal(refused?.connections, 0);
    await ctx.store.connect(given.id, '2001:db8::1', NODE);

    const open = await create('acme', { channel: 'ip' });
    await ctx.store.connect(open.id, '203.0.113.1', NODE);
    await ctx.store.connect(open.id, '198.51.100.1', NODE);
    assert.equal((await ctx.store.get('acme', open.id))?.clientIp, null);
  });
});

describe('RedisSocketStore after expiry', () => {
  // One renewal minute is short here so that sockets expire during the test.
  const MINUTE = 300;
  let ctx: ClusterContext;
  let redis: Redis;

  before(async () => {
    ctx = await openContext('store-expiry', MINUTE);
    redis = testRedis();
  });

  after(async () => {
    await ctx.close();
    await deletePrefix(redis, ctx.keys.prefix);
    redis.disconnect();
  });

  test('reads as not found from expiresAt on; a ping or a connect after that never brings it back', async () => {
    const created = await ctx.store.create('acme', input({ channel: 'late', secure: true }), 'api-1', newSocketId());
    await ctx.store.connect(created.id, '127.0.0.1', NODE);
    const live = await ctx.store.get('acme', created.id);
    assert.ok(live);

    await eventually(async () => (await ctx.store.get('acme', created.id)) === null);
    assert.ok((await redisNow(redis)) >= live.expiresAt, 'gone before its expiresAt');

    await rejectsWith(ctx.store.touch(created.id, false), 'socket_not_found');
    await rejectsWith(ctx.store.touch(created.id, true), 'socket_not_found');
    await rejectsWith(ctx.store.connect(created.id, '127.0.0.1', NODE), 'socket_not_found');
    await ctx.store.disconnect(created.id, NODE);
    assert.equal(await redis.exists(ctx.keys.socket(created.id), ctx.keys.connections(created.id)), 0);
    assert.equal(await ctx.store.get('acme', created.id), null);
  });

  test('an expired socket that is not reaped yet is left out of listings', async () => {
    const gone = await ctx.store.create('lister', input({ channel: 'ch' }), 'api-1', newSocketId());
    await eventually(async () => (await ctx.store.get('lister', gone.id)) === null);
    const staying = await ctx.store.create('lister', input({ channel: 'ch', renewalIncrement: 30 }), 'api-1', newSocketId());
    const page = await ctx.store.list('lister', { channel: 'ch', limit: 10 });
    assert.deepEqual(page.rows.map((r) => r.id), [staying.id]);
    assert.equal(page.nextCursor, null);
    assert.equal((await ctx.store.list('lister', { channel: 'ch', limit: 10 })).total, 1);
  });

  test('total counts only live sockets even before the reaper has run', async () => {
    const gone = await ctx.store.create('counter', input({ channel: 'ch' }), 'api-1', newSocketId());
    await eventually(async () => (await ctx.store.get('counter', gone.id)) === null);
    await ctx.store.create('counter', input({ channel: 'ch', renewalIncrement: 30 }), 'api-1', newSocketId());
    assert.equal((await ctx.store.list('counter', { channel: 'ch', limit: 10 })).total, 1);
  });

  test('after expiry and reaping nothing of the sockets is left in Redis', async () => {
    const pal = 'churn';
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const s = await ctx.store.create(pal, input({ channel: `ch-${i % 3}` }), 'api-1', newSocketId());
      ids.push(s.id);
      if (i % 2 === 0) await ctx.store.connect(s.id, '127.0.0.1', NODE);
    }
    await eventually(async () => (await ctx.store.list(pal, { limit: 100 })).rows.length === 0);
    for (let b = 0; b < 16; b++) {
      const { expired } = await ctx.store.reapBucket(b, 1000);
      await ctx.store.unindex(expired);
    }
    const k = ctx.keys;
    for (const id of ids) {
      assert.equal(await redis.exists(k.socket(id), k.connections(id)), 0, id);
      assert.equal(await redis.zscore(k.dueOf(id), id), null, id);
      assert.equal(await redis.hexists(k.dueMetaOf(id), id), 0, id);
    }
    assert.equal(await redis.exists(k.palIndex(pal), k.channelIndex(pal, 'ch-0'), k.channelIndex(pal, 'ch-1'), k.channelIndex(pal, 'ch-2')), 0);
  });
});
