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
 * lease set once a period, and connection counts held by a node whose lease
 * lapsed stop counting. A SIGKILLed gateway drops out within
 * `leaseMs + intervalMs`. A node not seen yet (it started after the last
 * poll) triggers an immediate re-poll rather than being miscounted.
 */
export class NodeRegistry {
  private live = new Set<string>();
  private dead: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inflight: Promise<void> | undefined;
  private lastBeat = 0;
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

  /** Nodes whose lease lapsed (their stale counts may be pruned). */
  deadNodes(): readonly string[] {
    return this.dead;
  }

  /** Sum of the counts of live nodes in a connections hash (flat field/value list). */
  async countLive(flat: string[]): Promise<number> {
    let unknown = false;
    for (let i = 0; i < flat.length; i += 2) if (!this.live.has(flat[i] as string) && !this.dead.includes(flat[i] as string)) unknown = true;
    if (unknown && Date.now() - this.lastBeat > 100) await this.beat();
    let n = 0;
    for (let i = 0; i + 1 < flat.length; i += 2) if (this.live.has(flat[i] as string)) n += Number(flat[i + 1]) || 0;
    return n;
  }

  /** One heartbeat / poll; concurrent callers share it. */
  beat(): Promise<void> {
    this.inflight ??= (async () => {
      try {
        const reply = (await this.redis.heartbeatNode(this.keys.nodes(), this.options.nodeId ?? '', this.leaseMs)) as Array<string | number>;
        const liveCount = Number(reply[1]);
        this.live = new Set(reply.slice(2, 2 + liveCount).map(String));
        this.dead = reply.slice(2 + liveCount).map(String);
        if (this.options.nodeId) this.live.add(this.options.nodeId);
        this.lastBeat = Date.now();
      } catch (err) {
        this.options.onError?.(err);
      } finally {
        this.inflight = undefined;
      }
    })();
    return this.inflight;
  }
}
