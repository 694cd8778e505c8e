import { RateLimiterMemory } from 'rate-limiter-flexible';
import { assertMessage, ClientSocketError, shortId, toClientSocketError, type ErrorCode } from '@clientsocket/core';
import type { InboundProducer } from '@clientsocket/queue';
import type { SocketStore } from '@clientsocket/store';
import type { GatewayMetrics } from './gateway-metrics.js';

/** Ack of a `ping`. */
export type PingAck = { ok: true; expiresAt: string } | FailedAck;
/** Ack of a `message`. */
export type MessageAck = { ok: true; id: string } | FailedAck;
export interface FailedAck {
  ok: false;
  error: { code: ErrorCode; message: string };
}

/** What every connection of one gateway shares. */
export interface SessionDeps {
  store: SocketStore;
  producer: InboundProducer;
  maxMessageBytes: number;
  limiter: RateLimiterMemory;
  metrics: GatewayMetrics;
  onError: (err: unknown, context: string) => void;
}

/** A per-connection request limiter (pings and messages share it). */
export function createClientLimiter(perSecond: number): RateLimiterMemory {
  return new RateLimiterMemory({ points: perSecond, duration: 1 });
}

function failed(err: unknown): FailedAck {
  const e = toClientSocketError(err);
  return { ok: false, error: { code: e.code, message: e.code === 'internal' ? 'Internal error' : e.message } };
}

/**
 * The requests of one client connection, independent of its transport
 * (Socket.IO or native WebSocket): this is where a ping renews the socket and
 * a message is counted and queued for the receiver workflow.
 */
export class ClientSession {
  readonly connectionId = shortId(9);

  constructor(
    readonly socketId: string,
    readonly pal: string,
    readonly channel: string,
    private readonly deps: SessionDeps,
  ) {}

  private async allow(): Promise<void> {
    try {
      await this.deps.limiter.consume(this.connectionId);
    } catch {
      throw new ClientSocketError('rate_limited', 'Too many requests on this connection; slow down');
    }
  }

  /** `ping`: renews the socket. */
  async ping(): Promise<PingAck> {
    try {
      await this.allow();
      const touched = await this.deps.store.touch(this.socketId, false);
      this.deps.metrics.requests.inc({ kind: 'ping', result: 'ok' });
      return { ok: true, expiresAt: new Date(touched.expiresAt).toISOString() };
    } catch (err) {
      return this.refuse('ping', err);
    }
  }

  /**
   * `message`: renews and counts, then queues one job for the receiver
   * workflow. Answers only once the job is durably queued, or with the reason
   * it was not: never a silent drop. Oversized and rate-limited messages are
   * refused before touching Redis (they renew nothing).
   */
  async message(payload: unknown): Promise<MessageAck> {
    const receivedAt = new Date().toISOString();
    try {
      await this.allow();
      // A client that emits `message` with no payload sends null, not nothing.
      const message = payload === undefined ? null : payload;
      assertMessage(message, this.deps.maxMessageBytes);
      const touched = await this.deps.store.touch(this.socketId, true);
      if (!touched.receiverWorkflow) throw new ClientSocketError('no_receiver', 'This socket has no receiver workflow');
      const id = await this.deps.producer.enqueue({
        messageId: `${Date.now().toString(36)}-${shortId(9)}`,
        pal: touched.pal,
        socketId: this.socketId,
        channel: touched.channel,
        workflow: touched.receiverWorkflow,
        message,
        receivedAt,
        messageCount: touched.messageCount,
      });
      this.deps.metrics.requests.inc({ kind: 'message', result: 'ok' });
      return { ok: true, id };
    } catch (err) {
      return this.refuse('message', err);
    }
  }

  private refuse(kind: string, err: unknown): FailedAck {
    const ack = failed(err);
    this.deps.metrics.requests.inc({ kind, result: ack.error.code });
    if (ack.error.code === 'internal' || ack.error.code === 'unavailable') this.deps.onError(err, kind);
    return ack;
  }
}
