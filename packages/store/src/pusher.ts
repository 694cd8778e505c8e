import { Emitter } from '@socket.io/redis-emitter';
import type { Message } from '@clientsocket/core';
import { channelRoom, socketRoom, type Keys } from './keys.js';
import { redisCall, type RedisClient } from './redis-client.js';

/** Why the server ends a client's connection (sent as `closed {reason}` first). */
export type CloseReason = 'expired' | 'deleted' | 'shutdown';

/** Server → browser delivery, from any process, to whichever gateway holds the client. */
export interface Pusher {
  toSocket(socketId: string, message: Message): Promise<void>;
  toChannel(pal: string, channel: string, message: Message): Promise<void>;
  /** Sends `closed {reason}` and then disconnects every connection of the socket. */
  close(socketId: string, reason: CloseReason): Promise<void>;
}

/**
 * Pushes through `@socket.io/redis-emitter`: the gateways' Redis adapter
 * receives the packets and delivers them to the right room, on whichever
 * node the client is connected to. The emitter publishes fire-and-forget;
 * the publish promises are captured here so a caller learns when Redis did
 * not take a push, and so no rejection goes unhandled.
 */
export class EmitterPusher implements Pusher {
  private captured: Array<Promise<unknown>> = [];
  private readonly emitter: Emitter;

  constructor(publisher: RedisClient, keys: Keys) {
    const capturing = {
      publish: (channel: string, message: string | Buffer): Promise<unknown> => {
        const p = publisher.publish(channel, message);
        p.catch(() => undefined);
        this.captured.push(p);
        return p;
      },
    };
    this.emitter = new Emitter(capturing as never, { key: keys.socketIoKey() });
  }

  /** Runs `emit` (synchronous publishes) and waits for Redis to take them. */
  private async publishing(emit: () => void): Promise<void> {
    this.captured = [];
    emit();
    const pending = this.captured;
    this.captured = [];
    await redisCall(() => Promise.all(pending));
  }

  toSocket(socketId: string, message: Message): Promise<void> {
    return this.publishing(() => this.emitter.to(socketRoom(socketId)).emit('message', message));
  }

  toChannel(pal: string, channel: string, message: Message): Promise<void> {
    return this.publishing(() => this.emitter.to(channelRoom(pal, channel)).emit('message', message));
  }

  close(socketId: string, reason: CloseReason): Promise<void> {
    return this.publishing(() => {
      const room = this.emitter.to(socketRoom(socketId));
      room.emit('closed', { reason });
      room.disconnectSockets(true);
    });
  }
}
