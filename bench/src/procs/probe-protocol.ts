/** Parent → server process: report your stats (optionally after a full GC). */
export interface ProbeRequest {
  probe: 'stats';
  id: number;
  gc?: boolean;
  /** Start a new event-loop-delay window after answering. */
  resetDelay?: boolean;
}

/** Server process → parent. */
export interface ProbeReply {
  probe: 'stats';
  id: number;
  rssBytes: number;
  heapUsedBytes: number;
  externalBytes: number;
  /** Since the last reset. */
  eventLoopDelayMs: { p50: number; p99: number; max: number };
  gcRan: boolean;
}
