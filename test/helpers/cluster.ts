import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { onLines } from './lines.js';
import { deletePrefix, redisUrl, testRedis, uniquePrefix } from './redis.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export type AppName = 'gateway' | 'api' | 'worker';

/** One running app process. */
export interface AppProcess {
  name: string;
  proc: ChildProcess;
  port: number;
  url: string;
  /** Every stdout/stderr line so far (JSON log lines). */
  lines: string[];
  /** Resolves with the first log line matching `predicate`. */
  waitForLog(predicate: (entry: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
  exited: Promise<number | null>;
}

/**
 * Spawns `apps/<app>/src/main.ts` as a real process and resolves once it logs
 * `listening`. Rejects (with its output) if it exits or does not come up.
 */
export async function spawnApp(app: AppName, env: Record<string, string>, label: string = app): Promise<AppProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', `apps/${app}/src/main.ts`], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters = new Set<{ predicate: (e: Record<string, unknown>) => boolean; resolve: (e: Record<string, unknown>) => void }>();
  const onLine = (line: string): void => {
    lines.push(line);
    if (process.env['TEST_APP_LOGS']) process.stderr.write(`[${label}] ${line}\n`);
    let entry: Record<string, unknown>;
    try {
      entry = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return;
    }
    for (const w of waiters) {
      if (w.predicate(entry)) {
        waiters.delete(w);
        w.resolve(entry);
      }
    }
  };
  onLines([proc.stdout, proc.stderr], onLine);
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const waitForLog = (predicate: (e: Record<string, unknown>) => boolean, timeoutMs = 30_000): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      for (const line of lines) {
        try {
          const e = JSON.parse(line) as Record<string, unknown>;
          if (predicate(e)) return resolve(e);
        } catch {
          /* not JSON */
        }
      }
      const w = { predicate, resolve };
      waiters.add(w);
      const timer = setTimeout(() => {
        waiters.delete(w);
        reject(new Error(`${label}: no matching log line within ${timeoutMs} ms. Output:\n${lines.slice(-30).join('\n')}`));
      }, timeoutMs);
      timer.unref();
      void exited.then((code) => {
        if (waiters.delete(w)) {
          clearTimeout(timer);
          reject(new Error(`${label} exited (${code}) before a matching log line. Output:\n${lines.slice(-30).join('\n')}`));
        }
      });
    });
  const listening = await waitForLog((e) => e['msg'] === 'listening');
  const port = Number(listening['port']);
  return {
    name: label,
    proc,
    port,
    url: `http://127.0.0.1:${port}`,
    lines,
    waitForLog,
    exited,
    async kill(signal: NodeJS.Signals = 'SIGTERM') {
      if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
      proc.kill(signal);
      return exited;
    },
  };
}

export interface ClusterOptions {
  gateways?: number;
  workers?: number;
  /** Extra env for every process. */
  env?: Record<string, string>;
  /** Name used in the key prefix. */
  name?: string;
}

/** A whole local cluster on its own key prefix: N gateways, one api, M workers. */
export interface TestCluster {
  prefix: string;
  apiKey: string;
  pal: string;
  /** A second pal, for tenancy tests. */
  otherApiKey: string;
  otherPal: string;
  api: AppProcess;
  gateways: AppProcess[];
  workers: AppProcess[];
  env: Record<string, string>;
  /** Authenticated JSON call to the api. */
  request(method: string, path: string, body?: unknown, apiKey?: string): Promise<{ status: number; body: any; headers: Headers }>;
  /** An endpoint rewritten to point at gateway `i`. */
  endpointOn(endpoint: string, i: number): string;
  addGateway(): Promise<AppProcess>;
  addWorker(): Promise<AppProcess>;
  stop(): Promise<void>;
}

export async function startCluster(options: ClusterOptions = {}): Promise<TestCluster> {
  const prefix = uniquePrefix(options.name ?? 'cluster');
  const apiKey = `key-${prefix}a`;
  const otherApiKey = `key-${prefix}b`;
  const env: Record<string, string> = {
    REDIS_URL: redisUrl(),
    KEY_PREFIX: prefix,
    API_KEYS: `acme:${apiKey},globex:${otherApiKey}`,
    API_PORT: '0',
    GATEWAY_PORT: '0',
    METRICS_PORT: '0',
    HOST: '127.0.0.1',
    SHUTDOWN_GRACE_MS: '3000',
    ...options.env,
  };
  const started: AppProcess[] = [];
  const stopAll = async (): Promise<void> => {
    await Promise.all(started.map((p) => p.kill('SIGKILL')));
  };
  try {
    // Every process binds port 0 (no race for a pre-picked free port); endpoints name the first gateway once it is up.
    const launch = async (starts: Array<Promise<AppProcess>>): Promise<void> => {
      const settled = await Promise.allSettled(starts);
      for (const s of settled) if (s.status === 'fulfilled') started.push(s.value);
      const failed = settled.find((s) => s.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
    };
    const workerStarts = Array.from({ length: options.workers ?? 1 }, (_, i) => spawnApp('worker', env, `worker-${i + 1}`));
    await launch(Array.from({ length: options.gateways ?? 2 }, (_, i) => spawnApp('gateway', env, `gateway-${i + 1}`)));
    const first = started.find((p) => p.name === 'gateway-1');
    env['PUBLIC_GATEWAY_URL'] = options.env?.['PUBLIC_GATEWAY_URL'] ?? `http://127.0.0.1:${first?.port ?? 3100}`;
    await launch([spawnApp('api', env, 'api'), ...workerStarts]);
    const gateways = started.filter((p) => p.name.startsWith('gateway'));
    const api = started.find((p) => p.name === 'api') as AppProcess;
    const workers = started.filter((p) => p.name.startsWith('worker'));
    const cluster: TestCluster = {
      prefix,
      apiKey,
      pal: 'acme',
      otherApiKey,
      otherPal: 'globex',
      api,
      gateways,
      workers,
      env,
      async request(method, path, body, key = apiKey) {
        const res = await fetch(`${api.url}${path}`, {
          method,
          headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
        });
        const text = await res.text();
        let parsed: unknown = text;
        try {
          parsed = text ? JSON.parse(text) : null;
        } catch {
          /* keep text */
        }
        return { status: res.status, body: parsed, headers: res.headers };
      },
      endpointOn(endpoint, i) {
        const u = new URL(endpoint);
        u.port = String(gateways[i]?.port);
        return u.toString();
      },
      async addGateway() {
        const p = await spawnApp('gateway', env, `gateway-${gateways.length + 1}`);
        started.push(p);
        gateways.push(p);
        return p;
      },
      async addWorker() {
        const p = await spawnApp('worker', env, `worker-${workers.length + 1}`);
        started.push(p);
        workers.push(p);
        return p;
      },
      async stop() {
        await stopAll();
        const redis = testRedis(env['REDIS_URL']);
        try {
          await deletePrefix(redis, prefix);
        } finally {
          redis.disconnect();
        }
      },
    };
    return cluster;
  } catch (err) {
    await stopAll();
    throw err;
  }
}
