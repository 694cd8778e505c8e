import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Keys } from '@clientsocket/store';
import type { BenchContext } from '../bench-context.js';
import { REPO_ROOT } from '../procs/server-process.js';
import { hasRedisBenchmark, runRedisBenchmark, type CeilingTest } from '../redis/redis-benchmark.js';
import type { CeilingReport } from '../report/result-types.js';
import { createSockets, deleteSockets } from './helpers.js';

function script(name: string): string {
  return readFileSync(join(REPO_ROOT, 'packages/store/src/lua', `${name}.lua`), 'utf8');
}

/**
 * Scenario 7: what Redis itself allows, on the same Redis and machine, for
 * the commands our hot paths send: the request floor (PING), PUBLISH, and
 * our own scripts run exactly as the gateway and api run them.
 */
export async function runCeiling(ctx: BenchContext): Promise<CeilingReport> {
  const { requests, clients } = ctx.options.ceiling;
  if (!(await hasRedisBenchmark())) return { available: false, requests, clients, benchmarks: [], paths: [] };
  const [id] = (await createSockets(ctx, 1, { channel: 'ceiling', receiverWorkflow: 'echo' })) as [string];
  const k = new Keys('csc:');
  try {
    const touch = String(await ctx.admin.script('LOAD', script('touchSocket-3')));
    const read = String(await ctx.admin.script('LOAD', script('readSocket-2')));
    const tests: CeilingTest[] = [
      { name: 'PING', usedBy: 'request floor: one round trip, no work', args: ['ping'] },
      { name: 'PUBLISH', usedBy: 'every push (no subscriber: the fan-out to gateways is extra)', args: ['publish', 'bench:ceiling', 'x'.repeat(64)] },
      { name: 'HSET', usedBy: 'socket metadata', args: ['hset', 'bench:ceiling:h', 'f', 'v'] },
      { name: 'ZADD', usedBy: 'expiry schedule, listing indexes', args: ['zadd', 'bench:ceiling:z', '1', 'm'] },
      { name: 'touchSocket', usedBy: 'every ping and inbound message (gateway)', args: ['evalsha', touch, '3', k.socket(id), k.connections(id), k.dueOf(id), id, String(ctx.options.renewalMinuteMs), '0'] },
      { name: 'readSocket', usedBy: 'every push (api/SDK lookup)', args: ['evalsha', read, '2', k.socket(id), k.connections(id)] },
    ];
    const benchmarks = await runRedisBenchmark(ctx.redis.port, tests, { requests, clients });
    for (const b of benchmarks) ctx.log(`  ${b.name}: ${b.requestsPerSec} req/s (p50 ${b.p50Ms} ms)`);
    await ctx.admin.del('bench:ceiling:h', 'bench:ceiling:z');
    return { available: true, requests, clients, benchmarks, paths: [] };
  } finally {
    await deleteSockets(ctx, [id]);
  }
}
