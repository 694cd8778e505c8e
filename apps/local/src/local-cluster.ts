import { join } from 'node:path';
import type { ClusterPlan } from './cluster-plan.js';
import { SupervisedProcess, type SupervisorEvent } from './supervised-process.js';

export interface LocalClusterOptions {
  /** Folder of the per-process log files. */
  logsDir: string;
  /** How long an app may drain after SIGTERM before SIGKILL. */
  appGraceMs: number;
  onEvent(event: SupervisorEvent): void;
}

/**
 * The processes of one local cluster, started and stopped in dependency
 * order: a redis-server of its own first (the apps connect to it), the apps
 * after; on stop the apps first (they drain into Redis), Redis last.
 */
export class LocalCluster {
  readonly redis: SupervisedProcess | null;
  readonly apps: SupervisedProcess[];
  private stopped: Promise<void> | undefined;

  constructor(
    plan: ClusterPlan,
    private readonly options: LocalClusterOptions,
  ) {
    const supervise = (spec: ClusterPlan['apps'][number]): SupervisedProcess =>
      new SupervisedProcess(spec, { logFile: join(options.logsDir, `${spec.name}.log`), onEvent: options.onEvent });
    this.redis = plan.redisServer ? supervise(plan.redisServer) : null;
    this.apps = plan.apps.map(supervise);
  }

  /** Starts everything; resolves true once every process has reported ready, false if stopped first. */
  async start(): Promise<boolean> {
    if (this.redis) {
      this.redis.start();
      if (!(await this.redis.firstReady)) return false;
    }
    if (this.stopped) return false;
    for (const app of this.apps) app.start();
    const ready = await Promise.all(this.apps.map((a) => a.firstReady));
    return ready.every(Boolean);
  }

  /** Pids of the processes alive now, by name. */
  pids(): Record<string, number | undefined> {
    return Object.fromEntries([...(this.redis ? [this.redis] : []), ...this.apps].map((p) => [p.spec.name, p.pid]));
  }

  /** Stops everything once (later calls share the first): apps, then Redis. */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      await Promise.all(this.apps.map((a) => a.stop(this.options.appGraceMs)));
      await this.redis?.stop(5000);
    })();
    return this.stopped;
  }

  /** SIGKILL to everything still alive, synchronously (the launcher is exiting). */
  kill(): void {
    for (const p of [...this.apps, ...(this.redis ? [this.redis] : [])]) p.kill();
  }
}
