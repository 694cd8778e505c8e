import { randomBytes } from 'node:crypto';
import type { Config } from '@clientsocket/config';
import type { RedisChoice } from './find-redis.js';
import { redisServerArgs } from './find-redis.js';
import { appEcho, isListeningLine, isRedisReadyLine, redisEcho } from './output-lines.js';
import type { PortPlan } from './port-plan.js';
import type { ProcessSpec } from './supervised-process.js';

/** Pal that owns the generated key; the demo page's sockets belong to it too. */
export const DEMO_PAL = 'demo';

export interface ClusterPlanInput {
  config: Config;
  /** The launcher's raw environment: passed on to every child, and read to tell "set" from "defaulted". */
  env: NodeJS.ProcessEnv;
  /** Repository root; apps are run from here. */
  root: string;
  /** Working folder of the launcher (a started redis-server runs in it). */
  dataDir: string;
  ports: PortPlan;
  redis: RedisChoice;
}

/** Everything the launcher runs and prints. */
export interface ClusterPlan {
  /** The redis-server to start first, when the launcher runs its own. */
  redisServer: ProcessSpec | null;
  /** Gateways, then the api, then the workers. */
  apps: ProcessSpec[];
  /** Interface the apps bind to. */
  host: string;
  urls: { api: string; gateways: string[]; workerMetrics: string[]; publicGateway: string };
  /** The generated key (pal `demo`), or null when API_KEYS was given. */
  demoKey: { pal: string; key: string } | null;
  /** Pals of API_KEYS when it was given. */
  givenPals: string[];
}

/** `host` as it goes in a URL: loopback for a wildcard bind, IPv6 in brackets. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '[::]') return '127.0.0.1';
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/**
 * Decides every child's environment: Redis, ports, API key, public gateway
 * URL and demo page. Values the user set win, except per-process ports.
 *
 * A local cluster binds to loopback unless HOST is set: the generated key
 * should not open the API to the whole network by default.
 */
export function planCluster(input: ClusterPlanInput): ClusterPlan {
  const { config, env, root, ports, redis } = input;
  const host = env['HOST'] ? config.HOST : '127.0.0.1';
  const origin = (port: number): string => `http://${urlHost(host)}:${port}`;
  const gatewayUrls = ports.gateways.map(origin);
  const publicGateway = env['PUBLIC_GATEWAY_URL'] ? config.PUBLIC_GATEWAY_URL : gatewayUrls[0]!;
  const demoKey = env['API_KEYS'] ? null : { pal: DEMO_PAL, key: randomBytes(18).toString('base64url') };

  const shared: NodeJS.ProcessEnv = {
    ...env,
    HOST: host,
    PUBLIC_GATEWAY_URL: publicGateway,
    ...(demoKey ? { API_KEYS: `${demoKey.pal}:${demoKey.key}` } : {}),
    ...(redis.kind === 'given' ? {} : { REDIS_URL: redis.url }),
  };
  const app = (name: string, main: 'gateway' | 'api' | 'worker', extra: NodeJS.ProcessEnv): ProcessSpec => ({
    name,
    command: process.execPath,
    args: ['--import', 'tsx', `apps/${main}/src/main.ts`],
    cwd: root,
    env: { ...shared, ...extra },
    isReady: isListeningLine,
    echo: appEcho,
  });
  const apps = [
    ...ports.gateways.map((port, i) => app(`gateway-${i + 1}`, 'gateway', { GATEWAY_PORT: String(port) })),
    app('api', 'api', {
      API_PORT: String(ports.api),
      DEMO_ENABLED: env['DEMO_ENABLED'] || 'true',
      // No load balancer spreads the demo's tabs here, so the page does it over the gateways
      // (unless a public URL, e.g. a balancer's, was given: then that is the way in).
      DEMO_GATEWAY_URLS: env['DEMO_GATEWAY_URLS'] || (env['PUBLIC_GATEWAY_URL'] ? '' : gatewayUrls.join(',')),
    }),
    ...ports.workers.map((port, i) => app(`worker-${i + 1}`, 'worker', { METRICS_PORT: String(port) })),
  ];
  const redisServer: ProcessSpec | null =
    redis.kind === 'start'
      ? {
          name: 'redis',
          command: 'redis-server',
          args: redisServerArgs(redis.port, input.dataDir),
          cwd: input.dataDir,
          env,
          isReady: isRedisReadyLine,
          echo: (line) => redisEcho(line),
        }
      : null;
  return {
    redisServer,
    apps,
    host,
    urls: { api: origin(ports.api), gateways: gatewayUrls, workerMetrics: ports.workers.map((p) => `${origin(p)}/metrics`), publicGateway },
    demoKey,
    givenPals: demoKey ? [] : config.API_KEYS.map((k) => k.pal),
  };
}
