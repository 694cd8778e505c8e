/**
 * `npm run bench [-- --quick]`: starts a private Redis, our cluster and the
 * bare Socket.IO baseline on loopback, drives them from separate generator
 * processes, and writes bench/results/<timestamp>.{json,md,svg}.
 */
import { cpus, platform, totalmem } from 'node:os';
import { Ajv } from 'ajv';
import { Redis } from 'ioredis';
import { loadConfig } from '@clientsocket/config';
import { createClusterContext, type ClusterContext } from '@clientsocket/store';
import { AgentClient } from './agent/agent-client.js';
import type { BenchContext } from './bench-context.js';
import { parseOptions, type BenchOptions, type ScenarioName } from './options.js';
import { CpuMeter, type Watched } from './procs/proc-stats.js';
import { RedisServer } from './redis/redis-server.js';
import { redisDelta, redisSnapshot } from './redis/redis-stats.js';
import { RESULT_SCHEMA } from './report/result-schema.js';
import type { BenchResult } from './report/result-types.js';
import { ceilingPaths, findings, headline } from './report/summarize.js';
import { headlineTable } from './report/markdown.js';
import { writeReport } from './report/write-report.js';
import { runBroadcast } from './scenarios/channel-broadcast.js';
import { openFilesLimit, runConnections } from './scenarios/connections.js';
import { runExpiry } from './scenarios/expiry-lateness.js';
import { runInbound } from './scenarios/inbound-round-trip.js';
import { runCost } from './scenarios/operation-cost.js';
import { runPubSub } from './scenarios/pubsub-fanout.js';
import { runCeiling } from './scenarios/redis-ceiling.js';
import { runUnicast } from './scenarios/unicast-push.js';
import { BaselineCluster } from './topology/baseline-cluster.js';
import { BENCH_PAL, OurCluster } from './topology/our-cluster.js';

const log = (line: string): void => void process.stdout.write(`[bench] ${line}\n`);

/** Scenario runners in run order: Redis alone first, the quiet cost windows next, the heavy and cluster-resizing ones last. */
const RUNNERS: Array<[ScenarioName, string, (ctx: BenchContext) => Promise<unknown>]> = [
  ['ceiling', '7. Redis ceiling (redis-benchmark)', runCeiling],
  ['cost', '5. cost per operation', runCost],
  ['unicast', '1. unicast push', runUnicast],
  ['inbound', '3. inbound round trip', runInbound],
  ['broadcast', '2. channel broadcast', runBroadcast],
  ['expiry', '6. expiry lateness', runExpiry],
  ['connections', '4. idle connections', runConnections],
  ['pubsub', '5b. pub/sub per unicast by gateway count', runPubSub],
];

function settings(options: BenchOptions): Record<string, string | number> {
  return {
    gateways: 2,
    workers: 1,
    renewalMinuteMs: options.renewalMinuteMs,
    clientRateLimit: 1_000_000,
    apiRateLimit: 1_000_000,
    transport: 'websocket',
    sizes: JSON.stringify({ unicast: options.unicast, inbound: options.inbound, broadcast: options.broadcast, connections: options.connections, cost: options.cost, expiry: options.expiry, ceiling: options.ceiling }),
  };
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms)))]).finally(() => clearTimeout(timer));
}

