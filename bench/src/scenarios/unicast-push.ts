import type { AgentClient } from '../agent/agent-client.js';
import type { PushVia } from '../agent/protocol.js';
import type { BenchContext } from '../bench-context.js';
import { CpuMeter } from '../procs/proc-stats.js';
import type { LoadSeries, LoadStep, UnicastResult } from '../report/result-types.js';
import { BASELINE_SIO_KEY } from '../topology/baseline-cluster.js';
import { BENCH_PAL } from '../topology/our-cluster.js';
import { createSockets, deleteSockets, maxSustained, openEnded, roomIds, steadyStep, toStep } from './helpers.js';

/** Steps up the rate until a step saturates (that step is kept: it shows where the path breaks). */
async function stepped(ctx: BenchContext, rates: readonly number[], one: (rate: number, tag: string) => Promise<LoadStep>, name: string): Promise<LoadStep[]> {
  const steps: LoadStep[] = [];
  for (const rate of rates) {
    const step = await steadyStep(ctx, (attempt) => one(rate, `${name}@${rate}#${attempt}`), `${name} ${rate}/s`);
    steps.push(step);
    ctx.log(`  ${name} ${rate}/s → ${step.deliveredPerSec}/s delivered, p50 ${step.latencyMs.p50} ms, p99 ${step.latencyMs.p99} ms, ${step.serverCpuUsecPerMsg} µs server CPU/msg${step.saturated ? ` (saturated: ${step.saturated})` : ''}`);
    if (step.saturated) break;
  }
  return steps;
}

async function pushStep(ctx: BenchContext, rx: AgentClient, via: PushVia, targets: string[], rate: number, tag: string): Promise<LoadStep> {
  const system = via.kind === 'sdk' || (via.kind === 'http' && via.baseUrl === ctx.ours.apiUrl) ? 'ours' : 'baseline';
  const { stepMs, maxInFlight } = ctx.options.unicast;
  const meter = new CpuMeter(ctx.watched());
  const send = await ctx.sender.push(via, targets, rate, stepMs, tag, maxInFlight);
  const cpu = meter.stop();
  const recv = await rx.collect(tag, send.ok, 10000, 1500);
  return toStep(ctx, system, rate, send, recv, cpu);
}

/**
 * Scenario 1: unicast push to random sockets spread over 2 gateways, through
 * our api and our in-cluster SDK, against the baseline's express endpoint and
 * bare emitter; end-to-end latency from the send time in the payload.
 */
export async function runUnicast(ctx: BenchContext): Promise<UnicastResult> {
  const o = ctx.options.unicast;
  const rx = ctx.receivers[0] as AgentClient;
  const series: LoadSeries[] = [];

  const ids = await createSockets(ctx, o.sockets, { channel: 'unicast' });
  const connected = await rx.connect(ids.map((id, i) => ({ url: ctx.ours.endpoint(i, id), key: id })), { pingIntervalMs: ctx.options.pingIntervalMs });
  if (connected.failed) throw new Error(`unicast: ${connected.failed} of ${ids.length} clients could not connect: ${JSON.stringify(connected.errors)}`);
  try {
    const api: PushVia = { kind: 'http', baseUrl: ctx.ours.apiUrl, apiKey: ctx.ours.apiKey };
    const sdk: PushVia = { kind: 'sdk', env: ctx.ours.env(), pal: BENCH_PAL };
    const apiSteps = await stepped(ctx, o.rates, (rate, tag) => pushStep(ctx, rx, api, ids, rate, tag), 'ours/api');
    series.push({ system: 'ours', path: 'api', label: 'ours: api (HTTP)', steps: apiSteps, maxSustainedPerSec: maxSustained(apiSteps), maxSustainedIsLowerBound: openEnded(apiSteps) });
    const sdkSteps = await stepped(ctx, o.sideRates, (rate, tag) => pushStep(ctx, rx, sdk, ids, rate, tag), 'ours/sdk');
    series.push({ system: 'ours', path: 'sdk', label: 'ours: in-cluster SDK', steps: sdkSteps, maxSustainedPerSec: maxSustained(sdkSteps), maxSustainedIsLowerBound: openEnded(sdkSteps) });
  } finally {
    await rx.disconnect();
    await deleteSockets(ctx, ids);
  }

  const rooms = roomIds(o.sockets, 'uni');
  const bl = await rx.connect(rooms.map((room, i) => ({ url: ctx.baseline.endpoint(i, room), key: room })), { pingIntervalMs: ctx.options.pingIntervalMs });
  if (bl.failed) throw new Error(`unicast: ${bl.failed} baseline clients could not connect: ${JSON.stringify(bl.errors)}`);
  try {
    const http: PushVia = { kind: 'http', baseUrl: ctx.baseline.apiUrl, apiKey: 'none' };
    const emitter: PushVia = { kind: 'emitter', redisUrl: ctx.redis.url, key: BASELINE_SIO_KEY, pal: BENCH_PAL };
    const httpSteps = await stepped(ctx, o.rates, (rate, tag) => pushStep(ctx, rx, http, rooms, rate, tag), 'baseline/http');
    series.push({ system: 'baseline', path: 'http', label: 'baseline: express + emitter', steps: httpSteps, maxSustainedPerSec: maxSustained(httpSteps), maxSustainedIsLowerBound: openEnded(httpSteps) });
    const emitterSteps = await stepped(ctx, o.sideRates, (rate, tag) => pushStep(ctx, rx, emitter, rooms, rate, tag), 'baseline/emitter');
    series.push({ system: 'baseline', path: 'emitter', label: 'baseline: emitter', steps: emitterSteps, maxSustainedPerSec: maxSustained(emitterSteps), maxSustainedIsLowerBound: openEnded(emitterSteps) });
  } finally {
    await rx.disconnect();
  }
  return { sockets: o.sockets, gateways: 2, series };
}
