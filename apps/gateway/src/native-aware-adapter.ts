import { createAdapter } from '@socket.io/redis-adapter';
import type { RedisClient } from '@clientsocket/store';

/** The slice of a Socket.IO socket that the adapter's broadcast / disconnect paths use. */
export interface AdapterTarget {
  id: string;
  client: { writeToEngine(encodedPackets: Array<string | Buffer>, opts: unknown): void };
  disconnect(close?: boolean): void;
  join(rooms: string | string[]): void;
  leave(room: string): void;
}

/** Connections that are not Socket.IO sockets but should receive room broadcasts. */
export interface ExtraTargets {
  apply(opts: { rooms: Set<string>; except?: Set<string> }, callback: (target: AdapterTarget) => void): void;
  /** True when one of the extra targets is in `room`. */
  hasRoom(room: string): boolean;
}

/**
 * `@socket.io/redis-adapter`, extended so that native WebSocket connections
 * receive the same room broadcasts (pushes, `closed`, disconnects) as
 * Socket.IO sockets, from this node and from every other one. The adapter
 * delivers locally through `apply`; we add our targets there, so cross-node
 * delivery, ordering and the emitter protocol all stay the library's own.
 */
export function createNativeAwareAdapter(pub: RedisClient, sub: RedisClient, key: string, extra: ExtraTargets): ReturnType<typeof createAdapter> {
  const base = createAdapter(pub, sub, { key });
  return function (nsp: unknown) {
    const adapter = base(nsp) as unknown as { apply(opts: unknown, cb: (t: AdapterTarget) => void): void; hasRoom(room: string): boolean };
    const apply = adapter.apply.bind(adapter);
    adapter.apply = (opts, cb) => {
      apply(opts, cb);
      extra.apply(opts as { rooms: Set<string>; except?: Set<string> }, cb);
    };
    // The adapter drops single-room packets for rooms it has no Socket.IO socket in.
    const hasRoom = adapter.hasRoom.bind(adapter);
    adapter.hasRoom = (room) => hasRoom(room) || extra.hasRoom(room);
    return adapter;
  } as unknown as ReturnType<typeof createAdapter>;
}