async function main(): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  const started = new Date();
  const result: BenchResult = {
    schemaVersion: 1,
    profile: options.profile,
    startedAt: started.toISOString(),
    finishedAt: started.toISOString(),
    durationMs: 0,
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model.trim() ?? 'unknown', memoryMB: Math.round(totalmem() / 1048576), node: process.version, platform: platform(), redisVersion: '', openFilesLimit: openFilesLimit() },
    settings: settings(options),
    scenarios: {},
    headline: [],
    findings: [],
    errors: [],
  };

  let redis: RedisServer | undefined;
  let admin: Redis | undefined;
  let ours: OurCluster | undefined;
  let baseline: BaselineCluster | undefined;
  let sdk: ClusterContext | undefined;
  const agents: AgentClient[] = [];
  const teardown = async (): Promise<void> => {
    await Promise.allSettled(agents.map((a) => a.stop()));
    await sdk?.close().catch(() => undefined);
    await Promise.allSettled([ours?.stop(), baseline?.stop()]);
    admin?.disconnect();
    await redis?.stop();
  };
  const onSignal = (): void => {
    log('interrupted: stopping everything');
    agents.forEach((a) => a.kill());
    void teardown().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    log(`${options.profile} run; results go to ${options.outDir}`);
    redis = await RedisServer.start();
    result.machine.redisVersion = redis.version;
    admin = new Redis(redis.url);
    log(`redis-server ${redis.version} on 127.0.0.1:${redis.port}`);
    [ours, baseline] = await Promise.all([
      OurCluster.start({ redisUrl: redis.url, gateways: 2, workers: 1, renewalMinuteMs: options.renewalMinuteMs }),
      BaselineCluster.start(redis.url),
    ]);
    log(`cluster up: ${ours.gateways.map((g) => `${g.name}:${g.port}`).join(', ')}, api:${ours.api.port}, ${ours.workers.length} worker; baseline ${baseline.gateways.map((g) => g.port).join(', ')} + api:${baseline.api.port}`);
    sdk = await createClusterContext(loadConfig({ ...ours.env(), NODE_NAME: 'bench' }), { nodeId: 'bench-setup', holdsConnections: false });
    const o = ours;
    const b = baseline;
    const r = redis;
    agents.push(...(await Promise.all(['gen-rx-1', 'gen-rx-2', 'gen-tx'].map((name) => AgentClient.start(name)))));
    // Let start-up work (module loading, first connections) finish before anything is measured.
    await new Promise((r) => setTimeout(r, 1000));
    const watched = (): Watched[] => [...o.processes(), ...b.processes(), { name: 'redis', pid: r.pid }, ...agents.map((a) => ({ name: a.name, pid: a.pid })), { name: 'bench', pid: process.pid }];
    const idleMeter = new CpuMeter(watched());
    const idleStart = await redisSnapshot(admin);
    await new Promise((res) => setTimeout(res, 2000));
    const idleCpu = idleMeter.stop().perProcess;
    const idleRedis = redisDelta(idleStart, await redisSnapshot(admin));
    const idleRedisCommandsPerSec = Math.round(idleRedis.calls / idleRedis.seconds);
    result.settings.idleCpuPct = JSON.stringify(idleCpu);
    result.settings.idleRedisCommandsPerSec = idleRedisCommandsPerSec;
    const [rx1, rx2, tx] = agents as [AgentClient, AgentClient, AgentClient];
    const ctx: BenchContext = {
      options,
      redis,
      admin,
      ours,
      baseline,
      sdk,
      manager: sdk.managerFor(BENCH_PAL),
      receivers: [rx1, rx2],
      sender: tx,
      log,
      watched,
      generators: new Set(agents.map((a) => a.name)),
      idleCpu,
      idleRedisCommandsPerSec,
    };

    for (const [name, title, run] of RUNNERS) {
      if (!options.only.has(name)) continue;
      log(title);
      const t0 = performance.now();
      try {
        (result.scenarios as Record<string, unknown>)[name] = await withTimeout(run(ctx), options.profile === 'quick' ? 90_000 : 300_000, name);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        result.errors.push({ scenario: name, message });
        log(`  FAILED: ${message}`);
      }
      log(`  (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
      const dead = ours.dead();
      if (dead) {
        result.errors.push({ scenario: name, message: `${dead.name} died (exit ${dead.exitCode}):\n${dead.tail()}` });
        log(`${dead.name} died; stopping the run`);
        break;
      }
    }
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    result.errors.push({ scenario: 'setup', message });
    log(`setup failed: ${message}`);
  } finally {
    await teardown();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }

  if (result.scenarios.ceiling) result.scenarios.ceiling.paths = ceilingPaths(result);
  result.headline = headline(result);
  result.findings = findings(result);
  const finished = new Date();
  result.finishedAt = finished.toISOString();
  result.durationMs = finished.getTime() - started.getTime();

  const validate = new Ajv({ allErrors: true }).compile(RESULT_SCHEMA);
  if (!validate(JSON.parse(JSON.stringify(result)))) {
    result.errors.push({ scenario: 'setup', message: `result does not match its schema: ${JSON.stringify(validate.errors?.slice(0, 5))}` });
  }
  const files = writeReport(result, options.outDir);
  process.stdout.write(`\n${headlineTable(result)}\n\n${result.findings.map((f) => `- ${f}`).join('\n')}\n\n`);
  log(`wrote ${files.json}\n        ${files.markdown}\n        ${files.svg}`);
  log(`done in ${(result.durationMs / 1000).toFixed(1)} s${result.errors.length ? ` with ${result.errors.length} error(s)` : ''}`);
  return result.errors.length ? 1 : 0;
}

const code = await main();
process.exitCode = code;
// Everything is closed by now; should a stray handle remain, it must not hold the run open.
setTimeout(() => process.exit(code), 2000).unref();
