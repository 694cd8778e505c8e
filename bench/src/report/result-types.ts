import type { ScenarioName } from '../options.js';
import type { CpuWindow } from '../procs/proc-stats.js';
import type { BenchmarkRow } from '../redis/redis-benchmark.js';
import type { LatencySummary } from '../stats/latency.js';

/**
 * What limited a step, judged from CPU: a load generator, a server process,
 * Redis, the shared cores, or another workload on the machine (`disturbed`).
 */
export interface Bottleneck {
  kind: 'generator' | 'server' | 'redis' | 'machine' | 'disturbed' | 'none';
  process: string | null;
  note: string;
}

/** One offered rate held for a while. */
export interface LoadStep {
  offeredPerSec: number;
  durationMs: number;
  sent: number;
  /** Not sent: the target already had the maximum of requests in flight. */
  skipped: number;
  /** Accepted by the server (HTTP 202, SDK resolved, ack ok). */
  ok: number;
  errors: Record<string, number>;
  /** Arrived at a client. */
  delivered: number;
  lost: number;
  deliveredPerSec: number;
  /** Send time (in the payload) → arrival at the client. */
  latencyMs: LatencySummary;
  /** Request → response (HTTP answer, SDK resolve, socket.io ack). */
  responseMs: LatencySummary;
  cpu: CpuWindow;
  /** Redis CPU time per delivered message at this rate, idle background subtracted, µs. */
  redisCpuUsecPerMsg: number | null;
  /** CPU of every server process of the system plus Redis per delivered message, µs. */
  serverCpuUsecPerMsg: number | null;
  bottleneck: Bottleneck;
  /** Why this step counts as past saturation; null while the path keeps up. */
  saturated: string | null;
}

export interface LoadSeries {
  system: 'ours' | 'baseline';
  /** `api`, `sdk`, `http`, `emitter`, `socket.io`. */
  path: string;
  label: string;
  steps: LoadStep[];
  /** Highest offered rate that kept up (see `saturated`). */
  maxSustainedPerSec: number | null;
  /** No step saturated: `maxSustainedPerSec` is a lower bound (the top of the tested range). */
  maxSustainedIsLowerBound: boolean;
}

export interface UnicastResult {
  sockets: number;
  gateways: number;
  series: LoadSeries[];
}

export interface InboundResult {
  sockets: number;
  series: LoadSeries[];
}

export interface BroadcastRow {
  system: 'ours' | 'baseline';
  members: number;
  sends: number;
  /** Sends whose every member got the message. */
  complete: number;
  responseMs: LatencySummary;
  /** Send → first member. */
  firstMs: LatencySummary;
  /** Send → last member: fan-out completion. */
  completionMs: LatencySummary;
  /** Redis commands per send (commandstats, the idle background rate taken out). */
  redisCommandsPerSend: number;
  cpu: CpuWindow;
}

export interface BroadcastResult {
  rows: BroadcastRow[];
}

export interface ConnectionStep {
  system: 'ours' | 'baseline';
  target: number;
  open: number;
  failed: number;
  errors: Record<string, number>;
  handshakesPerSec: number;
  rssBytes: number | null;
  heapUsedBytes: number | null;
  rssPerConnectionKB: number | null;
  heapPerConnectionKB: number | null;
  eventLoopDelayMs: { p50: number; p99: number; max: number } | null;
  pings: number;
  pingErrors: number;
  pingAckMs: LatencySummary;
  connectCpu: CpuWindow;
  holdCpu: CpuWindow;
  bottleneck: Bottleneck;
}

export interface ConnectionsResult {
  steps: ConnectionStep[];
  /** Why the steps stop where they do (file-descriptor limit, strain). */
  limit: string | null;
}

export interface OperationCost {
  op: string;
  count: number;
  /** Every command Redis ran for one op, those inside scripts included (INFO commandstats). */
  commandsPerOp: number;
  /** Requests clients sent per op (MONITOR, script-internal commands excluded). */
  roundTripsPerOp: number;
  roundTripsByProcess: Record<string, number>;
  /** Redis command execution time per op (commandstats usec of the requests). */
  redisUsecPerOp: number;
  commands: Array<{ command: string; perOp: number }>;
  /** The requests behind `roundTripsPerOp`: which process sent which command, per op. */
  requests: Array<{ process: string; command: string; perOp: number }>;
}

export interface CostResult {
  windowMs: number;
  idle: { commandsPerSec: number; roundTripsPerSec: number; byProcess: Record<string, number> };
  ops: OperationCost[];
}

export interface PubSubRow {
  gateways: number;
  publishesPerUnicast: number;
  /** Subscribers each publish reached (PUBLISH's answer). */
  deliveriesPerUnicast: number;
}

export interface PubSubResult {
  rows: PubSubRow[];
}

export interface ExpiryResult {
  noiseKeys: number;
  sockets: number;
  renewalMinuteMs: number;
  closed: number;
  notClosed: number;
  /** `closed` event at the client − expiresAt. */
  latenessMs: LatencySummary;
  /** Sockets whose Redis hash was gone 2 s after expiresAt. */
  goneWithin2s: number;
}

export interface CeilingPath {
  path: string;
  measuredMaxPerSec: number | null;
  /** Redis single-thread time per op: request overhead (from PING) × round trips + execution. */
  redisUsecPerOp: number | null;
  /** 1e6 / redisUsecPerOp: the rate at which Redis alone would be saturated. */
  ceilingPerSec: number | null;
  /** measured / ceiling. */
  shareOfCeiling: number | null;
}

export interface CeilingReport {
  available: boolean;
  requests: number;
  clients: number;
  benchmarks: BenchmarkRow[];
  paths: CeilingPath[];
}

export interface HeadlineRow {
  metric: string;
  unit: string;
  ours: number | null;
  baseline: number | null;
  /** ours / baseline. */
  ratio: number | null;
  better: 'lower' | 'higher';
  /** The figure is a lower bound (the tested range never saturated that side). */
  oursAtLeast?: boolean;
  baselineAtLeast?: boolean;
}

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryMB: number;
  node: string;
  platform: string;
  redisVersion: string;
  openFilesLimit: number | null;
}

export interface BenchResult {
  schemaVersion: 1;
  profile: 'quick' | 'full';
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  machine: MachineInfo;
  /** Cluster settings the run used (no secrets). */
  settings: Record<string, string | number>;
  scenarios: {
    ceiling?: CeilingReport;
    cost?: CostResult;
    unicast?: UnicastResult;
    inbound?: InboundResult;
    broadcast?: BroadcastResult;
    expiry?: ExpiryResult;
    connections?: ConnectionsResult;
    pubsub?: PubSubResult;
  };
  headline: HeadlineRow[];
  /** Plain-language findings: slowest path and its cause, generator-bound steps. */
  findings: string[];
  errors: Array<{ scenario: ScenarioName | 'setup'; message: string }>;
}
