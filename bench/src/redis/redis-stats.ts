import type { Redis } from 'ioredis';

/** Calls and execution time of one Redis command. */
export interface CommandCount {
  calls: number;
  usec: number;
}

/** Counters of one Redis at one moment. */
export interface RedisSnapshot {
  atMs: number;
  commands: Record<string, CommandCount>;
  /** used_cpu_user + used_cpu_sys, seconds. */
  cpuSeconds: number;
}

/** What Redis did between two snapshots. */
export interface RedisDelta {
  seconds: number;
  commands: Record<string, CommandCount>;
  /** Every command executed, those run inside Lua scripts included. */
  calls: number;
  cpuSeconds: number;
}

/** Parses `INFO` text into section-less key → value. */
export function parseInfo(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) out.set(line.slice(0, i), line.slice(i + 1));
  }
  return out;
}

/**
 * Reads INFO commandstats and cpu. Redis counts the commands a script runs
 * under their own names as well as the script's EVALSHA, so `calls` is the
 * work Redis did, not the requests it received (see {@link RoundTripMonitor}).
 */
export async function redisSnapshot(redis: Redis): Promise<RedisSnapshot> {
  const [stats, cpu] = await Promise.all([redis.info('commandstats'), redis.info('cpu')]);
  const commands: Record<string, CommandCount> = {};
  for (const [key, value] of parseInfo(stats)) {
    if (!key.startsWith('cmdstat_')) continue;
    const calls = /calls=(\d+)/.exec(value);
    const usec = /usec=(\d+)/.exec(value);
    commands[key.slice('cmdstat_'.length)] = { calls: Number(calls?.[1] ?? 0), usec: Number(usec?.[1] ?? 0) };
  }
  const c = parseInfo(cpu);
  return { atMs: Date.now(), commands, cpuSeconds: Number(c.get('used_cpu_user') ?? 0) + Number(c.get('used_cpu_sys') ?? 0) };
}

/** Counters between `a` and `b`, leaving out the bench's own INFO calls. */
export function redisDelta(a: RedisSnapshot, b: RedisSnapshot): RedisDelta {
  const commands: Record<string, CommandCount> = {};
  let calls = 0;
  for (const [name, end] of Object.entries(b.commands)) {
    if (name === 'info' || name === 'monitor') continue;
    const start = a.commands[name] ?? { calls: 0, usec: 0 };
    const d = { calls: end.calls - start.calls, usec: end.usec - start.usec };
    if (d.calls > 0) {
      commands[name] = d;
      calls += d.calls;
    }
  }
  return { seconds: (b.atMs - a.atMs) / 1000, commands, calls, cpuSeconds: b.cpuSeconds - a.cpuSeconds };
}

/** Requests Redis received, by sending process and command. */
export interface RoundTrips {
  byProcess: Record<string, Record<string, number>>;
  total: number;
}

/**
 * Counts the requests clients send (round trips), as opposed to commands run
 * inside scripts, by watching MONITOR: Redis marks script-issued commands
 * with source `lua`, and every other line carries the client's address,
 * which `ownerOf` maps to the process that holds that connection.
 */
export class RoundTripMonitor {
  private readonly counts = new Map<string, Map<string, number>>();
  private total = 0;

  private constructor(
    private readonly monitor: Redis,
    private readonly ownerOf: (port: number) => string,
  ) {
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      if (source === 'lua' || !source) return;
      const cmd = String(args[0] ?? '').toLowerCase();
      if (cmd === 'info' || cmd === 'monitor' || cmd === 'client') return;
      const port = Number(source.slice(source.lastIndexOf(':') + 1));
      const owner = this.ownerOf(port);
      let m = this.counts.get(owner);
      if (!m) this.counts.set(owner, (m = new Map()));
      m.set(cmd, (m.get(cmd) ?? 0) + 1);
      this.total++;
    });
  }

  static async start(redis: Redis, ownerOf: (port: number) => string): Promise<RoundTripMonitor> {
    return new RoundTripMonitor(await redis.monitor(), ownerOf);
  }

  /** Counts so far; then starts again from zero. */
  take(): RoundTrips {
    const byProcess: Record<string, Record<string, number>> = {};
    for (const [owner, m] of this.counts) byProcess[owner] = Object.fromEntries(m);
    const out = { byProcess, total: this.total };
    this.counts.clear();
    this.total = 0;
    return out;
  }

  stop(): void {
    this.monitor.disconnect();
  }
}
