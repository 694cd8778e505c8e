import type { LatencySummary } from '../stats/latency.js';

/** One client connection to open: its URL and the key results are filed under (socket id or room). */
export interface ConnectTarget {
  url: string;
  key: string;
}

/** How a sender reaches browsers. */
export type PushVia =
  /** Our api (`POST /v1/sockets/:id/messages`, `/v1/channels/:channel/messages`) or the baseline's. */
  | { kind: 'http'; baseUrl: string; apiKey: string }
  /** Our in-cluster SDK: `createClusterContext(config).managerFor(pal)`. */
  | { kind: 'sdk'; env: Record<string, string>; pal: string }
  /** The baseline's way from server code: `@socket.io/redis-emitter` straight to a room. */
  | { kind: 'emitter'; redisUrl: string; key: string; pal: string };

/** What a push goes to. */
export type PushTarget = { socketId: string } | { channel: string };

/** Payload every timed message carries: send time, series tag, sequence number. */
export interface TimedPayload {
  t: number;
  s: string;
  q: number;
}

export type AgentRequest =
  | { cmd: 'connect'; targets: ConnectTarget[]; concurrency: number; pingIntervalMs: number; timeoutMs: number }
  | { cmd: 'disconnect' }
  | { cmd: 'emit'; event: 'message' | 'ping'; rate: number; durationMs: number; tag: string; maxInFlight: number }
  | { cmd: 'pingOnce' }
  | { cmd: 'collect'; tag: string; expect: number; timeoutMs: number; settleMs: number }
  | { cmd: 'awaitSeq'; tag: string; q: number; expect: number; timeoutMs: number }
  | { cmd: 'closedEvents' }
  | { cmd: 'pingStats' }
  | { cmd: 'push'; via: PushVia; targets: string[]; rate: number; durationMs: number; tag: string; maxInFlight: number }
  | { cmd: 'pushOne'; via: PushVia; target: PushTarget; tag: string; q: number }
  | { cmd: 'hello' }
  | { cmd: 'stop' };

export interface ConnectReport {
  connected: number;
  failed: number;
  errors: Record<string, number>;
  durationMs: number;
  /** Total connections this agent holds now. */
  open: number;
}

/** Result of an open-loop send run (client emits or server pushes). */
export interface SendReport {
  /** rate × duration. */
  offered: number;
  /** Actually started (offered minus those skipped because too many were in flight). */
  sent: number;
  /** Skipped: the target already had `maxInFlight` requests outstanding (it was not keeping up). */
  skipped: number;
  ok: number;
  errors: Record<string, number>;
  durationMs: number;
  /** Request → response (HTTP 202, SDK resolve, socket.io ack). */
  responseMs: LatencySummary;
  /** Sum of `delivered` answers, where the path reports one. */
  deliveredReported: number;
}

export interface ReceiveReport {
  received: number;
  latencyMs: LatencySummary;
  /** Distinct sequence numbers seen. */
  distinct: number;
  /** Per send (sequence number): latency of its last delivery, i.e. fan-out completion. */
  completionMs: LatencySummary;
}

export interface SeqReport {
  received: number;
  firstMs: number;
  lastMs: number;
}

export interface PingOnceReport {
  acks: Array<{ key: string; expiresAt: number }>;
  errors: number;
}

export interface ClosedEvent {
  key: string;
  reason: string;
  at: number;
}

export interface PingStatsReport {
  pings: number;
  errors: number;
  ackMs: LatencySummary;
}

export interface PushOneReport {
  status: string;
  responseMs: number;
  delivered: number | null;
}

/** Parent ⇄ agent envelope. */
export interface AgentEnvelope {
  id: number;
  request: AgentRequest;
}

export type AgentReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
