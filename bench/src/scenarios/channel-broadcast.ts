import type { AgentClient } from '../agent/agent-client.js';
import type { ConnectTarget, PushVia } from '../agent/protocol.js';
import type { BenchContext } from '../bench-context.js';
import { CpuMeter } from '../procs/proc-stats.js';
import type { BroadcastResult, BroadcastRow } from '../report/result-types.js';
import { redisDelta, redisSnapshot } from '../redis/redis-stats.js';
import { round, summarize } from '../stats/latency.js';
import { createSockets, deleteSockets, roomIds, sleep } from './helpers.js';

/** One send at a time to a channel of `members`, each awaited at every member before the next. */
async function sends(ctx: BenchContext, rx: AgentClient, via: PushVia, channel: string, members: number, system: 'ours' | 'baseline'): Promise<BroadcastRow> {
  const tag = `bc:${system}:${members}`;
  const response: number[] = [];
  const first: number[] = [];
  const completion: number[] = [];
  let complete = 0;
  const meter = new CpuMeter(ctx.watched());
  const before = await redisSnapshot(ctx.admin);
  for (let q = 0; q < ctx.options.broadcast.sends; q++) {
    const sent = await ctx.sender.pushOne(via, { channel }, tag, q);
    if (sent.status !== 'ok') throw new Error(`broadcast: ${system} send answered ${sent.status}`);
    response.push(sent.responseMs);
    const seq = await rx.awaitSeq(tag, q, members, 5000);
    if (seq.received >= members) complete++;
    if (seq.received > 0) {
      first.push(seq.firstMs);
      completion.push(seq.lastMs);
    }
    await sleep(20);
  }
  const cpu = meter.stop();
  const redis = redisDelta(before, await redisSnapshot(ctx.admin));
  await rx.collect(tag, 0, 0, 0);
  const commands = Math.max(0, redis.calls - ctx.idleRedisCommandsPerSec * redis.seconds);
  const row: BroadcastRow = {
    system,
    members,
    sends: ctx.options.broadcast.sends,
    complete,
    responseMs: summarize(response),
    firstMs: summarize(first),
    completionMs: summarize(completion),
    redisCommandsPerSend: round(commands / ctx.options.broadcast.sends, 1),
    cpu,
  };
  ctx.log(`  ${system} channel of ${members}: answer p50 ${row.responseMs.p50} ms, last member p50 ${row.completionMs.p50} ms, ${row.redisCommandsPerSend} Redis commands per send, ${complete}/${row.sends} complete`);
  return row;
}

async function connectAll(rx: AgentClient, targets: ConnectTarget[], pingIntervalMs: number): Promise<void> {
  const r = await rx.connect(targets, { pingIntervalMs, concurrency: 100 });
  if (r.failed) throw new Error(`broadcast: ${r.failed} of ${targets.length} clients could not connect: ${JSON.stringify(r.errors)}`);
}

/** Scenario 2: one send to a channel of 1, 100 and 1,000 members spread over 2 gateways. */
export async function runBroadcast(ctx: BenchContext): Promise<BroadcastResult> {
  const rx = ctx.receivers[0] as AgentClient;
  const rows: BroadcastRow[] = [];
  const api: PushVia = { kind: 'http', baseUrl: ctx.ours.apiUrl, apiKey: ctx.ours.apiKey };
  const http: PushVia = { kind: 'http', baseUrl: ctx.baseline.apiUrl, apiKey: 'none' };
  for (const members of ctx.options.broadcast.sizes) {
    const channel = `bc-${members}`;
    const ids = await createSockets(ctx, members, { channel });
    try {
      await connectAll(rx, ids.map((id, i) => ({ url: ctx.ours.endpoint(i, id), key: id })), ctx.options.pingIntervalMs);
      rows.push(await sends(ctx, rx, api, channel, members, 'ours'));
    } finally {
      await rx.disconnect();
      await deleteSockets(ctx, ids);
    }
    try {
      await connectAll(rx, roomIds(members, `bc${members}-`).map((room, i) => ({ url: ctx.baseline.endpoint(i, room, channel), key: room })), ctx.options.pingIntervalMs);
      rows.push(await sends(ctx, rx, http, channel, members, 'baseline'));
    } finally {
      await rx.disconnect();
    }
  }
  return { rows };
}
