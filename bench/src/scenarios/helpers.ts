import type { BenchContext } from '../bench-context.js';
import type { CpuWindow } from '../procs/proc-stats.js';
import type { Bottleneck, LoadStep } from '../report/result-types.js';
import type { SendReport, ReceiveReport } from '../agent/protocol.js';
import { round } from '../stats/latency.js';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A process at or above this share of one core is taken to be the limit. */
const BUSY_PCT = 85;

/** Names what limited a window, from its CPU figures. */
export function judge(cpu: CpuWindow, generators: ReadonlySet<string>): Bottleneck {
  const entries = Object.entries(cpu.perProcess).sort((a, b) => b[1] - a[1]);
  const gen = entries.find(([name]) => generators.has(name));
  if (gen && gen[1] >= BUSY_PCT) {
    return { kind: 'generator', process: gen[0], note: `load generator ${gen[0]} at ${gen[1]}% of a core: the generator, not the server, set the limit` };
  }
  const top = entries.find(([name]) => !generators.has(name));
  if (top && top[1] >= BUSY_PCT) {
    return { kind: top[0] === 'redis' ? 'redis' : 'server', process: top[0], note: `${top[0]} at ${top[1]}% of a core` };
  }
  if (cpu.outsidePct >= 50) {
    return { kind: 'disturbed', process: null, note: `another workload outside the bench used ${cpu.outsidePct}% of a core: figures disturbed` };
  }
  if (cpu.machineBusyPct >= 90) {
    return { kind: 'machine', process: top?.[0] ?? null, note: `all cores ${cpu.machineBusyPct}% busy; the processes share them (busiest: ${entries.slice(0, 3).map(([n, p]) => `${n} ${p}%`).join(', ')})` };
  }
  return { kind: 'none', process: null, note: 'no process saturated' };
}

/**
 * Sockets of the bench pal, made through the in-cluster SDK (setup is not
 * what is measured, so it takes the shortest path).
 */
export async function createSockets(
  ctx: BenchContext,
  count: number,
  options: { channel: string; receiverWorkflow?: string; renewalIncrement?: number },
): Promise<string[]> {
  const ids: string[] = new Array(count);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      const socket = await ctx.manager.createClientSocket({
        channel: options.channel,
        renewalIncrement: options.renewalIncrement ?? 30,
        ...(options.receiverWorkflow ? { receiverWorkflow: options.receiverWorkflow } : {}),
      });
      ids[i] = socket.getId();
    }
  };
  await Promise.all(Array.from({ length: Math.min(64, count) }, lane));
  return ids;
}

/** Deletes sockets so they do not expire in bulk during a later scenario. */
export async function deleteSockets(ctx: BenchContext, ids: readonly string[]): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < ids.length) await ctx.manager.deleteClientSocket(ids[next++] as string).catch(() => false);
  };
  await Promise.all(Array.from({ length: Math.min(64, ids.length) }, lane));
}

