import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';
import { freePort } from '../procs/free-port.js';
import type { Watched } from '../procs/proc-stats.js';
import { REPO_ROOT, ServerProcess } from '../procs/server-process.js';

const script = (name: string): string => relative(REPO_ROOT, fileURLToPath(new URL(`../baseline/${name}`, import.meta.url)));

/** Channel prefix of the baseline's adapter and emitter (apart from ours on the same Redis). */
export const BASELINE_SIO_KEY = 'baseline:sio';

/** The bare Socket.IO + Redis adapter/emitter baseline: 2 gateway nodes and a push endpoint. */
export class BaselineCluster {
  private constructor(
    readonly gateways: ServerProcess[],
    readonly api: ServerProcess,
    readonly redisUrl: string,
  ) {}

  static async start(redisUrl: string, gateways = 2): Promise<BaselineCluster> {
    const env = async (): Promise<Record<string, string>> => ({ REDIS_URL: redisUrl, SIO_KEY: BASELINE_SIO_KEY, PORT: String(await freePort()) });
    const started = await Promise.allSettled([
      ServerProcess.start({ name: 'baseline-api', script: script('baseline-api.ts'), env: await env() }),
      ...Array.from({ length: gateways }, async (_, i) => ServerProcess.start({ name: `baseline-gw-${i + 1}`, script: script('baseline-gateway.ts'), env: await env() })),
    ]);
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) {
      await Promise.all(started.map((s) => (s.status === 'fulfilled' ? s.value.stop() : undefined)));
      throw (failed as PromiseRejectedResult).reason;
    }
    const [api, ...gws] = started.map((s) => (s as PromiseFulfilledResult<ServerProcess>).value) as [ServerProcess, ...ServerProcess[]];
    return new BaselineCluster(gws, api, redisUrl);
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.api.port}`;
  }

  /** URL a client opens to be in room `s:<key>` (and channel room when given) on gateway `i`. */
  endpoint(i: number, key: string, channel?: string): string {
    const gw = this.gateways[i % this.gateways.length] as ServerProcess;
    return `http://127.0.0.1:${gw.port}/?room=${encodeURIComponent(key)}${channel ? `&channel=${encodeURIComponent(channel)}` : ''}`;
  }

  processes(): Watched[] {
    return [...this.gateways, this.api].map((p) => ({ name: p.name, pid: p.pid }));
  }

  async stop(): Promise<void> {
    await Promise.all([...this.gateways, this.api].map((p) => p.stop()));
  }
}
