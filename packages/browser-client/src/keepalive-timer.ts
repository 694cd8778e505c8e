/** Where the keep-alive ticks come from. */
export type TimerKind = 'worker' | 'main';

/** A running keep-alive timer. */
export interface KeepaliveTimer {
  /** Which clock drives it now; `worker` falls back to `main` if the worker cannot run. */
  readonly kind: TimerKind;
  stop(): void;
}

/**
 * Source of the tick worker. It answers its first message (the period) by
 * posting `ready`, so the page knows the blob URL has been loaded and can be
 * revoked, then posts one tick per period.
 */
const WORKER_SOURCE = `let t;onmessage=function(e){clearInterval(t);if(e.data>0){t=setInterval(function(){postMessage('tick')},e.data);postMessage('ready')}}`;

/**
 * Calls `tick` every `intervalMs`, from a clock that keeps time in a hidden tab.
 *
 * Why a dedicated Worker: Chromium throttles timers of a page's window once the
 * tab is hidden (aligned to 1 s wake-ups), and after a while hidden
 * ("intensive wake-up throttling", 5 minutes, shortened in newer versions)
 * chained timers of the window wake at most once a minute. A 30 s ping loop
 * on `setInterval` in the page would then renew a 1-minute socket only just,
 * or too late. Those policies are defined for timers of a Window; a dedicated
 * Worker runs its own event loop on its own thread, and its `setInterval`
 * keeps its period in a hidden tab. The worker is created from a Blob URL, so
 * no extra file needs serving.
 *
 * Fallback: where `Worker` does not exist, cannot be constructed, or fails to
 * load (a Content-Security-Policy without `worker-src blob:` blocks it
 * asynchronously), the timer switches to the page's own `setInterval` and
 * says so through `kind`. The caller also renews when the tab becomes
 * visible again, which covers whatever a throttled fallback missed.
 *
 * @param intervalMs - period of the ticks
 * @param tick - called once per period
 * @param prefer - `main` skips the worker (for environments without one)
 * @returns the running timer
 * @example
 * const timer = startKeepaliveTimer(30_000, () => socket.emit('ping'));
 * // later
 * timer.stop();
 */
export function startKeepaliveTimer(intervalMs: number, tick: () => void, prefer: 'auto' | TimerKind = 'auto'): KeepaliveTimer {
  let kind: TimerKind = 'main';
  let interval: ReturnType<typeof setInterval> | undefined;
  let worker: Worker | undefined;
  let blobUrl: string | undefined;
  let stopped = false;

  const releaseBlob = (): void => {
    if (blobUrl) URL.revokeObjectURL(blobUrl);
    blobUrl = undefined;
  };
  const startMain = (): void => {
    kind = 'main';
    if (!stopped && interval === undefined) interval = setInterval(tick, intervalMs);
  };
  const dropWorker = (): void => {
    worker?.terminate();
    worker = undefined;
    releaseBlob();
  };

  if (prefer !== 'main' && typeof Worker === 'function' && typeof Blob === 'function' && typeof URL.createObjectURL === 'function') {
    try {
      blobUrl = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
      const w = new Worker(blobUrl);
      w.onmessage = (event: MessageEvent) => {
        if (event.data === 'ready') releaseBlob();
        else if (!stopped) tick();
      };
      w.onerror = (event: Event) => {
        event.preventDefault();
        dropWorker();
        startMain();
      };
      w.postMessage(intervalMs);
      worker = w;
      kind = 'worker';
    } catch {
      dropWorker();
      startMain();
    }
  } else {
    startMain();
  }

  return {
    get kind() {
      return kind;
    },
    stop() {
      stopped = true;
      dropWorker();
      clearInterval(interval);
      interval = undefined;
    },
  };
}
