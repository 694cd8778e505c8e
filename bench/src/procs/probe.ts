/**
 * Preloaded (`--import`) into every server process the bench starts, ours and
 * the baseline alike, so both are measured by the same code: answers IPC
 * requests with heap, RSS and event-loop delay. It only listens; it never
 * touches the app it rides in.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { ProbeReply, ProbeRequest } from './probe-protocol.js';

if (process.send && process.channel) {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const gc = (globalThis as { gc?: () => void }).gc;

  process.on('message', (raw: unknown) => {
    const req = raw as Partial<ProbeRequest>;
    if (!req || req.probe !== 'stats' || typeof req.id !== 'number') return;
    if (req.gc && gc) {
      gc();
      gc();
    }
    const mem = process.memoryUsage();
    const reply: ProbeReply = {
      probe: 'stats',
      id: req.id,
      rssBytes: mem.rss,
      heapUsedBytes: mem.heapUsed,
      externalBytes: mem.external,
      eventLoopDelayMs: {
        p50: delay.percentile(50) / 1e6,
        p99: delay.percentile(99) / 1e6,
        max: delay.max / 1e6,
      },
      gcRan: Boolean(req.gc && gc),
    };
    if (req.resetDelay) delay.reset();
    process.send?.(reply);
  });
  // The probe must never be what keeps a stopping process alive.
  process.channel.unref();
}
