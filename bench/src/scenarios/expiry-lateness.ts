import type { AgentClient } from '../agent/agent-client.js';
import type { BenchContext } from '../bench-context.js';
import type { ExpiryResult } from '../report/result-types.js';
import { summarize } from '../stats/latency.js';
import { Keys } from '@clientsocket/store';
import { createSockets, deleteSockets, sleep } from './helpers.js';

const NOISE_PREFIX = 'bench:noise:';

/** Fills Redis with `count` unrelated keys whose TTLs (1–2 h) outlive the run, as a busy shared Redis holds. */
async function addNoise(ctx: BenchContext, count: number): Promise<void> {
  for (let start = 0; start < count; start += 5000) {
    const pipe = ctx.admin.pipeline();
    for (let i = start; i < Math.min(count, start + 5000); i++) pipe.set(`${NOISE_PREFIX}${i}`, 'x', 'PX', 3_600_000 + Math.floor(Math.random() * 3_600_000));
    await pipe.exec();
  }
}

async function removeNoise(ctx: BenchContext, count: number): Promise<void> {
  for (let start = 0; start < count; start += 5000) {
    const names = Array.from({ length: Math.min(count, start + 5000) - start }, (_, i) => `${NOISE_PREFIX}${start + i}`);
    await ctx.admin.unlink(...names);
  }
}

/**
 * Scenario 6: sockets go idle among 100k unrelated keys with TTLs; how long
 * after `expiresAt` does the client get `closed {reason:"expired"}`, and is
 * the socket gone from Redis within 2 s. `expiresAt` is what the last ping's
 * ack reported (Redis' clock; the bench runs on the same machine).
 */
export async function runExpiry(ctx: BenchContext): Promise<ExpiryResult> {
  const { noiseKeys, sockets } = ctx.options.expiry;
  const rx = ctx.receivers[0] as AgentClient;
  const keys = new Keys('csc:');
  await addNoise(ctx, noiseKeys);
  const ids = await createSockets(ctx, sockets, { channel: 'expiry', renewalIncrement: 1 });
  try {
    const c = await rx.connect(ids.map((id, i) => ({ url: ctx.ours.endpoint(i, id), key: id })));
    if (c.failed) throw new Error(`expiry: ${c.failed} clients could not connect: ${JSON.stringify(c.errors)}`);
    const pinged = await rx.pingOnce();
    if (pinged.acks.length === 0) throw new Error('expiry: no ping ack carried expiresAt');
    const expiresAt = new Map(pinged.acks.map((a) => [a.key, a.expiresAt]));
    let goneWithin2s = 0;
    const checks = pinged.acks.map(async (a) => {
      await sleep(Math.max(0, a.expiresAt + 2000 - Date.now()));
      if ((await ctx.admin.exists(keys.socket(a.key))) === 0) goneWithin2s++;
    });
    const last = Math.max(...expiresAt.values());
    await sleep(Math.max(0, last - Date.now()) + 2500);
    await Promise.all(checks);
    const closed = (await rx.closedEvents()).filter((e) => e.reason === 'expired' && expiresAt.has(e.key));
    const lateness = closed.map((e) => e.at - (expiresAt.get(e.key) as number));
    const result: ExpiryResult = {
      noiseKeys,
      sockets: expiresAt.size,
      renewalMinuteMs: ctx.options.renewalMinuteMs,
      closed: closed.length,
      notClosed: expiresAt.size - new Set(closed.map((e) => e.key)).size,
      latenessMs: summarize(lateness),
      goneWithin2s,
    };
    ctx.log(`  ${result.closed}/${result.sockets} closed, lateness p50 ${result.latenessMs.p50} ms, p99 ${result.latenessMs.p99} ms, max ${result.latenessMs.max} ms; ${goneWithin2s} gone from Redis within 2 s`);
    return result;
  } finally {
    await rx.disconnect();
    await deleteSockets(ctx, ids);
    await removeNoise(ctx, noiseKeys);
  }
}
