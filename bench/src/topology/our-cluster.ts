import { randomBytes } from 'node:crypto';
import { freePort } from '../procs/free-port.js';
import type { Watched } from '../procs/proc-stats.js';
import { ServerProcess } from '../procs/server-process.js';

export interface OurClusterOptions {
  redisUrl: string;
  gateways: number;
  workers: number;
  renewalMinuteMs: number;
}

/** The pal every bench socket belongs to. */
export const BENCH_PAL = 'bench';

/**
 * Our cluster as the bench runs it: gateway, api and worker processes started
 * exactly as an operator would (`node --import tsx apps/<app>/src/main.ts`,
 * configured by env only), on loopback, against the bench's own Redis.
 * Rate limits are lifted so the bench measures throughput, not the limiter's
 * refusals (the limiter's Redis work still runs on every request).
 */
export class OurCluster {
  readonly gateways: ServerProcess[] = [];
  api!: ServerProcess;
  readonly workers: ServerProcess[] = [];
  readonly apiKey = randomBytes(18).toString('base64url');
  private readonly shared: Record<string, string>;
  private gatewayCount = 0;

  private constructor(private readonly options: OurClusterOptions, firstGatewayPort: number) {
    this.shared = {
      REDIS_URL: options.redisUrl,
      KEY_PREFIX: 'csc:',
      HOST: '127.0.0.1',
      PUBLIC_GATEWAY_URL: `http://127.0.0.1:${firstGatewayPort}`,
      API_KEYS: `${BENCH_PAL}:${this.apiKey}`,
      RENEWAL_MINUTE_MS: String(options.renewalMinuteMs),
      CLIENT_RATE_LIMIT: '1000000',
      API_RATE_LIMIT: '1000000',
      METRICS_PORT: '0',
      LOG_LEVEL: 'info',
      SHUTDOWN_GRACE_MS: '2000',
    };
  }

  /** Configuration every process of this cluster shares (also what the SDK sender is given). */
  env(): Record<string, string> {
    return { ...this.shared, NODE_NAME: 'bench-sdk' };
  }

  static async start(options: OurClusterOptions): Promise<OurCluster> {
    const ports = [await freePort()];
    const cluster = new OurCluster(options, ports[0] as number);
    try {
      const apiPort = await freePort();
      await Promise.all([
        ...Array.from({ length: options.gateways }, (_, i) => cluster.addGateway(i === 0 ? ports[0] : undefined)),
        ServerProcess.start({ name: 'api', script: 'apps/api/src/main.ts', env: { ...cluster.shared, NODE_NAME: 'api', API_PORT: String(apiPort) } }).then((p) => (cluster.api = p)),
        ...Array.from({ length: options.workers }, (_, i) =>
          ServerProcess.start({ name: `worker-${i + 1}`, script: 'apps/worker/src/main.ts', env: { ...cluster.shared, NODE_NAME: `worker-${i + 1}` } }).then((p) => cluster.workers.push(p)),
        ),
      ]);
      cluster.gateways.sort((a, b) => a.name.localeCompare(b.name));
    } catch (err) {
      await cluster.stop();
      throw err;
    }
    return cluster;
  }

  /** Starts one more gateway node; the Redis adapter joins it to the others. */
  async addGateway(port?: number): Promise<ServerProcess> {
    const n = ++this.gatewayCount;
    const p = await ServerProcess.start({
      name: `gw-${n}`,
      script: 'apps/gateway/src/main.ts',
      env: { ...this.shared, NODE_NAME: `gw-${n}`, GATEWAY_PORT: String(port ?? (await freePort())) },
    });
    this.gateways.push(p);
    return p;
  }

  async removeGateway(p: ServerProcess): Promise<void> {
    await p.stop();
    this.gateways.splice(this.gateways.indexOf(p), 1);
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.api.port}`;
  }

  /** Socket.IO endpoint of socket `id` on gateway `i` (clients are spread over gateways by choosing one). */
  endpoint(i: number, id: string): string {
    const gw = this.gateways[i % this.gateways.length] as ServerProcess;
    return `http://127.0.0.1:${gw.port}/?socketId=${encodeURIComponent(id)}`;
  }

  processes(): Watched[] {
    return [...this.gateways, ...(this.api ? [this.api] : []), ...this.workers].map((p) => ({ name: p.name, pid: p.pid }));
  }

  /** A process that died while the bench ran, if any. */
  dead(): ServerProcess | undefined {
    return [...this.gateways, this.api, ...this.workers].find((p) => p && !p.running);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.gateways, ...(this.api ? [this.api] : []), ...this.workers].map((p) => p.stop()));
  }
}
