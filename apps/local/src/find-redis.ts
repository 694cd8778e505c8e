import { spawnSync } from 'node:child_process';
import { connect, type Socket } from 'node:net';

/** The Redis the local cluster will use. */
export type RedisChoice =
  /** REDIS_URL or REDIS_CLUSTER_NODES, passed to the apps as is. */
  | { kind: 'given'; variable: 'REDIS_URL' | 'REDIS_CLUSTER_NODES'; value: string }
  /** A Redis already answering on 127.0.0.1:6379. */
  | { kind: 'local'; url: string }
  /** No Redis yet: the launcher starts `redis-server` on `port` and stops it on exit. */
  | { kind: 'start'; url: string; port: number };

/** What to tell someone who has no Redis at all. */
export const NO_REDIS_HELP = [
  'No Redis found: REDIS_URL is not set, nothing answers on 127.0.0.1:6379, and redis-server is not on PATH.',
  'Get one of these, then run `npm start` again:',
  '  - install Redis: `sudo apt-get install redis-server` (Debian/Ubuntu), `brew install redis` (macOS)',
  '  - or run one in a container: `docker run --rm -p 6379:6379 redis:7`',
  '  - or point at an existing one: `REDIS_URL=redis://host:6379 npm start`',
].join('\n');

/**
 * Opens a TCP connection and lets `onConnect` decide the answer; false on
 * error or after `timeoutMs`. The socket is always destroyed.
 */
function tcpProbe(host: string, port: number, timeoutMs: number, onConnect: (sock: Socket, done: (ok: boolean) => void) => void): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host, port });
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      sock.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    sock.once('connect', () => onConnect(sock, done));
    sock.once('error', () => done(false));
  });
}

/** Sends PING over a raw connection: true when a Redis answers `+PONG` within `timeoutMs`. */
export function redisAnswers(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return tcpProbe(host, port, timeoutMs, (sock, done) => {
    sock.once('data', (d) => done(d.toString().startsWith('+PONG')));
    sock.write('PING\r\n');
  });
}

/**
 * True when something accepts TCP connections at a redis:// URL. Only the
 * connection is tried: a Redis behind a password or TLS is still "there".
 */
export function redisUrlReachable(url: string, timeoutMs = 1000): Promise<boolean> {
  let host: string;
  let port: number;
  try {
    const u = new URL(url);
    host = u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
    port = Number(u.port || 6379);
  } catch {
    return Promise.resolve(false);
  }
  return tcpProbe(host, port, timeoutMs, (_sock, done) => done(true));
}

/** True when a `redis-server` binary runs from PATH. */
export function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Picks Redis in the order SPEC §6 fixes: REDIS_URL (or REDIS_CLUSTER_NODES)
 * if set, used as is; else 127.0.0.1:6379 if it answers; else a `redis-server`
 * from PATH on a port from `pickPort()`; else null.
 *
 * @param env the raw environment, to tell "set" from "defaulted"
 * @param pickPort picks the port for a started redis-server
 * @example
 * const choice = await findRedis(processEnv(), () => pickPort());
 * if (!choice) { console.error(NO_REDIS_HELP); process.exit(1); }
 */
export async function findRedis(env: NodeJS.ProcessEnv, pickPort: () => Promise<number>): Promise<RedisChoice | null> {
  if (env['REDIS_CLUSTER_NODES']) return { kind: 'given', variable: 'REDIS_CLUSTER_NODES', value: env['REDIS_CLUSTER_NODES'] };
  if (env['REDIS_URL']) return { kind: 'given', variable: 'REDIS_URL', value: env['REDIS_URL'] };
  if (await redisAnswers('127.0.0.1', 6379)) return { kind: 'local', url: 'redis://127.0.0.1:6379' };
  if (!hasRedisServer()) return null;
  const port = await pickPort();
  return { kind: 'start', url: `redis://127.0.0.1:${port}`, port };
}

/** Arguments of a throwaway, loopback-only redis-server that keeps nothing on disk. */
export function redisServerArgs(port: number, dir: string): string[] {
  return ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
}
