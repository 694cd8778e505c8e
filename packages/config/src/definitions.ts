import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { z } from 'zod';
import { parseCidrList, LIMITS } from '@clientsocket/core';

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().min(1);
const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

const apiKeys = z.string().transform((text, ctx) => {
  const keys: Array<{ pal: string; key: string }> = [];
  for (const entry of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const sep = entry.indexOf(':');
    const pal = entry.slice(0, sep);
    const key = entry.slice(sep + 1);
    if (sep <= 0 || !LIMITS.palPattern.test(pal) || key.length < 8) {
      ctx.addIssue({ code: 'custom', message: 'expected pal:key pairs (pal of [A-Za-z0-9._-], key of 8+ characters), comma separated' });
      return z.NEVER;
    }
    if (keys.some((k) => k.key === key)) {
      ctx.addIssue({ code: 'custom', message: `the same key is given twice (for ${keys.find((k) => k.key === key)?.pal} and ${pal}); each key belongs to one pal` });
      return z.NEVER;
    }
    keys.push({ pal, key });
  }
  return keys;
});

const cidrs = z.string().transform((text, ctx) => {
  try {
    return parseCidrList(text);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'expected a comma-separated list of CIDRs or addresses' });
    return z.NEVER;
  }
});

// An origin only: socket.io-client would read a path in the endpoint as a namespace, so `io(endpoint)` would not connect as is.
const url = z.string().refine((v) => {
  try {
    const u = new URL(v);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.pathname === '/' && !u.search && !u.hash;
  } catch {
    return false;
  }
}, 'expected an http:// or https:// origin without a path (e.g. https://gateway.example.com)');

const redisUrl = z.string().refine((v) => /^rediss?:\/\//.test(v), 'expected a redis:// or rediss:// URL');

/** One configuration variable: its schema, default and documentation line. */
export interface VarDef<S extends z.ZodType = z.ZodType> {
  schema: S;
  /** Default as the environment would spell it; undefined = optional, no default. */
  default?: string | (() => string);
  doc: string;
}

function v<S extends z.ZodType>(schema: S, doc: string): { schema: S; doc: string };
function v<S extends z.ZodType>(schema: S, doc: string, dflt: string | (() => string)): { schema: S; doc: string; default: string | (() => string) };
function v<S extends z.ZodType>(schema: S, doc: string, dflt?: string | (() => string)): VarDef<S> {
  return dflt === undefined ? { schema, doc } : { schema, doc, default: dflt };
}

/**
 * Every environment variable the product reads, with its default and doc line.
 * The README's configuration table is checked against this list by a test.
 */
export const VARS = {
  REDIS_URL: v(redisUrl, 'Redis to use (standalone). Ignored when REDIS_CLUSTER_NODES is set.', 'redis://127.0.0.1:6379'),
  REDIS_CLUSTER_NODES: v(z.string().regex(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, 'expected host:port,host:port'), 'Seed nodes of a Redis Cluster (host:port,...); switches every client to cluster mode.'),
  REDIS_COMMAND_TIMEOUT_MS: v(positiveInt.max(60000), 'A Redis command not answered within this time fails as `unavailable` (never a hang).', '1500'),
  KEY_PREFIX: v(z.string().regex(/^[A-Za-z0-9:_.-]{0,64}$/, 'expected up to 64 of [A-Za-z0-9:_.-]'), 'Prefix of every Redis key and channel; lets several clusters (or tests) share one Redis.', 'csc:'),
  NODE_NAME: v(z.string().min(1).max(100), 'Name of this process in logs, metrics and the `worker` field.', () => hostname()),
  HOST: v(
    z.string().refine((h) => isIP(h) !== 0 || (!/^[\d.]+$/.test(h) && /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(h)), 'expected an IP address or a host name'),
    'Interface the HTTP servers bind to.',
    '0.0.0.0',
  ),
  API_PORT: v(port, 'Port of the api node.', '3000'),
  GATEWAY_PORT: v(port, 'Port of a gateway node (the local cluster uses GATEWAY_PORT+0..GATEWAYS-1).', '3100'),
  METRICS_PORT: v(port, 'Port of the worker\'s /metrics and /healthz server (0: a free port).', '9400'),
  PUBLIC_GATEWAY_URL: v(url, 'Public origin of the gateways (behind the load balancer); endpoints are built from it.', 'http://127.0.0.1:3100'),
  API_KEYS: v(apiKeys, 'API keys as pal:key,pal2:key2 (held only as SHA-256 hashes). More keys can be added in Redis.', ''),
  TRUSTED_PROXIES: v(cidrs, 'CIDRs of proxies whose X-Forwarded-For is believed; empty: never.', ''),
  RENEWAL_MINUTE_MS: v(positiveInt.max(3_600_000), 'Length of one renewal minute in ms (tests and demos shorten it).', '60000'),
  MAX_MESSAGE_BYTES: v(positiveInt.max(16 * 1024 * 1024), 'Largest message, in bytes of its JSON serialisation.', '65536'),
  CLIENT_RATE_LIMIT: v(positiveInt, 'Requests (pings + messages) one browser connection may make per second.', '50'),
  API_RATE_LIMIT: v(positiveInt, 'HTTP API requests one pal may make per second, across all api nodes.', '2000'),
  WORKFLOWS_DIR: v(z.string().min(1), 'Folder of receiver workflow modules (default: the shipped examples).'),
  WORKER_CONCURRENCY: v(positiveInt.max(1000), 'Jobs one worker process runs at once per workflow.', '32'),
  JOB_ATTEMPTS: v(positiveInt.max(100), 'Runs of a throwing workflow before its job is kept as failed.', '5'),
  JOB_BACKOFF_MS: v(positiveInt, 'First retry delay; doubles per attempt.', '1000'),
  JOB_LOCK_MS: v(positiveInt.min(1000), 'Lock of a running job; a dead worker\'s job is run again after about this long.', '30000'),
  JOB_KEEP_COMPLETED: v(z.coerce.number().int().min(0), 'Completed jobs kept per workflow queue (also at most 1 hour).', '1000'),
  JOB_KEEP_FAILED: v(z.coerce.number().int().min(0), 'Failed jobs kept per workflow queue (also at most 7 days).', '10000'),
  SHUTDOWN_GRACE_MS: v(positiveInt, 'How long SIGTERM waits for connections and jobs to drain.', '10000'),
  DEMO_ENABLED: v(bool, 'Serve the demo chat page from the api node (/demo).', 'false'),
  DEMO_GATEWAY_URLS: v(
    z.string().transform((text, ctx) => {
      const urls = text.split(',').map((s) => s.trim()).filter(Boolean);
      for (const u of urls) if (!url.safeParse(u).success) ctx.addIssue({ code: 'custom', message: `not an http(s) origin: ${u}` });
      return urls;
    }),
    'Demo page: gateway origins to spread tabs over when no load balancer does (the local cluster sets it).',
    '',
  ),
  LOG_LEVEL: v(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), 'pino log level.', 'info'),
  GATEWAYS: v(positiveInt.max(64), 'npm start: gateway nodes to run.', '2'),
  WORKERS: v(positiveInt.max(64), 'npm start: worker processes to run.', '1'),
} as const;

export type VarName = keyof typeof VARS;
