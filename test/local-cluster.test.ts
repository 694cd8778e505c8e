// `npm start` as a user runs it: the launcher process, its printed banner,
// its children, a child killed by SIGKILL, and Ctrl-C.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { VARS } from '@clientsocket/config';
import { pickPort, portInUse } from '@clientsocket/local';
import { connectClient, nextEvent } from './helpers/clients.js';
import { deletePrefix, redisUrl, testRedis, uniquePrefix } from './helpers/redis.js';
import { onLines } from './helpers/lines.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const GUARD_MS = 60_000;

/** A running `npm start`, with its output lines. */
interface Launcher {
  proc: ChildProcess;
  output: string[];
  /** The first output line matching `re` (past or future), as its match. */
  waitFor(re: RegExp, guardMs?: number): Promise<RegExpMatchArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const LAUNCHER = [process.execPath, '--import', 'tsx', 'apps/local/src/main.ts'];

/**
 * Runs the launcher like `npm start` does, with `env` on top of an environment
 * cleared of every product variable (so the outer test env cannot leak in).
 * `wrap` turns the launcher's argv into the command actually spawned.
 */
function startLauncher(env: Record<string, string>, dir: string, wrap: (argv: string[]) => string[] = (argv) => argv): Launcher {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !(k in VARS)));
  const [command, ...args] = wrap([...LAUNCHER, '--dir', dir]);
  const proc = spawn(command!, args, {
    cwd: ROOT,
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const waiters = new Set<{ re: RegExp; resolve: (m: RegExpMatchArray) => void }>();
  onLines([proc.stdout, proc.stderr], (line) => {
    output.push(line);
    if (process.env['TEST_APP_LOGS']) process.stderr.write(`[launcher] ${line}\n`);
    for (const w of waiters) {
      const m = line.match(w.re);
      if (m) {
        waiters.delete(w);
        w.resolve(m);
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  const waitFor = (re: RegExp, guardMs = GUARD_MS): Promise<RegExpMatchArray> =>
    new Promise((resolve, reject) => {
      for (const line of output) {
        const m = line.match(re);
        if (m) return resolve(m);
      }
      const w = { re, resolve };
      waiters.add(w);
      const fail = (why: string): void => {
        if (waiters.delete(w)) reject(new Error(`launcher: no line matching ${re} (${why}). Output:\n${output.slice(-40).join('\n')}`));
      };
      const timer = setTimeout(() => fail(`within ${guardMs} ms`), guardMs);
      timer.unref();
      void exited.then(({ code }) => {
        clearTimeout(timer);
        fail(`it exited with ${code}`);
      });
    });
  return { proc, output, waitFor, exited };
}

/** Pids the launcher reported for its children, every run of every child. */
function reportedPids(output: string[]): Map<number, string> {
  const pids = new Map<number, string>();
  for (const line of output) {
    const m = line.match(/^\[local\] (\S+) (?:started|restarted) \(pid (\d+)\)/);
    if (m) pids.set(Number(m[2]), m[1]!);
  }
  return pids;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A free port whose successor is free too (GATEWAYS=2 needs GATEWAY_PORT and
 * GATEWAY_PORT+1), from the launcher's own picker: below the ephemeral range,
 * so nothing else is handed it before the launcher's children bind it.
 */
async function freePortPair(): Promise<number> {
  for (;;) {
    const port = await pickPort();
    if (port < 65535 && !(await portInUse('127.0.0.1', port + 1))) return port;
  }
}

async function status(url: string): Promise<number> {
  return (await fetch(url)).status;
}

/** Parses the banner's URLs and key. */
async function readBanner(l: Launcher): Promise<{ api: string; gateways: string[]; key: string; demo: string }> {
  await l.waitFor(/^ClientSocket local cluster is up\.$/);
  const api = (await l.waitFor(/^\s+API\s+(http\S+)$/))[1]!;
  const key = (await l.waitFor(/^\s+API key\s+(\S+) \(pal "demo"\)$/))[1]!;
  const demo = (await l.waitFor(/^\s+Demo\s+(http\S+)$/))[1]!;
  const gateways = l.output.map((line) => line.match(/^\s+Gateway \d+\s+(http\S+)$/)?.[1]).filter((u): u is string => !!u);
  return { api, gateways, key, demo };
}

/** Absolute path of `name` on PATH, if any. */
function which(name: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim().startsWith('/') ? r.stdout.trim() : undefined;
}

/**
 * Runs the launcher in a network namespace of its own, where nothing answers on
 * 127.0.0.1:6379 whatever runs on this machine, with PATH reduced to `tools`:
 * the only way to reach the later steps of SPEC §6's Redis order here.
 * Where namespaces are not available (not root, no unshare), the reason instead.
 */
function isolatedNetwork(tools: string[]): { wrap: (argv: string[]) => string[]; path: string } | string {
  const unshare = which('unshare');
  const ip = which('ip');
  if (!unshare || !ip) return 'needs unshare and ip (util-linux, iproute2)';
  if (spawnSync(unshare, ['-n', 'true']).status !== 0) return 'unshare -n is not permitted here (needs root or CAP_SYS_ADMIN)';
  const bin = mkdtempSync(join(tmpdir(), 'csc-local-bin-'));
  dirs.push(bin);
  for (const tool of ['node', ...tools]) {
    const path = tool === 'node' ? process.execPath : which(tool);
    if (!path) return `${tool} is not on PATH`;
    symlinkSync(path, join(bin, tool));
  }
  // Loopback starts down in a new namespace; the launcher is exec'ed so its pid is the spawned one.
  return { path: bin, wrap: (argv) => [unshare, '-n', '/bin/sh', '-c', `${ip} link set lo up && exec "$@"`, 'sh', ...argv] };
}

const dirs: string[] = [];
function workDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'csc-local-'));
  dirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('npm start (local cluster launcher)', () => {
  test('runs 2 gateways, api and worker; prints a working key; restarts a killed child; Ctrl-C stops all', async (t) => {
    const prefix = uniquePrefix('local');
    const gatewayPort = await freePortPair();
    const apiPort = await pickPort('127.0.0.1', new Set([gatewayPort, gatewayPort + 1]));
    const l = startLauncher(
      { REDIS_URL: redisUrl(), KEY_PREFIX: prefix, GATEWAY_PORT: String(gatewayPort), API_PORT: String(apiPort), METRICS_PORT: '0', SHUTDOWN_GRACE_MS: '3000' },
      workDir(),
    );
    t.after(async () => {
      if (l.proc.exitCode === null && l.proc.signalCode === null) l.proc.kill('SIGKILL');
      for (const pid of reportedPids(l.output).keys()) if (alive(pid)) process.kill(pid, 'SIGKILL');
      const redis = testRedis();
      await deletePrefix(redis, prefix);
      redis.disconnect();
    });

    const banner = await readBanner(l);
    assert.equal(banner.api, `http://127.0.0.1:${apiPort}`);
    assert.deepEqual(banner.gateways, [`http://127.0.0.1:${gatewayPort}`, `http://127.0.0.1:${gatewayPort + 1}`]);
    assert.equal(banner.demo, `${banner.api}/demo`);

    for (const base of [banner.api, ...banner.gateways]) assert.equal(await status(`${base}/healthz`), 200, `${base}/healthz`);
    assert.equal(await status(`${banner.api}/readyz`), 200);
    assert.equal(await status(banner.demo), 200, 'the launcher turns the demo page on');

    // The printed key works, and the endpoint points at the first gateway.
    const created = await fetch(`${banner.api}/v1/sockets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${banner.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'hello', receiverWorkflow: 'echo' }),
    });
    assert.equal(created.status, 201);
    const socket = (await created.json()) as { endpoint: string; pal: string };
    assert.equal(socket.pal, 'demo');
    assert.ok(socket.endpoint.startsWith(`${banner.gateways[0]}/`), socket.endpoint);

    // The worker is up too: an echo round trip through the printed endpoint.
    const client = await connectClient(socket.endpoint);
    try {
      const echoed = nextEvent<unknown>(client, 'message');
      const ack = (await client.timeout(20_000).emitWithAck('message', { hello: 'local' })) as { ok: boolean };
      assert.equal(ack.ok, true);
      assert.deepEqual(await echoed, { hello: 'local' });
    } finally {
      client.close();
    }

    // SIGKILL one gateway: the launcher says so, restarts it, the others keep serving.
    const pids = reportedPids(l.output);
    const victim = [...pids].find(([, name]) => name === 'gateway-2')?.[0];
    assert.ok(victim, `gateway-2 pid in output:\n${l.output.join('\n')}`);
    const survivors = [...pids].filter(([pid]) => pid !== victim).map(([pid]) => pid);
    process.kill(victim, 'SIGKILL');
    await l.waitFor(new RegExp(`gateway-2 \\(pid ${victim}\\) died \\(signal SIGKILL\\); restarting`));
    const back = await l.waitFor(/gateway-2 is back \(pid (\d+)\)/);
    assert.notEqual(Number(back[1]), victim);
    assert.equal(await status(`${banner.gateways[1]}/healthz`), 200);
    assert.equal(await status(`${banner.api}/healthz`), 200);
    for (const pid of survivors) assert.ok(alive(pid), `pid ${pid} (${pids.get(pid)}) kept running`);

    // Ctrl-C: every child, the restarted one included, is gone when the launcher exits.
    const all = reportedPids(l.output);
    assert.equal(all.size, 5, 'gateway-1, gateway-2 twice, api, worker-1');
    l.proc.kill('SIGINT');
    assert.deepEqual(await l.exited, { code: 0, signal: null });
    await l.waitFor(/all processes stopped/);
    for (const [pid, name] of all) assert.equal(alive(pid), false, `${name} (pid ${pid}) still running`);
  });

  test('REDIS_URL is used as is: with nothing there the cluster starts and reports not ready', async (t) => {
    const closedPort = await pickPort();
    const l = startLauncher(
      { REDIS_URL: `redis://127.0.0.1:${closedPort}`, KEY_PREFIX: uniquePrefix('local-noredis'), GATEWAYS: '1', GATEWAY_PORT: '0', API_PORT: '0', METRICS_PORT: '0', SHUTDOWN_GRACE_MS: '2000' },
      workDir(),
    );
    t.after(() => {
      if (l.proc.exitCode === null && l.proc.signalCode === null) l.proc.kill('SIGKILL');
      for (const pid of reportedPids(l.output).keys()) if (alive(pid)) process.kill(pid, 'SIGKILL');
    });
    await l.waitFor(new RegExp(`nothing accepts connections at REDIS_URL=redis://127\\.0\\.0\\.1:${closedPort}`));
    const banner = await readBanner(l);
    assert.match(l.output.join('\n'), new RegExp(`Redis\\s+redis://127\\.0\\.0\\.1:${closedPort} \\(REDIS_URL, used as is\\)`));
    assert.equal(await status(`${banner.api}/healthz`), 200);
    assert.equal(await status(`${banner.api}/readyz`), 503);
    assert.equal(await status(`${banner.gateways[0]}/readyz`), 503);
    const pids = [...reportedPids(l.output).keys()];
    l.proc.kill('SIGINT');
    assert.equal((await l.exited).code, 0);
    for (const pid of pids) assert.equal(alive(pid), false, `pid ${pid} still running`);
  });

  test('a bad value stops it with a message naming the variable', async () => {
    const l = startLauncher({ GATEWAYS: 'abc' }, workDir());
    assert.deepEqual(await l.exited, { code: 1, signal: null });
    assert.match(l.output.join('\n'), /GATEWAYS/);
    assert.equal(reportedPids(l.output).size, 0, 'no process was started');
  });

  test('a port already in use stops it with a message naming the variable', async (t) => {
    const holder: Server = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    t.after(() => holder.close());
    const port = (holder.address() as { port: number }).port;
    const l = startLauncher({ REDIS_URL: redisUrl(), API_PORT: String(port), GATEWAY_PORT: '0', METRICS_PORT: '0' }, workDir());
    assert.deepEqual(await l.exited, { code: 1, signal: null });
    assert.match(l.output.join('\n'), new RegExp(`API_PORT.*port ${port} \\(api\\) is already in use`));
    assert.equal(reportedPids(l.output).size, 0, 'no process was started');
  });
  test('with no Redis at all it exits 1 and says how to get one', async (t) => {
    const isolated = isolatedNetwork([]);
    if (typeof isolated === 'string') return t.skip(isolated);
    const l = startLauncher({ PATH: isolated.path, GATEWAYS: '1', GATEWAY_PORT: '0', API_PORT: '0', METRICS_PORT: '0' }, workDir(), isolated.wrap);
    assert.deepEqual(await l.exited, { code: 1, signal: null });
    const text = l.output.join('\n');
    assert.match(text, /No Redis found/);
    assert.match(text, /apt-get install redis-server/);
    assert.match(text, /REDIS_URL=/);
    assert.equal(reportedPids(l.output).size, 0, 'no process was started');
  });

  test('with nothing on 127.0.0.1:6379 it starts redis-server itself, and stops it on Ctrl-C', async (t) => {
    const isolated = isolatedNetwork(['redis-server']);
    if (typeof isolated === 'string') return t.skip(isolated);
    const l = startLauncher({ PATH: isolated.path, GATEWAYS: '1', GATEWAY_PORT: '0', API_PORT: '0', METRICS_PORT: '0', SHUTDOWN_GRACE_MS: '2000' }, workDir(), isolated.wrap);
    t.after(() => {
      if (l.proc.exitCode === null && l.proc.signalCode === null) l.proc.kill('SIGKILL');
      for (const pid of reportedPids(l.output).keys()) if (alive(pid)) process.kill(pid, 'SIGKILL');
    });
    await l.waitFor(/^ClientSocket local cluster is up\.$/);
    assert.match(l.output.join('\n'), /Redis\s+redis:\/\/127\.0\.0\.1:\d+ \(redis-server started by this launcher, stopped with it\)/);
    const pids = reportedPids(l.output);
    assert.deepEqual([...pids.values()].sort(), ['api', 'gateway-1', 'redis', 'worker-1']);
    l.proc.kill('SIGINT');
    assert.deepEqual(await l.exited, { code: 0, signal: null });
    for (const [pid, name] of pids) assert.equal(alive(pid), false, `${name} (pid ${pid}) still running`);
  });
});
