import client, { type Registry } from 'prom-client';

/** Series of the expiry reaper (it runs on gateways and api nodes). */
export interface ReaperMetrics {
  expired: client.Counter;
  lateness: client.Histogram;
  /** Records one batch of closed sockets. */
  observe(sockets: ReadonlyArray<{ expiresAt: number; claimedAt: number }>): void;
}

export function createReaperMetrics(registry: Registry): ReaperMetrics {
  const expired = new client.Counter({ name: 'csc_expired_sockets_total', help: "Sockets closed by this node's reaper", registers: [registry] });
  const lateness = new client.Histogram({
    name: 'csc_expiry_lateness_seconds',
    help: 'How long after expiresAt the reaper closed a socket',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
    registers: [registry],
  });
  return {
    expired,
    lateness,
    observe(sockets) {
      expired.inc(sockets.length);
      for (const s of sockets) lateness.observe(Math.max(0, s.claimedAt - s.expiresAt) / 1000);
    },
  };
}
