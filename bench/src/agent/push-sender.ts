import { Agent, request } from 'node:http';
import { Redis } from 'ioredis';
import { Emitter } from '@socket.io/redis-emitter';
import { loadConfig } from '@clientsocket/config';
import type { Message } from '@clientsocket/core';
import { createClusterContext, type ClusterContext } from '@clientsocket/store';
import { nowMs, summarize } from '../stats/latency.js';
import { paced } from './pacer.js';
import type { PushOneReport, PushTarget, PushVia, SendReport, TimedPayload } from './protocol.js';

/** Outcome of one push: a status word and, where the path says, how many connections it reached. */
interface Sent {
  status: string;
  delivered: number | null;
}

/** One way of pushing from server code to browsers. */
interface Route {
  send(target: PushTarget, payload: TimedPayload): Promise<Sent>;
  close(): Promise<void>;
}

/** Our api or the baseline's: keep-alive HTTP, as a real backend calling it would. */
function httpRoute(baseUrl: string, apiKey: string): Route {
  const url = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  return {
    send(target, payload) {
      const path = 'socketId' in target ? `/v1/sockets/${encodeURIComponent(target.socketId)}/messages` : `/v1/channels/${encodeURIComponent(target.channel)}/messages`;
      const body = JSON.stringify({ message: payload });
      return new Promise((resolve) => {
        const req = request(
          {
            host: url.hostname,
            port: url.port,
            method: 'POST',
            path,
            agent,
            headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${apiKey}` },
          },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => (text += c));
            res.on('end', () => {
              let delivered: number | null = null;
              try {
                const n = (JSON.parse(text) as { delivered?: unknown }).delivered;
                if (typeof n === 'number') delivered = n;
              } catch {
                /* no JSON body */
              }
              resolve({ status: res.statusCode === 202 ? 'ok' : `http_${res.statusCode}`, delivered });
            });
          },
        );
        req.setTimeout(15000, () => req.destroy(new Error('timeout')));
        req.on('error', (err) => resolve({ status: `net_${(err as NodeJS.ErrnoException).code ?? err.message}`, delivered: null }));
        req.end(body);
      });
    },
    async close() {
      agent.destroy();
    },
  };
}

/** Our in-cluster SDK, as server code inside the cluster uses it. */
async function sdkRoute(env: Record<string, string>, pal: string): Promise<Route> {
  const context: ClusterContext = await createClusterContext(loadConfig(env), { nodeId: 'bench-sdk', holdsConnections: false });
  const manager = context.managerFor(pal);
  return {
    async send(target, payload) {
      try {
        const message = { ...payload } as Message;
        const delivered = 'socketId' in target ? await manager.sendMessage(target.socketId, message) : await manager.sendChannelMessage(target.channel, message);
        return { status: 'ok', delivered };
      } catch (err) {
        return { status: (err as { code?: string }).code ?? 'error', delivered: null };
      }
    },
    close: () => context.close(),
  };
}

/** The baseline's server-side push: the emitter, straight to the room, no lookup. */
function emitterRoute(redisUrl: string, key: string, pal: string): Route {
  const redis = new Redis(redisUrl);
  let pending: Array<Promise<unknown>> = [];
  // The emitter publishes and forgets; capturing the publish lets a send resolve when Redis took it.
  const capturing = {
    publish: (channel: string, message: string | Buffer): Promise<unknown> => {
      const p = redis.publish(channel, message);
      pending.push(p);
      return p;
    },
  };
  const emitter = new Emitter(capturing as never, { key });
  return {
    async send(target, payload) {
      pending = [];
      const room = 'socketId' in target ? `s:${target.socketId}` : `c:${pal}:${target.channel}`;
      emitter.to(room).emit('message', payload);
      const sent = pending;
      pending = [];
      try {
        await Promise.all(sent);
        return { status: 'ok', delivered: null };
      } catch {
        return { status: 'redis_error', delivered: null };
      }
    },
    async close() {
      redis.disconnect();
    },
  };
}

/** Server → browser sender of one agent; routes are built once per kind and reused. */
export class PushSender {
  private readonly routes = new Map<string, Promise<Route>>();

  private route(via: PushVia): Promise<Route> {
    const id = JSON.stringify(via);
    let r = this.routes.get(id);
    if (!r) {
      r = via.kind === 'http' ? Promise.resolve(httpRoute(via.baseUrl, via.apiKey)) : via.kind === 'sdk' ? sdkRoute(via.env, via.pal) : Promise.resolve(emitterRoute(via.redisUrl, via.key, via.pal));
      this.routes.set(id, r);
    }
    return r;
  }

  /** Unicasts at `rate`/s to sockets picked at random from `targets`. */
  async push(via: PushVia, targets: string[], rate: number, durationMs: number, tag: string, maxInFlight: number): Promise<SendReport> {
    const route = await this.route(via);
    const response: number[] = [];
    const errors: Record<string, number> = {};
    let ok = 0;
    let deliveredReported = 0;
    const run = await paced(rate, durationMs, maxInFlight, async (seq) => {
      const socketId = targets[Math.floor(Math.random() * targets.length)] as string;
      const payload: TimedPayload = { t: nowMs(), s: tag, q: seq };
      const sent = await route.send({ socketId }, payload);
      if (sent.status === 'ok') {
        ok++;
        response.push(nowMs() - payload.t);
        deliveredReported += sent.delivered ?? 0;
      } else errors[sent.status] = (errors[sent.status] ?? 0) + 1;
    });
    return { ...run, ok, errors, responseMs: summarize(response), deliveredReported };
  }

  async pushOne(via: PushVia, target: PushTarget, tag: string, q: number): Promise<PushOneReport> {
    const route = await this.route(via);
    const payload: TimedPayload = { t: nowMs(), s: tag, q };
    const sent = await route.send(target, payload);
    return { status: sent.status, responseMs: Math.round((nowMs() - payload.t) * 100) / 100, delivered: sent.delivered };
  }

  async close(): Promise<void> {
    for (const r of this.routes.values()) await (await r).close().catch(() => undefined);
    this.routes.clear();
  }
}
