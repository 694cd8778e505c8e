import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ProbeReply, ProbeRequest } from './probe-protocol.js';

/** The repository root (bench/src/procs → ../../..). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PROBE = fileURLToPath(new URL('./probe.ts', import.meta.url));

/**
 * Environment a bench child starts from: only what a process needs to run.
 * Nothing of the caller's product configuration leaks in (a REDIS_URL or
 * REDIS_CLUSTER_NODES in the shell must not point a bench process elsewhere).
 */
export function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ']) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

export interface ServerProcessOptions {
  /** Name in reports (`gw-1`, `api`, `baseline-gw-1`, ...). */
  name: string;
  /** Entry module, relative to the repository root. */
  script: string;
  env: Record<string, string>;
  /** @default 30000 */
  readyTimeoutMs?: number;
}

/**
 * A server process (ours or the baseline's) run as `node --import tsx`, with
 * the stats probe preloaded. Ready once it logs a JSON line with
 * `"msg":"listening"`; its output is drained and only the tail is kept, for
 * the error message when it fails.
 */
export class ServerProcess {
  port = 0;
  exitCode: number | null = null;
  private readonly lines: string[] = [];
  private nextProbe = 1;
  private readonly waiting = new Map<number, (reply: ProbeReply) => void>();
  private readonly exited: Promise<void>;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => {
      this.exitCode = code ?? (signal ? 128 : 0);
      resolve();
    }));
    child.on('message', (raw: unknown) => {
      const reply = raw as Partial<ProbeReply>;
      if (reply?.probe === 'stats' && typeof reply.id === 'number') this.waiting.get(reply.id)?.(reply as ProbeReply);
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get running(): boolean {
    return this.exitCode === null;
  }

  /** The last lines the process wrote (stdout and stderr). */
  tail(n = 25): string {
    return this.lines.slice(-n).join('\n');
  }

  static async start(options: ServerProcessOptions): Promise<ServerProcess> {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', '--import', PROBE, options.script], {
      cwd: REPO_ROOT,
      env: { ...baseEnv(), ...options.env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const proc = new ServerProcess(options.name, child);
    const ready = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${options.name} did not log "listening" within ${options.readyTimeoutMs ?? 30000} ms:\n${proc.tail()}`)), options.readyTimeoutMs ?? 30000);
      const onLine = (line: string): void => {
        proc.keep(line);
        if (!line.includes('"listening"')) return;
        try {
          const parsed = JSON.parse(line) as { msg?: string; port?: number };
          if (parsed.msg === 'listening') {
            clearTimeout(timer);
            resolve(Number(parsed.port) || 0);
          }
        } catch {
          /* not JSON: an ordinary line */
        }
      };
      readLines(child.stdout, onLine);
      readLines(child.stderr, (line) => proc.keep(line));
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${options.name} exited (${code}) before it was ready:\n${proc.tail()}`));
      });
    });
    try {
      proc.port = await ready;
    } catch (err) {
      await proc.stop();
      throw err;
    }
    return proc;
  }

  private keep(line: string): void {
    this.lines.push(line);
    if (this.lines.length > 200) this.lines.splice(0, 100);
  }

  /** Heap, RSS and event-loop delay from inside the process; null when it does not answer. */
  probe(options: { gc?: boolean; resetDelay?: boolean } = {}, timeoutMs = 5000): Promise<ProbeReply | null> {
    if (!this.running || !this.child.connected) return Promise.resolve(null);
    const id = this.nextProbe++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        resolve(null);
      }, timeoutMs);
      this.waiting.set(id, (reply) => {
        clearTimeout(timer);
        this.waiting.delete(id);
        resolve(reply);
      });
      const request: ProbeRequest = { probe: 'stats', id, ...options };
      this.child.send(request, (err) => {
        if (err) {
          clearTimeout(timer);
          this.waiting.delete(id);
          resolve(null);
        }
      });
    });
  }

  /** SIGTERM, then SIGKILL after `graceMs`. Resolves once the process is gone. */
  async stop(graceMs = 5000): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** Kills at once (for teardown after a failure). */
  kill(): void {
    if (this.running) this.child.kill('SIGKILL');
  }
}

/** Calls `onLine` per line of a stream, draining it so the child never blocks on a full pipe. */
export function readLines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  if (!stream) return;
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    let i: number;
    while ((i = buffered.indexOf('\n')) >= 0) {
      onLine(buffered.slice(0, i));
      buffered = buffered.slice(i + 1);
    }
    if (buffered.length > 65536) buffered = '';
  });
}
