import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** One command to hammer, as redis-benchmark's trailing arguments. */
export interface CeilingTest {
  name: string;
  /** What it stands for on our hot paths. */
  usedBy: string;
  args: string[];
}

export interface BenchmarkRow {
  name: string;
  usedBy: string;
  command: string;
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
}

/** True when `redis-benchmark` can be run. */
export async function hasRedisBenchmark(): Promise<boolean> {
  try {
    await run('redis-benchmark', ['--version']);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs redis-benchmark once per test against 127.0.0.1:`port`: `clients`
 * parallel connections, no pipelining (each of our requests is one round
 * trip too), `requests` in all.
 */
export async function runRedisBenchmark(port: number, tests: readonly CeilingTest[], options: { requests: number; clients: number }): Promise<BenchmarkRow[]> {
  const results: BenchmarkRow[] = [];
  for (const test of tests) {
    const { stdout } = await run('redis-benchmark', ['-h', '127.0.0.1', '-p', String(port), '-n', String(options.requests), '-c', String(options.clients), '--csv', ...test.args], {
      timeout: 120_000,
      maxBuffer: 1 << 20,
    });
    const line = stdout.trim().split('\n').find((l) => !l.startsWith('"test"'));
    const cols = (line ?? '').split('","').map((c) => c.replace(/"/g, ''));
    results.push({
      name: test.name,
      usedBy: test.usedBy,
      command: test.args.map((a) => (a.length > 24 ? `${a.slice(0, 8)}…` : a)).join(' '),
      requestsPerSec: Math.round(Number(cols[1] ?? 0)),
      p50Ms: Number(cols[4] ?? 0),
      p99Ms: Number(cols[6] ?? 0),
    });
  }
  return results;
}
