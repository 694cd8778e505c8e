import type { Config } from '@clientsocket/config';
import { ClusterClientSocketManager } from './cluster-manager.js';
import { Keys } from './keys.js';
import { NodeRegistry } from './node-registry.js';
import { EmitterPusher, type Pusher } from './pusher.js';
import { closeRedis, createRedisClient, waitForReady, type RedisClient } from './redis-client.js';
import { withScripts, type ScriptedClient } from './scripts.js';
import { RedisSocketStore, type SocketStore } from './socket-store.js';

export interface ClusterContextOptions {
  nodeId: string;
  /** Gateways hold connections and so keep a liveness lease; others only watch. */
  holdsConnections: boolean;
  onError?: (err: unknown) => void;
}

/** The shared parts every process is built from, wired once. */
export interface ClusterContext {
  config: Config;
  keys: Keys;
  nodeId: string;
  redis: ScriptedClient;
  publisher: RedisClient;
  nodes: NodeRegistry;
  store: SocketStore;
  pusher: Pusher;
  /** The in-cluster manager of one pal. */
  managerFor(pal: string): ClusterClientSocketManager;
  /** True while Redis answers. */
  ready(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Connects to Redis and builds the store, pusher and node registry.
 * Starts even when Redis is away (then every call answers `unavailable` until it is back).
 */
export async function createClusterContext(config: Config, options: ClusterContextOptions): Promise<ClusterContext> {
  const keys = new Keys(config.KEY_PREFIX);
  const redis = withScripts(createRedisClient(config, 'command', 'command'));
  const publisher = createRedisClient(config, 'publisher', 'publisher');
  for (const c of [redis, publisher]) c.on('error', (err: unknown) => options.onError?.(err));
  await waitForReady(redis);
  const nodes = new NodeRegistry(redis, keys, { ...(options.holdsConnections ? { nodeId: options.nodeId } : {}), ...(options.onError ? { onError: options.onError } : {}) });
  await nodes.start();
  const store = new RedisSocketStore(redis, keys, nodes, config.RENEWAL_MINUTE_MS);
  const pusher = new EmitterPusher(publisher, keys);
  const deps = { store, pusher, publicGatewayUrl: config.PUBLIC_GATEWAY_URL, maxMessageBytes: config.MAX_MESSAGE_BYTES, nodeId: options.nodeId };
  return {
    config,
    keys,
    nodeId: options.nodeId,
    redis,
    publisher,
    nodes,
    store,
    pusher,
    managerFor: (pal) => new ClusterClientSocketManager(deps, pal),
    async ready() {
      // Readiness probes must answer quickly, whatever Redis does.
      const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), Math.min(1000, config.REDIS_COMMAND_TIMEOUT_MS)).unref());
      return Promise.race([redis.ping().then((r) => r === 'PONG', () => false), timeout]);
    },
    async close() {
      await nodes.stop();
      await Promise.all([closeRedis(redis), closeRedis(publisher)]);
    },
  };
}
