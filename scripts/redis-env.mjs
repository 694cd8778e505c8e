// Finds a Redis for the local cluster and the test suite, in the order SPEC §6 gives:
// REDIS_URL if set; else 127.0.0.1:6379 if it answers; else a redis-server from PATH on
// a free port (stopped with the caller); else null.
import { spawn, spawnSync } from 'node:child_process';
import { createServer, connect } from 'node:net';

/** Sends PING over a raw socket: true when a Redis answers within `timeoutMs`. */
export function redisAnswers(host, port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const sock = connect({ host, port });
    const done = (ok) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    sock.on('connect', () => sock.write('PING\r\n'));
    sock.on('data', (d) => done(d.toString().startsWith('+PONG')));
    sock.on('error', () => done(false));
  });
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export function hasRedisServer() {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Starts a throwaway redis-server (no persistence) on a free loopback port, or on `port`. */
export async function startRedisServer(port) {
  port ??= await freePort();
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no'], {
    stdio: 'ignore',
  });
  for (let i = 0; i < 100; i++) {
    if (await redisAnswers('127.0.0.1', port, 200)) return { url: `redis://127.0.0.1:${port}`, port, proc };
    if (proc.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  proc.kill('SIGKILL');
  throw new Error(`redis-server did not start on port ${port}`);
}

/**
 * @returns {{url: string, proc?: import('node:child_process').ChildProcess, source: string} | null}
 */
export async function findRedis(env = process.env) {
  if (env.REDIS_URL || env.REDIS_CLUSTER_NODES) return { url: env.REDIS_URL ?? '', source: env.REDIS_CLUSTER_NODES ? 'REDIS_CLUSTER_NODES' : 'REDIS_URL' };
  if (await redisAnswers('127.0.0.1', 6379)) return { url: 'redis://127.0.0.1:6379', source: '127.0.0.1:6379' };
  if (hasRedisServer()) {
    const started = await startRedisServer();
    return { url: started.url, proc: started.proc, source: `redis-server started on port ${started.port}` };
  }
  return null;
}
