import type { AgentClient } from '../agent/agent-client.js';
import type { BenchContext } from '../bench-context.js';
import { CpuMeter } from '../procs/proc-stats.js';
import type { InboundResult, LoadSeries, LoadStep } from '../report/result-types.js';
import { createSockets, deleteSockets, maxSustained, openEnded, roomIds, steadyStep, toStep } from './helpers.js';

async function emitStep(ctx: BenchContext, rx: AgentClient, system: 'ours' | 'baseline', rate: number, tag: string): Promise<LoadStep> {
  const meter = new CpuMeter(ctx.watched());
  const send = await rx.emit('message', rate, ctx.options.inbound.stepMs, tag);
  const cpu = meter.stop();
  const recv = await rx.collect(tag, send.ok, 15000, 2000);
  return toStep(ctx, system, rate, send, recv, cpu);
}

/** Fixed rates first, then higher ones until a step loses messages or falls behind. */
async function series(ctx: BenchContext, rx: AgentClient, system: 'ours' | 'baseline', name: string): Promise<LoadStep[]> {
  const { fixedRates, searchRates } = ctx.options.inbound;
  const steps: LoadStep[] = [];
  for (const [i, rate] of [...fixedRates, ...searchRates].entries()) {
    const step = await steadyStep(ctx, (attempt) => emitStep(ctx, rx, system, rate, `${name}@${rate}#${attempt}`), `${name} ${rate}/s`);
    steps.push(step);
    ctx.log(`  ${name} ${rate}/s → echo p50 ${step.latencyMs.p50} ms, p99 ${step.latencyMs.p99} ms, ack p50 ${step.responseMs.p50} ms, ${step.serverCpuUsecPerMsg} µs server CPU/msg${step.saturated ? ` (saturated: ${step.saturated})` : ''}`);
    if (step.saturated && i >= fixedRates.length - 1) break;
  }
  return steps;
}

/**
 * Scenario 3: clients send `message` to sockets whose workflow is `echo`; the
 * round trip is send → ack → queue → worker → push → client. The baseline
 * echoes inline on the same connection (no queue, no worker).
 */
export async function runInbound(ctx: BenchContext): Promise<InboundResult> {
  const o = ctx.options.inbound;
  const rx = ctx.receivers[0] as AgentClient;
  const out: LoadSeries[] = [];

  const ids = await createSockets(ctx, o.sockets, { channel: 'inbound', receiverWorkflow: 'echo' });
  const c = await rx.connect(ids.map((id, i) => ({ url: ctx.ours.endpoint(i, id), key: id })), { pingIntervalMs: ctx.options.pingIntervalMs });
  if (c.failed) throw new Error(`inbound: ${c.failed} clients could not connect: ${JSON.stringify(c.errors)}`);
  try {
    const steps = await series(ctx, rx, 'ours', 'ours/echo');
    out.push({ system: 'ours', path: 'socket.io', label: 'ours: message → queue → echo workflow', steps, maxSustainedPerSec: maxSustained(steps), maxSustainedIsLowerBound: openEnded(steps) });
  } finally {
    await rx.disconnect();
    await deleteSockets(ctx, ids);
  }

  const rooms = roomIds(o.sockets, 'in');
  const b = await rx.connect(rooms.map((room, i) => ({ url: ctx.baseline.endpoint(i, room), key: room })), { pingIntervalMs: ctx.options.pingIntervalMs });
  if (b.failed) throw new Error(`inbound: ${b.failed} baseline clients could not connect: ${JSON.stringify(b.errors)}`);
  try {
    const steps = await series(ctx, rx, 'baseline', 'baseline/echo');
    out.push({ system: 'baseline', path: 'socket.io', label: 'baseline: inline echo', steps, maxSustainedPerSec: maxSustained(steps), maxSustainedIsLowerBound: openEnded(steps) });
  } finally {
    await rx.disconnect();
  }
  return { sockets: o.sockets, series: out };
}
