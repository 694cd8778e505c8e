// `npm start`: the whole cluster on one machine (SPEC §6). Finds or starts
// Redis, runs GATEWAYS gateways, one api and WORKERS workers, prints where
// they are, keeps them alive, and stops them all on Ctrl-C.
import { mkdirSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfigOrExit, processEnv } from '@clientsocket/config';
import { formatBanner } from './banner.js';
import { planCluster } from './cluster-plan.js';
import { findRedis, NO_REDIS_HELP, redisUrlReachable, type RedisChoice } from './find-redis.js';
import { LocalCluster } from './local-cluster.js';
import { planPorts, type PortPlan } from './port-plan.js';
import { pickPort } from './ports.js';
import { Terminal } from './terminal.js';

const USAGE = `Usage: npm start [-- --dir <folder>]

Starts a local ClientSocket cluster. Configured by environment variables
(GATEWAYS, WORKERS, API_PORT, GATEWAY_PORT, METRICS_PORT, REDIS_URL, API_KEYS, ...).

  --dir <folder>  working folder for logs (default: .local-cluster in the repository)
`;

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** `path` relative to the working directory when it lies inside it, else absolute. */
function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

let args: { dir?: string | undefined; help?: boolean | undefined };
try {
  ({ values: args } = parseArgs({ options: { dir: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n\n${USAGE}`);
  process.exit(1);
}
if (args.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

const env = processEnv();
const config = loadConfigOrExit(env);
const terminal = new Terminal();
const dataDir = resolve(args.dir ?? join(ROOT, '.local-cluster'));
const logsDir = join(dataDir, 'logs');
mkdirSync(logsDir, { recursive: true });

const bindHost = env['HOST'] ? config.HOST : '127.0.0.1';
let ports: PortPlan;
try {
  ports = await planPorts(config, bindHost);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
}

const redis: RedisChoice | null = await findRedis(env, () => pickPort('127.0.0.1', new Set([ports.api, ...ports.gateways, ...ports.workers])));
if (!redis) {
  process.stderr.write(`${NO_REDIS_HELP}\n`);
  process.exit(1);
}
const redisNote =
  redis.kind === 'given'
    ? { url: redis.value, source: `${redis.variable}, used as is` }
    : { url: redis.url, source: redis.kind === 'local' ? 'answered on 127.0.0.1:6379' : 'redis-server started by this launcher, stopped with it' };
const warnIfRedisAway = async (): Promise<void> => {
  if (redis.kind === 'given' && redis.variable === 'REDIS_URL' && !(await redisUrlReachable(redis.value))) {
    terminal.warn(`nothing accepts connections at REDIS_URL=${redis.value}; the apps start anyway and report not-ready (/readyz 503) until it does`);
  }
};
await warnIfRedisAway();

const plan = planCluster({ config, env, root: ROOT, dataDir, ports, redis });
const cluster = new LocalCluster(plan, { logsDir, appGraceMs: config.SHUTDOWN_GRACE_MS + 3000, onEvent: (e) => terminal.report(e) });

let stoppingSince = 0;
const stop = (signal: NodeJS.Signals): void => {
  if (stoppingSince) {
    // npm may forward the terminal's Ctrl-C that this process got as well: one
    // key press can arrive twice at once, and should not count as the second.
    if (Date.now() - stoppingSince < 1000) return;
    terminal.warn(`${signal} again: killing everything now`);
    cluster.kill();
    process.exit(1);
  }
  stoppingSince = Date.now();
  terminal.info(`${signal}: stopping every process (a second Ctrl-C kills them at once)`);
  void cluster.stop().then(() => {
    terminal.info('all processes stopped');
    process.exit(0);
  });
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => stop(signal));
// Whatever ends the launcher, no child outlives it.
process.on('exit', () => cluster.kill());
// Stopped from outside the terminal (npm killed by a process manager or an IDE): the launcher is
// re-parented, so it stops the cluster as on Ctrl-C rather than running on orphaned.
const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid !== parentPid) stop('SIGHUP');
}, 1000).unref();

terminal.info(`starting ${plan.apps.length} processes${plan.redisServer ? ' and redis-server' : ''}; logs in ${displayPath(logsDir)}`);
if (await cluster.start()) {
  terminal.block(formatBanner(plan, redisNote, displayPath(logsDir)));
  await warnIfRedisAway();
}
