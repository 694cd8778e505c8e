import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';

/** How to run one process of the local cluster. */
export interface ProcessSpec {
  /** Short name used in terminal lines and as the log file name, e.g. `gateway-2`. */
  name: string;
  command: string;
  args: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** True for the output line that says the process now serves (apps: `{"msg":"listening"}`). */
  isReady(line: string): boolean;
  /** Terminal text for an output line worth showing (warnings, errors, crashes), else null. */
  echo(line: string, stream: 'stdout' | 'stderr'): string | null;
}

/** What a supervised process reports; the launcher turns these into terminal lines. */
export type SupervisorEvent =
  | { type: 'started'; name: string; pid: number; restart: boolean }
  | { type: 'ready'; name: string; pid: number; restart: boolean }
  | { type: 'output'; name: string; text: string }
  | { type: 'died'; name: string; pid: number | undefined; code: number | null; signal: NodeJS.Signals | null; restartInMs: number };

export interface SupervisorOptions {
  /** Every output line of every run is appended here. */
  logFile: string;
  onEvent(event: SupervisorEvent): void;
  /** First restart delay; doubles per consecutive failure. @default 500 */
  initialBackoffMs?: number;
  /** Longest restart delay; a run that lasted this long resets the backoff. @default 15000 */
  maxBackoffMs?: number;
}

/**
 * One child process kept alive: output goes to its log file, a death is
 * reported and followed by a restart with exponential backoff, and `stop()`
 * ends it with SIGTERM, then SIGKILL once the grace is over.
 *
 * @example
 * const gw = new SupervisedProcess(spec, { logFile: '.local-cluster/logs/gateway-1.log', onEvent: console.log });
 * gw.start();
 * await gw.firstReady;
 * await gw.stop(12_000);
 */
export class SupervisedProcess {
  /** Resolves true on the first `ready` line ever, false if stopped before that. */
  readonly firstReady: Promise<boolean>;
  private resolveFirstReady!: (ready: boolean) => void;
  private child: ChildProcess | undefined;
  /** Resolves when the current run has exited and its output is drained. */
  private closed: Promise<void> = Promise.resolve();
  private readonly log: WriteStream;
  private stopping = false;
  private runs = 0;
  private failures = 0;
  private startedAt = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;

  constructor(
    readonly spec: ProcessSpec,
    private readonly options: SupervisorOptions,
  ) {
    this.firstReady = new Promise((resolve) => (this.resolveFirstReady = resolve));
    // Truncated once per launcher run; restarts of the process append to it.
    this.log = createWriteStream(options.logFile, { flags: 'w' });
    this.initialBackoffMs = options.initialBackoffMs ?? 500;
    this.maxBackoffMs = options.maxBackoffMs ?? 15_000;
  }

  /** Pid of the current run, if one is alive. */
  get pid(): number | undefined {
    return this.alive() ? this.child?.pid : undefined;
  }

  start(): void {
    if (this.stopping) return;
    const restart = this.runs++ > 0;
    const { spec } = this;
    // Its own process group: a Ctrl-C in the terminal reaches only the launcher,
    // which then stops the apps before the Redis they drain into.
    const child = spawn(spec.command, [...spec.args], { cwd: spec.cwd, env: spec.env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'], detached: true });
    this.child = child;
    this.startedAt = Date.now();
    let ready = false;
    const onLine = (line: string, stream: 'stdout' | 'stderr'): void => {
      if (!this.log.writableEnded) this.log.write(`${line}\n`);
      if (!ready && spec.isReady(line)) {
        ready = true;
        this.resolveFirstReady(true);
        this.options.onEvent({ type: 'ready', name: spec.name, pid: child.pid ?? 0, restart });
      }
      const text = spec.echo(line, stream);
      if (text !== null) this.options.onEvent({ type: 'output', name: spec.name, text });
    };
    createInterface({ input: child.stdout! }).on('line', (l) => onLine(l, 'stdout'));
    createInterface({ input: child.stderr! }).on('line', (l) => onLine(l, 'stderr'));
    // A run ends once: a failed spawn reports `error` and may still report `close`.
    let resolveClosed!: () => void;
    this.closed = new Promise((resolve) => (resolveClosed = resolve));
    let ended = false;
    const end = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (ended) return;
      ended = true;
      resolveClosed();
      this.onExit(child, code, signal);
    };
    child.once('error', (err) => {
      if (child.pid !== undefined) return;
      if (!this.log.writableEnded) this.log.write(`spawn failed: ${err.message}\n`);
      end(null, null);
    });
    // `close`, not `exit`: it comes once the output is drained too, so a run's last lines land in its log.
    child.once('close', end);
    if (child.pid !== undefined) this.options.onEvent({ type: 'started', name: spec.name, pid: child.pid, restart });
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.stopping || child !== this.child) return;
    const ranMs = Date.now() - this.startedAt;
    this.failures = ranMs >= this.maxBackoffMs ? 0 : this.failures + 1;
    const restartInMs = Math.min(this.initialBackoffMs * 2 ** Math.max(0, this.failures - 1), this.maxBackoffMs);
    this.options.onEvent({ type: 'died', name: this.spec.name, pid: child.pid, code, signal, restartInMs });
    this.restartTimer = setTimeout(() => this.start(), restartInMs);
  }

  private alive(): boolean {
    return this.child !== undefined && this.child.pid !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Ends the process for good: SIGTERM, then SIGKILL after `graceMs`; no restart follows. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    this.resolveFirstReady(false);
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (child && this.alive()) {
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await this.closed;
      clearTimeout(force);
    } else if (child?.pid !== undefined) {
      await this.closed;
    }
    await new Promise<void>((resolve) => this.log.end(resolve));
  }

  /** SIGKILL now, synchronously: for a launcher that is exiting without a clean stop. */
  kill(): void {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    if (this.alive()) this.child?.kill('SIGKILL');
  }
}
