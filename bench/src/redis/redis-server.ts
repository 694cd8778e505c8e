import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../procs/free-port.js';
import { readLines } from '../procs/server-process.js';

/**
 * A private redis-server for one bench run: loopback only, a free port, no
 * persistence, so the run neither touches nor is disturbed by any other Redis.
 */
export class RedisServer {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    private readonly dir: string,
    readonly version: string,
  ) {}

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<RedisServer> {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'csc-bench-redis-'));
    const child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--maxclients', '10000', '--protected-mode', 'yes'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const lines: string[] = [];
    let version = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not start on port ${port}:\n${lines.join('\n')}`)), 10000);
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(new Error(`redis-server could not be started (is it on PATH?): ${err.message}`));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited (${code}):\n${lines.join('\n')}`));
      });
      const onLine = (line: string): void => {
        lines.push(line);
        const v = /Redis version=([\w.]+)/.exec(line);
        if (v) version = v[1] as string;
        if (/Ready to accept connections/i.test(line)) {
          clearTimeout(timer);
          resolve();
        }
      };
      readLines(child.stdout, onLine);
      readLines(child.stderr, onLine);
    }).catch((err: unknown) => {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw err;
    });
    return new RedisServer(child, port, dir, version);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
