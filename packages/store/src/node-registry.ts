import type { ScriptedClient } from './scripts.js';
import type { Keys } from './keys.js';

export interface NodeRegistryOptions {
  /** This node's id when it holds connections (gateways); omit to only watch. */
  nodeId?: string;
  /** Heartbeat / poll period. @default 1000 */
  intervalMs?: number;
  /** A node missing heartbeats this long is dead. @default 4000 */
  leaseMs?: number;
  onError?: (err: unknown) => void;
}

/**
 * Gateway liveness, for connection counts that stay right when a gateway is
 * killed outright: each gateway renews a short lease; every process polls the
 * set of live leases once a period, and connection counts held by a node
 * whose lease lapsed stop counting. A SIGKILLed gateway drops out within
 * `leaseMs + intervalMs`.
 */
export class NodeRegistry {
  private live = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private readonly intervalMs: number;
  private readonly leaseMs: number;

  constructor(
    private readonly redis: ScriptedClient,
    private readonly keys: Keys,
    private readonly options: NodeRegistryOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 1000;
    this.leaseMs = options.leaseMs ?? 4000;
  }

  /** Beats once (awaited, errors swallowed), then keeps beating. */
  async start(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => void this.beat(), this.intervalMs);
    this.timer.unref();
  }

  /** Stops beating and, for a gateway, gives up its lease at once. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    if (this.options.nodeId) await this.redis.zrem(this.keys.nodes(), this.options.nodeId).catch(() => undefined);
  }

  /** Live gateway ids as of the last beat. */
  liveNodes(): ReadonlySet<string> {
    return this.live;
  }

  /** Sum of the counts of live nodes in a connections hash (flat field/value list). */
  countLive(flat: string[]): number {
    let n = 0;
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const node = flat[i] as string;
      if (this.live.has(node) || node === this.options.nodeId) n += Number(flat[i + 1]) || 0;
    }
    return n;
  }

  private async beat(): Promise<void> {
    try {
      const reply = (await this.redis.heartbeatNode(this.keys.nodes(), this.options.nodeId ?? '', this.leaseMs)) as Array<string | number>;
      this.live = new Set(reply.slice(1).map(String));
      if (this.options.nodeId) this.live.add(this.options.nodeId);
    } catch (err) {
      this.options.onError?.(err);
    }
  }
}