/** Random ids for the baseline's rooms, shaped like ours. */
export function roomIds(count: number, prefix: string): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${i.toString(36).padStart(6, '0')}`);
}

/**
 * Latencies that mean a path is queueing rather than keeping up: on loopback
 * a message that waits this long waited behind others. (A backlog that grows
 * for a whole step shows in p50 long before it shows as loss.)
 */
const P50_LIMIT_MS = 100;
const P99_LIMIT_MS = 500;

/** Why a step is past saturation, or null when the path kept up. */
export function saturation(step: Omit<LoadStep, 'saturated' | 'bottleneck' | 'cpu' | 'redisCpuUsecPerMsg' | 'serverCpuUsecPerMsg'>): string | null {
  const errors = Object.values(step.errors).reduce((a, b) => a + b, 0);
  if (step.skipped > 0) return `${step.skipped} sends skipped: the cap of requests in flight was reached`;
  if (errors > step.sent * 0.001) return `${errors} errors (${Object.keys(step.errors).join(', ')})`;
  if (step.lost > 0) return `${step.lost} messages lost`;
  if (step.deliveredPerSec < step.offeredPerSec * 0.9) return `delivered ${step.deliveredPerSec}/s of ${step.offeredPerSec}/s offered`;
  if (step.latencyMs.p50 > P50_LIMIT_MS) return `queueing: p50 ${step.latencyMs.p50} ms > ${P50_LIMIT_MS} ms`;
  if (step.latencyMs.p99 > P99_LIMIT_MS) return `queueing: p99 ${step.latencyMs.p99} ms > ${P99_LIMIT_MS} ms`;
  return null;
}

/** Builds a step from what the sender and the receivers reported. */
/** Server processes of each system (Redis is shared and counted for both). */
const SERVERS: Record<'ours' | 'baseline', RegExp> = { ours: /^(gw-\d+|api|worker-\d+)$/, baseline: /^baseline-/ };

/**
 * CPU time all server processes of `system` and Redis spent per delivered
 * message, each process's idle background (heartbeats, reapers) taken out. Unlike latency, this hardly
 * moves when other work shares the machine, so it compares fairly on a busy box.
 */
function serverCpuPerMsg(ctx: Pick<BenchContext, 'idleCpu'>, system: 'ours' | 'baseline', cpu: CpuWindow, delivered: number): number | null {
  if (delivered <= 0) return null;
  let pct = 0;
  for (const [name, p] of Object.entries(cpu.perProcess)) if (name === 'redis' || SERVERS[system].test(name)) pct += Math.max(0, p - (ctx.idleCpu[name] ?? 0));
  return round(((pct / 100) * cpu.seconds * 1e6) / delivered, 0);
}

export function toStep(ctx: Pick<BenchContext, 'generators' | 'idleCpu'>, system: 'ours' | 'baseline', offeredPerSec: number, send: SendReport, recv: ReceiveReport, cpu: CpuWindow): LoadStep {
  const delivered = recv.received;
  const base = {
    offeredPerSec,
    durationMs: send.durationMs,
    sent: send.sent,
    skipped: send.skipped,
    ok: send.ok,
    errors: send.errors,
    delivered,
    lost: Math.max(0, send.ok - delivered),
    deliveredPerSec: round(delivered / Math.max(send.durationMs / 1000, 0.001), 0),
    latencyMs: recv.latencyMs,
    responseMs: send.responseMs,
  };
  const redisPct = cpu.perProcess.redis;
  const busyPct = redisPct === undefined ? undefined : Math.max(0, redisPct - (ctx.idleCpu.redis ?? 0));
  const redisCpuUsecPerMsg = busyPct !== undefined && delivered > 0 ? round(((busyPct / 100) * cpu.seconds * 1e6) / delivered, 1) : null;
  return { ...base, cpu, redisCpuUsecPerMsg, serverCpuUsecPerMsg: serverCpuPerMsg(ctx, system, cpu, delivered), bottleneck: judge(cpu, ctx.generators), saturated: saturation(base) };
}

/** True when even the last (highest) step kept up: the real maximum lies beyond the tested range. */
export function openEnded(steps: readonly LoadStep[]): boolean {
  return steps.length > 0 && steps.every((s) => s.saturated === null);
}

/** Above this much CPU used outside the bench, a saturated step is run once more. */
const DISTURBED_PCT = 50;

/**
 * Runs a step; when it saturated while another workload was using the
 * machine, runs it once more and keeps the second result, so a neighbour's
 * burst does not end a series early. Both attempts are logged.
 */
export async function steadyStep(ctx: Pick<BenchContext, 'log'>, run: (attempt: number) => Promise<LoadStep>, what: string): Promise<LoadStep> {
  const step = await run(1);
  if (!step.saturated || step.cpu.outsidePct < DISTURBED_PCT) return step;
  ctx.log(`  ${what}: saturated while ${step.cpu.outsidePct}% of a core was used outside the bench; running it again`);
  await sleep(1000);
  return run(2); // a fresh tag: late arrivals of the first attempt are not counted
}

/** Highest rate of `steps` that kept up. */
export function maxSustained(steps: readonly LoadStep[]): number | null {
  let best: number | null = null;
  for (const s of steps) if (s.saturated === null && (best === null || s.offeredPerSec > best)) best = s.offeredPerSec;
  return best;
}
