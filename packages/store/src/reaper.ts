import { BUCKETS } from './keys.js';
import type { Pusher } from './pusher.js';
import type { ExpiredSocket, SocketStore } from './socket-store.js';

export interface ReaperOptions {
  /** Poll period. @default 250 */
  intervalMs?: number;
  /** Sockets claimed per bucket per round. @default 500 */
  batch?: number;
  /** Called with each closed batch; `claimedAt - expiresAt` is how late each was closed. */
  onExpired?: (sockets: ExpiredSocket[]) => void;
  onError?: (err: unknown) => void;
}

/**
 * Closes sockets whose `expiresAt` has passed, within one poll period. Expiry
 * is enforced here rather than by keyspace notifications, which Redis
 * delivers only when its own sampling gets round to a key (seconds to minutes
 * late under load). Claims are atomic per bucket, so any number of reapers
 * may run (every gateway and api node runs one) and each socket is closed once.
 */
export class Reaper {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private stopped = true;
  private readonly intervalMs: number;
  private readonly batch: number;

  constructor(
    private readonly store: SocketStore,
    private readonly pusher: Pusher,
    private readonly options: ReaperOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 250;
    this.batch = options.batch ?? 500;
  }

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  /** One round over every bucket; a bucket that yielded a full batch goes again at once. */
  async tick(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    let total = 0;
    try {
      let pending = Array.from({ length: BUCKETS }, (_, b) => b);
      while (pending.length && !this.stopped) {
        const results = await Promise.all(pending.map(async (b) => ({ b, ...(await this.store.reapBucket(b, this.batch)) })));
        const expired = results.flatMap((r) => r.expired);
        total += expired.length;
        if (expired.length) {
          await Promise.all(expired.map((s) => this.pusher.close(s.id, 'expired')));
          await this.store.unindex(expired);
          this.options.onExpired?.(expired);
        }
        pending = results.filter((r) => r.expired.length >= this.batch).map((r) => r.b);
      }
    } catch (err) {
      this.options.onError?.(err);
    } finally {
      this.running = false;
      this.schedule();
    }
    return total;
  }
}
