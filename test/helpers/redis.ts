import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
// @ts-expect-error plain ESM helper shared with the launcher
import { startRedisServer as startServer, freePort as free } from '../../scripts/redis-env.mjs';

/** The Redis the suite runs against (set by scripts/run-tests.mjs). */
export function redisUrl(): string {
  return process.env['REDIS_URL'] || 'redis://127.0.0.1:6379';
}

/** A key prefix no other test uses, e.g. `t-expiry-3f9a1c:`. */
export function uniquePrefix(name: string): string {
  return `t-${name}-${randomBytes(4).toString('hex')}:`;
}

export const freePort: () => Promise<number> = free;

/** A private redis-server (for tests that stop, pause or flush Redis). */
export interface OwnRedis {
  url: string;
  port: number;
  /** SIGSTOP: Redis stops answering but keeps connections open (the nastiest outage). */
  pause(): void;
  resume(): void;
  /** Kills it (data is lost: it keeps nothing on disk). */
  stop(): Promise<void>;
  /** Starts a fresh, empty redis-server on the same port. */
  restart(): Promise<void>;
}

function exited(proc: ChildProcess): boolean {
  return proc.exitCode !== null || proc.signalCode !== null;
}

export async function startOwnRedis(): Promise<OwnRedis> {
  const first = (await startServer()) as { url: string; port: number; proc: ChildProcess };
  let proc = first.proc;
  return {
    url: first.url,
    port: first.port,
    pause: () => void proc.kill('SIGSTOP'),
    resume: () => void proc.kill('SIGCONT'),
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited(proc)) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGCONT');
        proc.kill('SIGKILL');
      }),
    async restart() {
      const again = (await startServer(first.port)) as { proc: ChildProcess };
      proc = again.proc;
    },
  };
}

/** A plain client for assertions. */
export function testRedis(url = redisUrl()): Redis {
  return new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: false });
}

/** Every key under `prefix`. */
export async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    out.push(...batch);
  } while (cursor !== '0');
  return out;
}

/** Deletes every key under `prefix` (a test cleans up after itself). */
export async function deletePrefix(redis: Redis, prefix: string): Promise<void> {
  const keys = await keysUnder(redis, prefix);
  for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
}
