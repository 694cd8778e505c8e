import { Emitter } from '@socket.io/redis-emitter';
import { Keys } from '@clientsocket/store';
import type { PushVia } from '../agent/protocol.js';
import type { BenchContext } from '../bench-context.js';
import { redisDelta, redisSnapshot } from '../redis/redis-stats.js';
import type { PubSubResult, PubSubRow } from '../report/result-types.js';
import { round } from '../stats/latency.js';
import { createSockets, deleteSockets, sleep } from './helpers.js';

/** Brings the cluster to `n` gateways (gw-1 always stays: it is the public endpoint). */
async function resize(ctx: BenchContext, n: number): Promise<void> {
  while (ctx.ours.gateways.length < n) await ctx.ours.addGateway();
  while (ctx.ours.gateways.length > n) await ctx.ours.removeGateway(ctx.ours.gateways[ctx.ours.gateways.length - 1]!);
  await sleep(500); // adapter subscriptions settle
}

/**
 * Scenario 5b: Redis pub/sub messages per unicast with 1, 2 and 4 gateways.
 * Publishes per push come from commandstats around real api pushes; how many
 * subscribers each publish reaches is PUBLISH's own answer, read by sending
 * the same kind of packet (to a room nobody is in) on the cluster's channel.
 */
export async function runPubSub(ctx: BenchContext): Promise<PubSubResult> {
  const { gatewayCounts, pushes } = ctx.options.pubsub;
  const [id] = await createSockets(ctx, 1, { channel: 'pubsub' });
  const api: PushVia = { kind: 'http', baseUrl: ctx.ours.apiUrl, apiKey: ctx.ours.apiKey };
  const replies: number[] = [];
  const probe = new Emitter(
    {
      publish: (channel: string, message: string | Buffer) => {
        const p = ctx.admin.publish(channel, message);
        void p.then((n) => replies.push(n), () => undefined);
        return p;
      },
    } as never,
    { key: new Keys('csc:').socketIoKey() },
  );
  const rows: PubSubRow[] = [];
  try {
    for (const n of gatewayCounts) {
      await resize(ctx, n);
      const a = await redisSnapshot(ctx.admin);
      const sent = await ctx.sender.push(api, [id as string], Math.min(pushes * 4, 500), (pushes / Math.min(pushes * 4, 500)) * 1000, 'pubsub');
      const b = await redisSnapshot(ctx.admin);
      const publishes = redisDelta(a, b).commands.publish?.calls ?? 0;
      replies.length = 0;
      for (let i = 0; i < 20; i++) probe.to('s:bench-probe-nobody').emit('message', 'probe');
      await sleep(100);
      const deliveries = replies.length ? replies.reduce((x, y) => x + y, 0) / replies.length : 0;
      rows.push({ gateways: n, publishesPerUnicast: round(publishes / Math.max(sent.ok, 1), 2), deliveriesPerUnicast: round(deliveries, 2) });
      ctx.log(`  ${n} gateway(s): ${rows.at(-1)?.publishesPerUnicast} publish and ${rows.at(-1)?.deliveriesPerUnicast} pub/sub deliveries per unicast`);
    }
  } finally {
    await deleteSockets(ctx, [id as string]);
  }
  return { rows };
}
