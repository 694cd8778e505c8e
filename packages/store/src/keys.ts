/**
 * The whole Redis key layout. Nothing else builds key names.
 *
 * Cluster-aware by construction: everything one socket operation touches
 * shares a hash tag, so each hot-path operation is one single-slot script.
 * - Per-socket keys carry the tag of their expiry bucket `{sN}` (N from the
 *   id's first character), together with that bucket's due-schedule; renewal
 *   updates the socket and its schedule entry in one atomic script.
 * - A pal's listing indexes carry `{pal}`; they change on create, delete and
 *   expiry only, never on the ping / message path.
 */

/** Number of expiry buckets. Fixed: changing it would orphan existing sockets. */
export const BUCKETS = 16;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The expiry bucket of a socket id (ids are uniformly random, so buckets are even). */
export function bucketOf(socketId: string): number {
  const i = ALPHABET.indexOf(socketId.charAt(0));
  return (i < 0 ? 0 : i) % BUCKETS;
}

/** Key names under one prefix (one cluster, or one test). */
export class Keys {
  constructor(readonly prefix: string) {}

  private tag(socketId: string): string {
    return `{s${bucketOf(socketId)}}`;
  }

  /** HASH: the socket's metadata. Expires at `expiresAt`. */
  socket(id: string): string {
    return `${this.prefix}sock:${this.tag(id)}:${id}`;
  }
  /** HASH nodeId → live connection count on that node. Expires with the socket. */
  connections(id: string): string {
    return `${this.prefix}conn:${this.tag(id)}:${id}`;
  }
  /** Prefixes the reaper script appends an id to (same slot as the bucket). */
  socketPrefix(bucket: number): string {
    return `${this.prefix}sock:{s${bucket}}:`;
  }
  connectionsPrefix(bucket: number): string {
    return `${this.prefix}conn:{s${bucket}}:`;
  }
  /** ZSET id → expiresAt: the bucket's expiry schedule. */
  due(bucket: number): string {
    return `${this.prefix}due:{s${bucket}}`;
  }
  dueOf(id: string): string {
    return this.due(bucketOf(id));
  }
  /** HASH id → JSON [pal, channel, indexMember]: what the reaper needs once the socket hash is gone. */
  dueMeta(bucket: number): string {
    return `${this.prefix}duemeta:{s${bucket}}`;
  }
  dueMetaOf(id: string): string {
    return this.dueMeta(bucketOf(id));
  }
  /** ZSET (lex, score 0) of `createdAt:id` members: the pal's sockets in creation order. */
  palIndex(pal: string): string {
    return `${this.prefix}pal:{${pal}}:all`;
  }
  /** Same, for one channel of the pal. */
  channelIndex(pal: string, channel: string): string {
    return `${this.prefix}pal:{${pal}}:ch:${channel}`;
  }
  /** ZSET nodeId → lease deadline (ms): gateway liveness. */
  nodes(): string {
    return `${this.prefix}nodes`;
  }
  /** HASH sha256(apiKey) → pal: API keys managed in Redis. */
  apiKeys(): string {
    return `${this.prefix}apikeys`;
  }
  /** Socket.IO adapter / emitter channel prefix. */
  socketIoKey(): string {
    return `${this.prefix}sio`;
  }
  /** Rate limiter keys. */
  rateLimit(): string {
    return `${this.prefix}rl`;
  }
}

/** Socket.IO room of one socket's connections. */
export function socketRoom(id: string): string {
  return `s:${id}`;
}

/** Socket.IO room of one pal's channel. */
export function channelRoom(pal: string, channel: string): string {
  return `c:${pal}:${channel}`;
}

/** Index member: zero-padded creation time then id, so lex order = creation order. */
export function indexMember(createdAt: number, id: string): string {
  return `${String(createdAt).padStart(15, '0')}:${id}`;
}

/** The id inside an index member. */
export function idOfMember(member: string): string {
  return member.slice(member.indexOf(':') + 1);
}
