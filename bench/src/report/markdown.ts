import type { CpuWindow } from '../procs/proc-stats.js';
import type { BenchResult, HeadlineRow, LoadSeries } from './result-types.js';

const n = (v: number | null | undefined, digits = 1): string => (v === null || v === undefined || Number.isNaN(v) ? '–' : Number.isInteger(v) ? v.toLocaleString('en-US') : v.toFixed(digits));

function table(head: string[], rows: string[][]): string {
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** The three busiest processes of a window, e.g. `redis 92%, api 71%, gw-1 40%`. */
function busiest(cpu: CpuWindow): string {
  const top = Object.entries(cpu.perProcess)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([name, pct]) => `${name} ${pct}%`);
  if (cpu.outsidePct >= 10) top.push(`outside the bench ${cpu.outsidePct}%`);
  return top.join(', ');
}

const withUnit = (v: number | null, unit: string): string => (v === null ? '–' : `${n(v, 2)} ${unit}`);

function verdict(r: HeadlineRow): string {
  if (r.ratio === null) return '';
  // A ratio of two lower bounds (or of a bound and a figure) says nothing certain.
  if (r.oursAtLeast && r.baselineAtLeast) return 'both beyond the tested range';
  if (r.oursAtLeast) return `≥ ${r.ratio}×`;
  if (r.baselineAtLeast) return `≤ ${r.ratio}×`;
  const good = r.better === 'lower' ? r.ratio <= 1 : r.ratio >= 1;
  return `${r.ratio}× ${good ? '✓' : ''}`.trim();
}

/** A series' maximum, marked `≥` when the tested range never saturated it. */
export function sustained(s: LoadSeries): string {
  return s.maxSustainedPerSec === null ? 'none' : `${s.maxSustainedIsLowerBound ? '≥ ' : ''}${n(s.maxSustainedPerSec)}`;
}

/** The headline table alone (what the README's Performance section shows). */
export function headlineTable(result: BenchResult): string {
  return table(
    ['metric', 'ours', 'baseline', 'ours / baseline'],
    result.headline.map((r) => [r.metric, `${r.oursAtLeast ? '≥ ' : ''}${withUnit(r.ours, r.unit)}`, `${r.baselineAtLeast ? '≥ ' : ''}${withUnit(r.baseline, r.unit)}`, verdict(r)]),
  );
}

function loadTable(series: readonly LoadSeries[]): string {
  const rows = series.flatMap((s) =>
    s.steps.map((st) => [
      s.label,
      n(st.offeredPerSec),
      n(st.deliveredPerSec),
      n(st.latencyMs.p50, 2),
      n(st.latencyMs.p99, 2),
      n(st.latencyMs.max, 1),
      n(st.responseMs.p50, 2),
      n(st.lost),
      n(st.serverCpuUsecPerMsg),
      n(st.redisCpuUsecPerMsg),
      busiest(st.cpu),
      st.saturated ? `**${st.saturated}**; ${st.bottleneck.note}` : st.bottleneck.kind === 'none' ? '' : st.bottleneck.note,
    ]),
  );
  const max = series.map((s) => `${s.label}: ${sustained(s)}`).join('; ');
  return `Max sustained (msg/s): ${max}.\n\n` + table(['path', 'offered/s', 'delivered/s', 'p50 ms', 'p99 ms', 'max ms', 'answer p50 ms', 'lost', 'server+Redis CPU µs/msg', 'of which Redis', 'busiest CPU (% of a core)', 'saturation / limit'], rows);
}

