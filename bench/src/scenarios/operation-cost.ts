import type { AgentClient } from '../agent/agent-client.js';
import type { PushVia } from '../agent/protocol.js';
import type { BenchContext } from '../bench-context.js';
import { portOwners } from '../procs/proc-stats.js';
import { redisDelta, redisSnapshot, RoundTripMonitor, type RedisDelta, type RoundTrips } from '../redis/redis-stats.js';
import type { CostResult, OperationCost } from '../report/result-types.js';
import { round } from '../stats/latency.js';
import { BENCH_PAL } from '../topology/our-cluster.js';
import { createSockets, deleteSockets, sleep } from './helpers.js';

interface Window {
  delta: RedisDelta;
  trips: RoundTrips;
}

/** Maps a client port seen by MONITOR to the process holding it; re-reads /proc (at most every 250 ms) on a miss. */
function ownerLookup(ctx: BenchContext): (port: number) => string {
  const pids = new Map<number, string>([[process.pid, 'bench'], ...ctx.watched().map((w) => [w.pid, w.name] as [number, string])]);
  let owners = portOwners(pids, ctx.redis.port);
  let readAt = Date.now();
  return (port) => {
    let name = owners.get(port);
    if (name === undefined && Date.now() - readAt > 250) {
      owners = portOwners(pids, ctx.redis.port);
      readAt = Date.now();
      name = owners.get(port);
    }
    return name ?? 'other';
  };
}

/** A window's counts with the idle background (heartbeats, reapers, queue polling) scaled to its length taken out. */
interface Measured {
  /** Commandstats delta, from the pass without MONITOR (MONITOR slows every command it echoes). */
  stats: Window['delta'];
  statsIdle: Window['delta'];
  /** Round trips, from the pass with MONITOR. */
  trips: Window['trips'];
  tripsIdle: Window['trips'];
  tripsSeconds: number;
  tripsIdleSeconds: number;
  count: number;
  tripsCount: number;
}

function perOp(op: string, m: Measured): OperationCost {
  const statScale = m.stats.seconds / m.statsIdle.seconds;
  const tripScale = m.tripsSeconds / m.tripsIdleSeconds;
  const per = (n: number, background: number): number => round(Math.max(0, n - background * statScale) / Math.max(m.count, 1), 2);
  const commands = Object.entries(m.stats.commands)
    .map(([command, c]) => ({ command, perOp: per(c.calls, m.statsIdle.commands[command]?.calls ?? 0) }))
    .filter((c) => c.perOp >= 0.05)
    .sort((a, b) => b.perOp - a.perOp);
  const byProcess: Record<string, number> = {};
  const requests: OperationCost['requests'] = [];
  let usec = 0;
  for (const [proc, cmds] of Object.entries(m.trips.byProcess)) {
    const idleCmds = m.tripsIdle.byProcess[proc] ?? {};
    let n = 0;
    for (const [cmd, calls] of Object.entries(cmds)) {
      const net = Math.max(0, calls - (idleCmds[cmd] ?? 0) * tripScale) / Math.max(m.tripsCount, 1);
      n += net;
      if (net >= 0.1) requests.push({ process: proc, command: cmd, perOp: round(net, 2) });
      // Execution time of a request: its command's mean time in the unmonitored pass (a script's includes its inner commands).
      const stat = m.stats.commands[cmd];
      if (stat && stat.calls > 0) usec += (net * stat.usec) / stat.calls;
    }
    if (n >= 0.2) byProcess[proc] = round(n, 2); // below that it is background noise, not this op's work
  }
  return {
    op,
    count: m.count,
    commandsPerOp: per(m.stats.calls, m.statsIdle.calls),
    roundTripsPerOp: round(Object.values(byProcess).reduce((a, b) => a + b, 0), 2),
    roundTripsByProcess: byProcess,
    redisUsecPerOp: round(usec, 1),
    commands,
    requests: requests.sort((a, b) => b.perOp - a.perOp),
  };
}

/**
 * Scenario 5: Redis commands (INFO commandstats) and round trips (MONITOR,
 * by sending process) per ping, per push and per inbound message, each a
 * window at a moderate rate minus an idle window of the same cluster.
 */
