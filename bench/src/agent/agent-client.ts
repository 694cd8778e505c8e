import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { baseEnv, readLines, REPO_ROOT } from '../procs/server-process.js';
import type {
  AgentReply,
  AgentRequest,
  ClosedEvent,
  ConnectReport,
  ConnectTarget,
  PingOnceReport,
  PingStatsReport,
  PushOneReport,
  PushTarget,
  PushVia,
  ReceiveReport,
  SendReport,
  SeqReport,
} from './protocol.js';

const ENTRY = fileURLToPath(new URL('./agent-main.ts', import.meta.url));

/** Parent-side handle of one load generator process. */
export class AgentClient {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly lines: string[] = [];

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    child.on('message', (raw: unknown) => {
      const reply = raw as AgentReply;
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if (reply.ok) p.resolve(reply.result);
      else p.reject(new Error(`${name}: ${reply.error}`));
    });
    child.on('exit', (code) => {
      for (const p of this.pending.values()) p.reject(new Error(`${name} exited (${code}):\n${this.lines.slice(-10).join('\n')}`));
      this.pending.clear();
    });
    readLines(child.stdout, (l) => this.keep(l));
    readLines(child.stderr, (l) => this.keep(l));
  }

  private keep(line: string): void {
    this.lines.push(line);
    if (this.lines.length > 100) this.lines.splice(0, 50);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Starts a generator and resolves once it answers (its modules are loaded). */
  static async start(name: string): Promise<AgentClient> {
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY], { cwd: REPO_ROOT, env: baseEnv(), stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    const agent = new AgentClient(name, child);
    await agent.call({ cmd: 'hello' }, 30000);
    return agent;
  }

  private call<T>(request: AgentRequest, timeoutMs = 300_000): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: ${request.cmd} timed out`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.child.send({ id, request });
    });
  }

  connect(targets: ConnectTarget[], options: { concurrency?: number; pingIntervalMs?: number; timeoutMs?: number } = {}): Promise<ConnectReport> {
    return this.call({ cmd: 'connect', targets, concurrency: options.concurrency ?? 50, pingIntervalMs: options.pingIntervalMs ?? 0, timeoutMs: options.timeoutMs ?? 20000 });
  }

  disconnect(): Promise<null> {
    return this.call({ cmd: 'disconnect' });
  }

  emit(event: 'message' | 'ping', rate: number, durationMs: number, tag: string, maxInFlight = 5000): Promise<SendReport> {
    return this.call({ cmd: 'emit', event, rate, durationMs, tag, maxInFlight });
  }

  pingOnce(): Promise<PingOnceReport> {
    return this.call({ cmd: 'pingOnce' });
  }

  collect(tag: string, expect: number, timeoutMs = 10000, settleMs = 2000): Promise<ReceiveReport> {
    return this.call({ cmd: 'collect', tag, expect, timeoutMs, settleMs });
  }

  awaitSeq(tag: string, q: number, expect: number, timeoutMs = 5000): Promise<SeqReport> {
    return this.call({ cmd: 'awaitSeq', tag, q, expect, timeoutMs });
  }

  closedEvents(): Promise<ClosedEvent[]> {
    return this.call({ cmd: 'closedEvents' });
  }

  pingStats(): Promise<PingStatsReport> {
    return this.call({ cmd: 'pingStats' });
  }

  push(via: PushVia, targets: string[], rate: number, durationMs: number, tag: string, maxInFlight = 512): Promise<SendReport> {
    return this.call({ cmd: 'push', via, targets, rate, durationMs, tag, maxInFlight });
  }

  pushOne(via: PushVia, target: PushTarget, tag: string, q: number): Promise<PushOneReport> {
    return this.call({ cmd: 'pushOne', via, target, tag, q });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    await this.call({ cmd: 'stop' }, 10000).catch(() => undefined);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}
