import { readFileSync } from 'node:fs';
import type { ConnectTarget } from '../agent/protocol.js';
import type { BenchContext } from '../bench-context.js';
import { CpuMeter } from '../procs/proc-stats.js';
import type { ServerProcess } from '../procs/server-process.js';
import type { ConnectionStep, ConnectionsResult } from '../report/result-types.js';
import { round, summarize } from '../stats/latency.js';
import { createSockets, deleteSockets, judge, roomIds, sleep } from './helpers.js';

/** Soft limit of open files, which every child inherits; null when unknown. */
export function openFilesLimit(): number | null {
  try {
    const m = /Max open files\s+(\d+)/.exec(readFileSync('/proc/self/limits', 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** File descriptors a gateway needs besides its client connections (Redis, listener, epoll, pipes). */
const FD_RESERVE = 400;

/** Connection counts to try: the configured steps, capped where one process runs out of file descriptors. */
function plannedSteps(steps: readonly number[], limit: number | null): { steps: number[]; note: string | null } {
  if (limit === null) return { steps: [...steps], note: null };
  const cap = limit - FD_RESERVE;
  const capped = [...new Set(steps.map((s) => Math.min(s, cap)))].filter((s) => s > 0);
  const note = steps.some((s) => s > cap) ? `capped at ${cap}: the open-files limit is ${limit} per process (ulimit -n), and one gateway holds every connection` : null;
  return { steps: capped, note };
}

/** KB per connection; null when the growth is not positive (allocator noise larger than the connections' share, at small steps). */
const kb = (bytes: number, n: number): number | null => (n > 0 && bytes > 0 ? round(bytes / n / 1024, 1) : null);

/**
 * Opens idle connections on one gateway in steps, all pinging on schedule;
 * per step: handshakes/s, RSS and heap per connection, event-loop delay.
 */
async function stepsFor(ctx: BenchContext, system: 'ours' | 'baseline', gw: ServerProcess, targets: ConnectTarget[], steps: readonly number[]): Promise<{ rows: ConnectionStep[]; strained: string | null }> {
  const { holdMs } = ctx.options.connections;
  const agents = ctx.receivers;
  const rows: ConnectionStep[] = [];
  const before = await gw.probe({ gc: true, resetDelay: true });
  let open = 0;
  let strained: string | null = null;
  for (const target of steps) {
    // New connections go to the agent with room left, so no generator holds more than `perAgent`.
    const fresh = targets.slice(open, target);
    const parts: ConnectTarget[][] = agents.map(() => []);
    // Round-robin, so every generator works on each step and none holds more than its share.
    fresh.forEach((t, k) => (parts[(open + k) % agents.length] as ConnectTarget[]).push(t));
    const meter = new CpuMeter(ctx.watched());
    const started = performance.now();
    const reports = await Promise.all(agents.map((a, i) => ((parts[i] as ConnectTarget[]).length ? a.connect(parts[i] as ConnectTarget[], { concurrency: 100, pingIntervalMs: ctx.options.pingIntervalMs }) : null)));
    const seconds = (performance.now() - started) / 1000;
    const connectCpu = meter.stop();
    const connected = reports.reduce((n, r) => n + (r?.connected ?? 0), 0);
    const failed = reports.reduce((n, r) => n + (r?.failed ?? 0), 0);
    const errors: Record<string, number> = {};
    for (const r of reports) for (const [k, v] of Object.entries(r?.errors ?? {})) errors[k] = (errors[k] ?? 0) + v;
    open += connected;

    await gw.probe({ resetDelay: true });
    await Promise.all(agents.map((a) => a.pingStats()));
    const hold = new CpuMeter(ctx.watched());
    await sleep(holdMs);
    const holdCpu = hold.stop();
    const after = await gw.probe({ gc: true, resetDelay: true });
    const pings = await Promise.all(agents.map((a) => a.pingStats()));
    const acks = pings.flatMap((p) => (p.ackMs.count ? [p.ackMs] : []));
    const row: ConnectionStep = {
      system,
      target,
      open,
      failed,
      errors,
      handshakesPerSec: round(connected / Math.max(seconds, 0.001), 0),
      rssBytes: after?.rssBytes ?? null,
      heapUsedBytes: after?.heapUsedBytes ?? null,
      rssPerConnectionKB: after && before ? kb(after.rssBytes - before.rssBytes, open) : null,
      heapPerConnectionKB: after && before ? kb(after.heapUsedBytes - before.heapUsedBytes, open) : null,
      eventLoopDelayMs: after ? { p50: round(after.eventLoopDelayMs.p50), p99: round(after.eventLoopDelayMs.p99), max: round(after.eventLoopDelayMs.max) } : null,
      pings: pings.reduce((n, p) => n + p.pings, 0),
      pingErrors: pings.reduce((n, p) => n + p.errors, 0),
      // Ack latency of the busiest agent's pings stands for the step (agents ping independently).
      pingAckMs: acks.sort((a, b) => b.count - a.count)[0] ?? summarize([]),
      connectCpu,
      holdCpu,
      bottleneck: judge(connectCpu, ctx.generators),
    };
    rows.push(row);
    ctx.log(
      `  ${system} ${open} open: ${row.handshakesPerSec} handshakes/s, ${row.rssPerConnectionKB} KB RSS and ${row.heapPerConnectionKB} KB heap per connection, loop delay p99 ${row.eventLoopDelayMs?.p99} ms`,
    );
    if (failed > fresh.length * 0.01) strained = `${failed} of ${fresh.length} handshakes failed at ${target} (${Object.keys(errors).join(', ')})`;
    else if ((row.eventLoopDelayMs?.p99 ?? 0) > 500) strained = `event-loop delay p99 ${row.eventLoopDelayMs?.p99} ms at ${target}`;
    if (strained) break;
  }
  await Promise.all(agents.map((a) => a.disconnect()));
  return { rows, strained };
}

/** Scenario 4: idle connections on one gateway, ours and the baseline's. */
export async function runConnections(ctx: BenchContext): Promise<ConnectionsResult> {
  const plan = plannedSteps(ctx.options.connections.steps, openFilesLimit());
  const most = Math.max(...plan.steps);
  const gw = ctx.ours.gateways[0] as ServerProcess;
  const ids = await createSockets(ctx, most, { channel: 'idle' });
  let ours: Awaited<ReturnType<typeof stepsFor>>;
  try {
    ours = await stepsFor(ctx, 'ours', gw, ids.map((id) => ({ url: ctx.ours.endpoint(0, id), key: id })), plan.steps);
  } finally {
    await sleep(500);
    await deleteSockets(ctx, ids);
  }
  const rooms = roomIds(most, 'idle');
  const base = await stepsFor(ctx, 'baseline', ctx.baseline.gateways[0] as ServerProcess, rooms.map((r) => ({ url: ctx.baseline.endpoint(0, r), key: r })), plan.steps);
  const limits = [plan.note, ours.strained && `ours strained: ${ours.strained}`, base.strained && `baseline strained: ${base.strained}`].filter(Boolean);
  return { steps: [...ours.rows, ...base.rows], limit: limits.length ? limits.join('; ') : null };
}