export async function runCost(ctx: BenchContext): Promise<CostResult> {
  const { windowMs, rate, sockets } = ctx.options.cost;
  const rx = ctx.receivers[0] as AgentClient;
  const ids = await createSockets(ctx, sockets, { channel: 'cost', receiverWorkflow: 'echo' });
  const c = await rx.connect(ids.map((id, i) => ({ url: ctx.ours.endpoint(i, id), key: id })));
  if (c.failed) throw new Error(`cost: ${c.failed} clients could not connect: ${JSON.stringify(c.errors)}`);
  const api: PushVia = { kind: 'http', baseUrl: ctx.ours.apiUrl, apiKey: ctx.ours.apiKey };
  const sdk: PushVia = { kind: 'sdk', env: ctx.ours.env(), pal: BENCH_PAL };
  // The SDK sender connects on first use; warm both routes so their setup is not counted.
  await ctx.sender.pushOne(api, { socketId: ids[0] as string }, 'warm', 0);
  await ctx.sender.pushOne(sdk, { socketId: ids[0] as string }, 'warm', 1);
  await rx.collect('warm', 2, 2000, 500);
  const ops: Array<[string, (ms: number) => Promise<number>]> = [
    ['ping', async (ms) => (await rx.emit('ping', rate, ms, `cost:ping:${ms}`)).ok],
    [
      'push via api',
      async (ms) => {
        const r = await ctx.sender.push(api, ids, rate, ms, `cost:api:${ms}`);
        await rx.collect(`cost:api:${ms}`, r.ok, 5000, 1000);
        return r.ok;
      },
    ],
    [
      'push via SDK',
      async (ms) => {
        const r = await ctx.sender.push(sdk, ids, rate, ms, `cost:sdk:${ms}`);
        await rx.collect(`cost:sdk:${ms}`, r.ok, 5000, 1000);
        return r.ok;
      },
    ],
    [
      'inbound message (echo)',
      async (ms) => {
        const r = await rx.emit('message', rate, ms, `cost:in:${ms}`);
        // The window closes once every echo is back: the worker's share is in it.
        await rx.collect(`cost:in:${ms}`, r.ok, 10000, 1500);
        return r.ok;
      },
    ],
  ];
  const idleWork = async (ms: number): Promise<number> => (await sleep(ms), 0);
  let monitor: RoundTripMonitor | undefined;
  const window = async (work: () => Promise<number>): Promise<{ w: Window; count: number }> => {
    await sleep(150);
    monitor?.take();
    const a = await redisSnapshot(ctx.admin);
    const count = await work();
    const b = await redisSnapshot(ctx.admin);
    await sleep(100); // MONITOR lines trail the commands slightly
    return { w: { delta: redisDelta(a, b), trips: monitor?.take() ?? { byProcess: {}, total: 0 } }, count };
  };
  try {
    // Pass 1, unobserved: command counts and execution times.
    const idle = (await window(() => idleWork(windowMs))).w;
    const plain: Array<{ w: Window; count: number }> = [];
    for (const [, work] of ops) plain.push(await window(() => work(windowMs)));
    // Pass 2, under MONITOR: which process sent which request. Shorter: only ratios are taken from it.
    monitor = await RoundTripMonitor.start(ctx.admin, ownerLookup(ctx));
    const short = Math.max(500, Math.round(windowMs / 2));
    const idle2 = (await window(() => idleWork(short))).w;
    const results: OperationCost[] = [];
    for (const [i, [name, work]] of ops.entries()) {
      const seen = await window(() => work(short));
      const p = plain[i] as { w: Window; count: number };
      results.push(
        perOp(name, {
          stats: p.w.delta,
          statsIdle: idle.delta,
          trips: seen.w.trips,
          tripsIdle: idle2.trips,
          tripsSeconds: seen.w.delta.seconds,
          tripsIdleSeconds: idle2.delta.seconds,
          count: p.count,
          tripsCount: seen.count,
        }),
      );
    }
    for (const op of results) ctx.log(`  ${op.op}: ${op.commandsPerOp} commands, ${op.roundTripsPerOp} round trips (${Object.entries(op.roundTripsByProcess).map(([p, n]) => `${p} ${n}`).join(', ')}), ${op.redisUsecPerOp} µs in Redis`);
    const idleSeconds = idle2.delta.seconds;
    const idleByProcess: Record<string, number> = {};
    for (const [proc, cmds] of Object.entries(idle2.trips.byProcess)) idleByProcess[proc] = round(Object.values(cmds).reduce((x, y) => x + y, 0) / idleSeconds, 1);
    return {
      windowMs,
      idle: { commandsPerSec: round(idle.delta.calls / idle.delta.seconds, 1), roundTripsPerSec: round(idle2.trips.total / idleSeconds, 1), byProcess: idleByProcess },
      ops: results,
    };
  } finally {
    monitor?.stop();
    await rx.disconnect();
    await deleteSockets(ctx, ids);
  }
}
