import { Redis, Cluster, type RedisOptions, type ClusterOptions } from 'ioredis';
import type { Config } from '@clientsocket/config';
import { ClientSocketError } from '@clientsocket/core';

/** A standalone or cluster client: everything here works with either. */
export type RedisClient = Redis | Cluster;

/**
 * What a client is for; each role gets the options its user needs.
 * - `command`: request/response paths (api, gateway hot path). Fails fast: no
 *   offline queue, a command timeout, so a missing Redis is `unavailable`, never a hang.
 * - `subscriber`: pub/sub receiving (Socket.IO adapter); retries forever.
 * - `publisher`: pub/sub sending (adapter, emitter); queues while reconnecting.
 * - `blocking`: BullMQ workers (blocking commands; BullMQ requires `maxRetriesPerRequest: null`).
 * - `producer`: BullMQ queues that add jobs; fail fast like `command`.
 */
export type RedisRole = 'command' | 'subscriber' | 'publisher' | 'blocking' | 'producer';

function roleOptions(role: RedisRole, config: Config): RedisOptions {
  const timeout = config.REDIS_COMMAND_TIMEOUT_MS;
  const retryStrategy = (times: number): number => Math.min(100 * 2 ** Math.min(times, 5), 2000);
  switch (role) {
    case 'command':
    case 'producer':
      return { enableOfflineQueue: false, commandTimeout: timeout, maxRetriesPerRequest: 1, retryStrategy, connectTimeout: timeout };
    case 'subscriber':
    case 'blocking':
      return { maxRetriesPerRequest: null, retryStrategy, connectTimeout: timeout };
    case 'publisher':
      return { maxRetriesPerRequest: null, retryStrategy, connectTimeout: timeout };
  }
}

/**
 * The one place Redis clients are made. Whoever calls this owns the client and closes it.
 *
 * @example
 * const redis = createRedisClient(config, 'command', 'gateway');
 */
export function createRedisClient(config: Config, role: RedisRole, name: string = role): RedisClient {
  const options = { ...roleOptions(role, config), connectionName: `${config.NODE_NAME}:${name}` };
  if (config.REDIS_CLUSTER_NODES) {
    const nodes = config.REDIS_CLUSTER_NODES.split(',').map((hp) => {
      const i = hp.lastIndexOf(':');
      return { host: hp.slice(0, i), port: Number(hp.slice(i + 1)) };
    });
    const clusterOptions: ClusterOptions = {
      redisOptions: options,
      enableOfflineQueue: options.enableOfflineQueue ?? true,
      enableAutoPipelining: role === 'command',
      clusterRetryStrategy: options.retryStrategy ?? null,
    };
    return new Cluster(nodes, clusterOptions);
  }
  return new Redis(config.REDIS_URL, { ...options, enableAutoPipelining: role === 'command' });
}

/** Resolves once `client` is ready, or after `timeoutMs` (the process starts anyway and reports not-ready). */
export function waitForReady(client: RedisClient, timeoutMs = 5000): Promise<boolean> {
  if (client.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      client.off('ready', onReady);
      resolve(ok);
    };
    const onReady = (): void => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    client.on('ready', onReady);
  });
}

/** Closes a client, waiting for pending replies when connected. */
export async function closeRedis(client: RedisClient): Promise<void> {
  try {
    if (client.status === 'ready') await client.quit();
    else client.disconnect();
  } catch {
    client.disconnect();
  }
}

/**
 * Runs a Redis call; any failure of Redis itself (down, timeout, refused)
 * becomes `unavailable`, so no caller ever sees a raw driver error.
 */
export async function redisCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ClientSocketError) throw err;
    throw new ClientSocketError('unavailable', 'Storage is unavailable; retry shortly', { cause: err });
  }
}
