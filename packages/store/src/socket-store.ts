import { ClientSocketError, type CreateSocketInput } from '@clientsocket/core';
import { bucketOf, idOfMember, indexMember, Keys } from './keys.js';
import type { NodeRegistry } from './node-registry.js';
import { redisCall } from './redis-client.js';
import type { ScriptedClient } from './scripts.js';

/** A socket as stored, times in ms since the epoch. */
export interface SocketRecord {
  id: string;
  pal: string;
  channel: string;
  secure: boolean;
  clientIp: string | null;
  renewalIncrement: number;
  receiverWorkflow: string | null;
  worker: string;
  createdAt: number;
  lastAccess: number;
  expiresAt: number;
  messageCount: number;
  /** Live connections (counts of dead gateways excluded). */
  connections: number;
}

/** A client's handshake was accepted: what the gateway needs to serve it. */
export interface ConnectAccepted {
  pal: string;
  channel: string;
  receiverWorkflow: string | null;
  expiresAt: number;
}

/** A client request renewed the socket. */
export interface TouchResult {
  expiresAt: number;
  receiverWorkflow: string | null;
  pal: string;
  channel: string;
  messageCount: number;
}

export interface ListPage {
  rows: SocketRecord[];
  total: number;
  nextCursor: string | null;
}

/** What the reaper learns about a socket it expired. */
export interface ExpiredSocket {
  id: string;
  pal: string | null;
  channel: string | null;
  /** Its member in the pal's listing indexes. */
  member: string | null;
  /** When it was due, and when it was claimed (Redis clock, ms). */
  expiresAt: number;
  claimedAt: number;
}

/**
 * The socket store contract. The gateway, the api and workflows depend on
 * this, not on Redis calls. Tenancy is enforced here: every pal-facing read
 * takes the pal, and another pal's socket reads as absent.
 */
export interface SocketStore {
  create(pal: string, input: CreateSocketInput, worker: string, id: string): Promise<SocketRecord>;
  get(pal: string, id: string): Promise<SocketRecord | null>;
  list(pal: string, options: { channel?: string | undefined; limit: number; cursor?: string | undefined }): Promise<ListPage>;
  delete(pal: string, id: string): Promise<boolean>;
  /** Handshake: existence, IP check / binding, renewal and connection count. @throws `socket_not_found`, `ip_not_allowed`, `unavailable` */
  connect(id: string, ip: string, nodeId: string): Promise<ConnectAccepted>;
  /** Ping (count=false) or message (count=true). @throws `socket_not_found`, `unavailable` */
  touch(id: string, countMessage: boolean): Promise<TouchResult>;
  disconnect(id: string, nodeId: string): Promise<void>;
  /** Live connections of each socket of `pal` in `channel`, summed. */
  channelConnections(pal: string, channel: string): Promise<number>;
  /** Claims up to `limit` due sockets of `bucket`. */
  reapBucket(bucket: number, limit: number): Promise<{ expired: ExpiredSocket[]; nextDue: number | null }>;
  /** Removes expired sockets from their pal's listing indexes. */
  unindex(sockets: ExpiredSocket[]): Promise<void>;
}

const CURSOR_PREFIX = 'c1.';

