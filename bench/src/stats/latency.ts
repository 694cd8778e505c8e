/** Percentile summary of a set of latency samples, in milliseconds. */
export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export const EMPTY_SUMMARY: LatencySummary = { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, max: 0 };

function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/**
 * Exact percentiles (nearest-rank) of `samples`. Runs keep every sample: at
 * bench rates a step holds at most a few hundred thousand numbers, so exact
 * ranks cost less than explaining a histogram's bucket error.
 */
export function summarize(samples: ArrayLike<number>): LatencySummary {
  const n = samples.length;
  if (n === 0) return { ...EMPTY_SUMMARY };
  const sorted = Float64Array.from(samples).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  const rank = (p: number): number => sorted[Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1))] as number;
  return { count: n, mean: round(sum / n), p50: round(rank(50)), p90: round(rank(90)), p99: round(rank(99)), max: round(sorted[n - 1] as number) };
}

/** Clock shared by every bench process: wall-clock ms with sub-ms resolution. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

export { round };
