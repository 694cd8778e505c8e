import type { Redis } from 'ioredis';
import type { ClusterClientSocketManager, ClusterContext } from '@clientsocket/store';
import type { AgentClient } from './agent/agent-client.js';
import type { BenchOptions } from './options.js';
import type { Watched } from './procs/proc-stats.js';
import type { RedisServer } from './redis/redis-server.js';
import type { BaselineCluster } from './topology/baseline-cluster.js';
import type { OurCluster } from './topology/our-cluster.js';

/** Everything a scenario runs against; built once per bench run. */
export interface BenchContext {
  options: BenchOptions;
  redis: RedisServer;
  /** The bench's own Redis connection (INFO, MONITOR, noise keys). */
  admin: Redis;
  ours: OurCluster;
  baseline: BaselineCluster;
  /** In-cluster SDK in the bench process: creates and deletes sockets for the scenarios. */
  sdk: ClusterContext;
  manager: ClusterClientSocketManager;
  /** Browser-side load generators (socket.io-client connections). */
  receivers: AgentClient[];
  /** Server-side load generator (api over HTTP, SDK, emitter). */
  sender: AgentClient;
  log(line: string): void;
  /** Every process whose CPU a step reports: servers, Redis, generators, the bench itself. */
  watched(): Watched[];
  /** CPU (% of a core) of each process with the cluster idle: heartbeats, reapers, queue polling. */
  idleCpu: Readonly<Record<string, number>>;
  /** Redis commands per second with the cluster idle (same background). */
  idleRedisCommandsPerSec: number;
  /** Names of generator processes in `watched()`. */
  generators: ReadonlySet<string>;
}