function encodeCursor(member: string): string {
  return CURSOR_PREFIX + Buffer.from(member, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string {
  const member = cursor.startsWith(CURSOR_PREFIX) ? Buffer.from(cursor.slice(CURSOR_PREFIX.length), 'base64url').toString('utf8') : '';
  if (!/^\d{15}:[A-Za-z0-9_-]{22}$/.test(member)) {
    throw new ClientSocketError('validation_failed', 'Invalid cursor', { details: [{ field: 'cursor', message: 'is not a cursor this API returned' }] });
  }
  return member;
}

function toFlatMap(flat: string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) m.set(flat[i] as string, flat[i + 1] as string);
  return m;
}

/** Socket store on Redis (standalone or Cluster). */
export class RedisSocketStore implements SocketStore {
  constructor(
    private readonly redis: ScriptedClient,
    private readonly keys: Keys,
    private readonly nodes: NodeRegistry,
    private readonly renewalMinuteMs: number,
  ) {}

  async create(pal: string, input: CreateSocketInput, worker: string, id: string): Promise<SocketRecord> {
    const k = this.keys;
    const [createdAt, expiresAt] = (await redisCall(() =>
      this.redis.createSocket(
        k.socket(id),
        k.dueOf(id),
        k.dueMetaOf(id),
        id,
        pal,
        input.channel,
        input.secure ? 1 : 0,
        input.clientIp ?? '',
        input.renewalIncrement,
        input.receiverWorkflow ?? '',
        worker,
        this.renewalMinuteMs,
      ),
    )) as [number, number];
    const member = indexMember(createdAt, id);
    try {
      await redisCall(() => Promise.all([this.redis.zadd(k.palIndex(pal), 0, member), this.redis.zadd(k.channelIndex(pal, input.channel), 0, member)]));
    } catch (err) {
      // Not listed means not usable: undo rather than leave an invisible socket.
      await this.delete(pal, id).catch(() => undefined);
      throw err;
    }
    return {
      id,
      pal,
      channel: input.channel,
      secure: input.secure,
      clientIp: input.clientIp ?? null,
      renewalIncrement: input.renewalIncrement,
      receiverWorkflow: input.receiverWorkflow ?? null,
      worker,
      createdAt,
      lastAccess: createdAt,
      expiresAt,
      messageCount: 0,
      connections: 0,
    };
  }

  async get(pal: string, id: string): Promise<SocketRecord | null> {
    const record = await this.read(id);
    return record && record.pal === pal ? record : null;
  }

  private async read(id: string): Promise<SocketRecord | null> {
    const [fields, conns] = (await redisCall(() => this.redis.readSocket(this.keys.socket(id), this.keys.connections(id)))) as [string[], string[]];
    if (fields.length === 0) return null;
    const f = toFlatMap(fields);
    return {
      id,
      pal: f.get('pal') ?? '',
      channel: f.get('channel') ?? '',
      secure: f.get('secure') === '1',
      clientIp: f.get('clientIp') || null,
      renewalIncrement: Number(f.get('renewalIncrement')),
      receiverWorkflow: f.get('receiverWorkflow') || null,
      worker: f.get('worker') ?? '',
      createdAt: Number(f.get('createdAt')),
      lastAccess: Number(f.get('lastAccess')),
      expiresAt: Number(f.get('expiresAt')),
      messageCount: Number(f.get('messageCount')),
      connections: await this.nodes.countLive(conns),
    };
  }

  async list(pal: string, options: { channel?: string | undefined; limit: number; cursor?: string | undefined }): Promise<ListPage> {
    const index = options.channel === undefined ? this.keys.palIndex(pal) : this.keys.channelIndex(pal, options.channel);
    let after = options.cursor ? decodeCursor(options.cursor) : null;
    const rows: SocketRecord[] = [];
    let total = await redisCall(() => this.redis.zcard(index));
    let lastMember: string | null = null;
    let exhausted = false;
    while (rows.length < options.limit && !exhausted) {
      const want = options.limit - rows.length;
      const members = await redisCall(() => this.redis.zrangebylex(index, after === null ? '-' : `(${after}`, '+', 'LIMIT', 0, want));
      if (members.length < want) exhausted = true;
      if (members.length === 0) break;
      const records = await Promise.all(members.map((m) => this.read(idOfMember(m))));
      const stale: string[] = [];
      records.forEach((r, i) => {
        const member = members[i] as string;
        if (r && r.pal === pal) {
          rows.push(r);
          lastMember = member;
        } else stale.push(member);
      });
      after = members[members.length - 1] as string;
      // Sockets that expired but were not yet reaped leave the index now.
      if (stale.length) {
        total -= stale.length;
        await this.redis.zrem(index, ...stale).catch(() => undefined);
      }
    }
    let nextCursor: string | null = null;
    if (!exhausted && lastMember !== null) {
      const more = await redisCall(() => this.redis.zrangebylex(index, `(${lastMember}`, '+', 'LIMIT', 0, 1));
      if (more.length) nextCursor = encodeCursor(lastMember);
    }
    return { rows, total: Math.max(total, rows.length), nextCursor };
  }

  async delete(pal: string, id: string): Promise<boolean> {
    const k = this.keys;
    const res = (await redisCall(() => this.redis.deleteSocket(k.socket(id), k.connections(id), k.dueOf(id), k.dueMetaOf(id), id, pal))) as [string, string] | null;
    if (!res) return false;
    const [channel, createdAt] = res;
    const member = indexMember(Number(createdAt), id);
    await redisCall(() => Promise.all([this.redis.zrem(k.palIndex(pal), member), this.redis.zrem(k.channelIndex(pal, channel), member)]));
    return true;
  }

  async connect(id: string, ip: string, nodeId: string): Promise<ConnectAccepted> {
    const k = this.keys;
    const reply = (await redisCall(() =>
      this.redis.connectSocket(k.socket(id), k.connections(id), k.dueOf(id), id, ip, nodeId, this.renewalMinuteMs, ...this.nodes.deadNodes()),
    )) as [string, string, string, string, number];
    const [status, pal, channel, workflow, expiresAt] = reply;
    if (status === 'socket_not_found' || status === 'ip_not_allowed') {
      throw new ClientSocketError(status, status === 'socket_not_found' ? 'No such socket (unknown, deleted or expired)' : 'This socket is bound to another client IP');
    }
    return { pal, channel, receiverWorkflow: workflow || null, expiresAt: Number(expiresAt) };
  }

  async touch(id: string, countMessage: boolean): Promise<TouchResult> {
    const k = this.keys;
    const reply = (await redisCall(() =>
      this.redis.touchSocket(k.socket(id), k.connections(id), k.dueOf(id), id, this.renewalMinuteMs, countMessage ? 1 : 0),
    )) as [string, number, string, string, string, number];
    if (reply[0] !== 'ok') throw new ClientSocketError('socket_not_found', 'No such socket (unknown, deleted or expired)');
    return { expiresAt: Number(reply[1]), receiverWorkflow: reply[2] || null, pal: reply[3], channel: reply[4], messageCount: Number(reply[5]) };
  }

  async disconnect(id: string, nodeId: string): Promise<void> {
    await redisCall(() => this.redis.disconnectSocket(this.keys.connections(id), nodeId));
  }

  async channelConnections(pal: string, channel: string): Promise<number> {
    const members = await redisCall(() => this.redis.zrange(this.keys.channelIndex(pal, channel), 0, -1));
    const byBucket = new Map<number, string[]>();
    for (const m of members) {
      const id = idOfMember(m);
      const b = bucketOf(id);
      const ids = byBucket.get(b);
      if (ids) ids.push(id);
      else byBucket.set(b, [id]);
    }
    // One script per bucket (at most BUCKETS round trips, pipelined) instead of one command per member.
    const sums = await redisCall(() =>
      Promise.all([...byBucket].map(([b, ids]) => this.redis.sumConnections(this.keys.due(b), this.keys.connectionsPrefix(b), ...ids) as Promise<string[]>)),
    );
    const perBucket = await Promise.all(sums.map((flat) => this.nodes.countLive(flat.map(String))));
    return perBucket.reduce((a, b) => a + b, 0);
  }

  async reapBucket(bucket: number, limit: number): Promise<{ expired: ExpiredSocket[]; nextDue: number | null }> {
    const k = this.keys;
    const reply = (await redisCall(() =>
      this.redis.reapDue(k.due(bucket), k.dueMeta(bucket), limit, k.socketPrefix(bucket), k.connectionsPrefix(bucket)),
    )) as Array<string | number>;
    const expired: ExpiredSocket[] = [];
    const claimedAt = Number(reply[1]);
    for (let i = 2; i + 2 < reply.length; i += 3) {
      const id = String(reply[i]);
      let pal: string | null = null;
      let channel: string | null = null;
      let member: string | null = null;
      try {
        [pal, channel, member] = JSON.parse(String(reply[i + 1])) as [string, string, string];
      } catch {
        /* metadata missing: the listing drops the entry lazily */
      }
      expired.push({ id, pal, channel, member, expiresAt: Number(reply[i + 2]), claimedAt });
    }
    const nextDue = Number(reply[0]);
    return { expired, nextDue: nextDue < 0 ? null : nextDue };
  }

  async unindex(sockets: ExpiredSocket[]): Promise<void> {
    await redisCall(() =>
      Promise.all(
        sockets.flatMap((s) => {
          if (!s.pal || s.channel === null || !s.member) return [];
          return [this.redis.zrem(this.keys.palIndex(s.pal), s.member), this.redis.zrem(this.keys.channelIndex(s.pal, s.channel), s.member)];
        }),
      ),
    );
  }
}
