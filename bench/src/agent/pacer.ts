import { nowMs } from '../stats/latency.js';

export interface PacedRun {
  offered: number;
  sent: number;
  skipped: number;
  durationMs: number;
}

/**
 * Open-loop pacing: starts `fire` at `rate` per second for `durationMs`,
 * whatever the target's speed, as independent users would. A send that finds
 * `maxInFlight` requests still outstanding is skipped and counted, so an
 * overloaded target shows as skipped sends instead of silently slowing the
 * generator down (the coordinated-omission trap of closed-loop load).
 */
export async function paced(rate: number, durationMs: number, maxInFlight: number, fire: (seq: number) => Promise<void>): Promise<PacedRun> {
  const offered = Math.max(1, Math.round((rate * durationMs) / 1000));
  const start = nowMs();
  let issued = 0;
  let sent = 0;
  let skipped = 0;
  let inFlight = 0;
  let drained: (() => void) | null = null;
  const done = (): void => {
    inFlight--;
    if (inFlight === 0 && drained) drained();
  };
  while (issued < offered) {
    const due = Math.min(offered, Math.floor(((nowMs() - start) * rate) / 1000) + 1);
    while (issued < due) {
      const seq = issued++;
      if (inFlight >= maxInFlight) {
        skipped++;
        continue;
      }
      inFlight++;
      sent++;
      fire(seq).then(done, done);
    }
    if (issued < offered) await new Promise((r) => setTimeout(r, 1));
  }
  const durationMs_ = nowMs() - start;
  if (inFlight > 0) {
    await Promise.race([new Promise<void>((r) => (drained = r)), new Promise((r) => setTimeout(r, 15000))]);
  }
  return { offered, sent, skipped, durationMs: Math.round(durationMs_) };
}