/** The full Markdown report of one run. */
export function markdownReport(result: BenchResult, chartFile: string): string {
  const s = result.scenarios;
  const m = result.machine;
  const out: string[] = [];
  out.push(`# Benchmark: ClientSocket cluster vs bare Socket.IO + Redis adapter`);
  out.push(
    `Run ${result.startedAt} (${result.profile}, ${(result.durationMs / 1000).toFixed(0)} s) on ${m.cpus}× ${m.cpuModel}, ${Math.round(m.memoryMB / 1024)} GB, Node ${m.node}, Redis ${m.redisVersion}. ` +
      `Everything on one machine over loopback: Redis, ${s.unicast?.gateways ?? 2} gateways, api, worker, the baseline and the load generators share the cores. ` +
      `Reproduce: \`npm run bench\` (or \`npm run bench -- --quick\`).`,
  );
  out.push(`## Headline\n\n${headlineTable(result)}`);
  out.push(`## Findings\n\n${result.findings.map((f) => `- ${f}`).join('\n')}`);
  if (result.errors.length) out.push(`## Errors\n\n${result.errors.map((e) => `- ${e.scenario}: ${e.message.split('\n')[0]}`).join('\n')}`);
  out.push(`![latency vs offered load](${chartFile})`);
  if (s.unicast) out.push(`## 1. Unicast push\n\n${s.unicast.sockets} sockets over ${s.unicast.gateways} gateways, random target per message, latency from the send time in the payload to arrival at the client.\n\n${loadTable(s.unicast.series)}`);
  if (s.broadcast) {
    out.push(
      `## 2. Channel broadcast\n\nOne send at a time through the api (ours) or the express endpoint (baseline), members spread over 2 gateways.\n\n` +
        table(
          ['system', 'members', 'complete', 'answer p50 ms', 'first member p50 ms', 'last member p50 ms', 'last member p99 ms', 'Redis commands per send', 'busiest CPU'],
          s.broadcast.rows.map((r) => [r.system, n(r.members), `${r.complete}/${r.sends}`, n(r.responseMs.p50, 2), n(r.firstMs.p50, 2), n(r.completionMs.p50, 2), n(r.completionMs.p99, 2), n(r.redisCommandsPerSend), busiest(r.cpu)]),
        ),
    );
  }
  if (s.inbound) out.push(`## 3. Inbound round trip\n\n${s.inbound.sockets} clients send \`message\` with an ack; ours queues it for the \`echo\` workflow, whose push brings it back; the baseline echoes inline. Latency is send → echo arrival; "answer" is the ack.\n\n${loadTable(s.inbound.series)}`);
  if (s.connections) {
    out.push(
      `## 4. Idle connections on one gateway\n\nAll pinging every 30 s (websocket transport). Per-connection figures are after a full GC, relative to the idle gateway.${s.connections.limit ? ` Note: ${s.connections.limit}.` : ''}\n\n` +
        table(
          ['system', 'open', 'failed', 'handshakes/s', 'RSS MB', 'RSS KB/conn', 'heap KB/conn', 'loop delay p99 ms', 'pings (ack p99 ms)', 'busiest CPU while connecting'],
          s.connections.steps.map((c) => [
            c.system,
            n(c.open),
            n(c.failed),
            n(c.handshakesPerSec),
            n(c.rssBytes === null ? null : Math.round(c.rssBytes / 1048576)),
            n(c.rssPerConnectionKB),
            n(c.heapPerConnectionKB),
            n(c.eventLoopDelayMs?.p99),
            `${n(c.pings)} (${n(c.pingAckMs.p99, 2)})`,
            busiest(c.connectCpu),
          ]),
        ),
    );
  }
  if (s.cost) {
    out.push(
      `## 5. Cost per operation\n\nRedis commands per op (INFO commandstats, commands inside our Lua scripts and BullMQ's included) and round trips (requests clients sent, from MONITOR, by process), ` +
        `at ${result.profile === 'quick' ? 'a' : 'a moderate'} rate minus an idle window (background: ${n(s.cost.idle.roundTripsPerSec)} requests/s from heartbeats, reapers and queue polling).\n\n` +
        table(
          ['operation', 'commands', 'round trips', 'requests (process: command × per op)', 'Redis exec µs', 'main commands run'],
          s.cost.ops.map((o) => [
            o.op,
            n(o.commandsPerOp, 2),
            n(o.roundTripsPerOp, 2),
            o.requests.map((q) => `${q.process}: ${q.command} ${q.perOp}`).join(', '),
            n(o.redisUsecPerOp),
            o.commands.slice(0, 6).map((c) => `${c.command} ${c.perOp}`).join(', '),
          ]),
        ),
    );
  }
  if (s.pubsub) {
    out.push(
      `### Pub/sub per unicast\n\n` +
        table(['gateways', 'PUBLISH per unicast', 'pub/sub deliveries per unicast'], s.pubsub.rows.map((r) => [n(r.gateways), n(r.publishesPerUnicast, 2), n(r.deliveriesPerUnicast, 2)])) +
        `\n\nThe adapter's channel pattern matches every gateway, so each unicast reaches every gateway, which drops it unless it holds the socket.`,
    );
  }
  if (s.expiry) {
    const e = s.expiry;
    out.push(
      `## 6. Expiry lateness\n\n${e.sockets} idle sockets (renewal minute ${e.renewalMinuteMs} ms) among ${n(e.noiseKeys)} unrelated keys with TTLs. Lateness is the client's \`closed {reason:"expired"}\` minus \`expiresAt\`.\n\n` +
        table(['closed', 'not closed', 'p50 ms', 'p99 ms', 'max ms', 'gone from Redis within 2 s'], [[`${e.closed}/${e.sockets}`, n(e.notClosed), n(e.latenessMs.p50, 1), n(e.latenessMs.p99, 1), n(e.latenessMs.max, 1), `${e.goneWithin2s}/${e.sockets}`]]),
    );
  }
  if (s.ceiling) {
    const c = s.ceiling;
    out.push(
      c.available
        ? `## 7. Redis ceiling\n\n\`redis-benchmark -c ${c.clients} -n ${c.requests}\` on the same Redis (no pipelining; it shares the cores too).\n\n` +
            table(['command', 'stands for', 'req/s', 'p50 ms', 'p99 ms'], c.benchmarks.map((b) => [b.name, b.usedBy, n(b.requestsPerSec), n(b.p50Ms, 3), n(b.p99Ms, 3)])) +
            (c.paths.length
              ? `\n\nHow close each path runs to Redis: Redis time per op = round trips × (1 / PING rate) + execution time; its inverse is the rate at which Redis alone would be saturated.\n\n` +
                table(['path', 'Redis µs/op', 'Redis-bound ceiling/s', 'measured max/s', 'share of ceiling'], c.paths.map((p) => [p.path, n(p.redisUsecPerOp), n(p.ceilingPerSec), n(p.measuredMaxPerSec), p.shareOfCeiling === null ? '–' : `${Math.round(p.shareOfCeiling * 100)}%`]))
              : '')
        : '## 7. Redis ceiling\n\n`redis-benchmark` is not on PATH; skipped.',
    );
  }
  return `${out.join('\n\n')}\n`;
}
