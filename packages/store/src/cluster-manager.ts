import {
  assertMessage,
  buildEndpoints,
  ClientSocket,
  ClientSocketError,
  createSocketSchema,
  isSocketId,
  listSocketsSchema,
  newSocketId,
  parseInput,
  resolveCreateArgs,
  SOCKET_COLUMNS,
  type ClientSocketData,
  type ClientSocketManager,
  type GetSocketsOptions,
  type Message,
  type SystemDataView,
} from '@clientsocket/core';
import type { Pusher } from './pusher.js';
import type { SocketRecord, SocketStore } from './socket-store.js';

/** What an in-cluster manager is built from. */
export interface ClusterManagerDeps {
  store: SocketStore;
  pusher: Pusher;
  /** Public origin of the gateways (`PUBLIC_GATEWAY_URL`). */
  publicGatewayUrl: string;
  maxMessageBytes: number;
  /** This process's node id: the `worker` of sockets it creates. */
  nodeId: string;
}

/** Converts a stored record into the ClientSocket JSON. */
export function toClientSocketData(record: SocketRecord, publicGatewayUrl: string): ClientSocketData {
  return {
    id: record.id,
    pal: record.pal,
    channel: record.channel,
    secure: record.secure,
    clientIp: record.clientIp,
    renewalIncrement: record.renewalIncrement,
    receiverWorkflow: record.receiverWorkflow,
    ...buildEndpoints(publicGatewayUrl, record.id),
    worker: record.worker,
    createdAt: new Date(record.createdAt).toISOString(),
    lastAccess: new Date(record.lastAccess).toISOString(),
    expiresAt: new Date(record.expiresAt).toISOString(),
    messageCount: record.messageCount,
    connections: record.connections,
  };
}

/**
 * The ClientSocketManager of one pal, served directly from the cluster's
 * store: what the api answers with and what receiver workflows are handed.
 *
 * @example
 * const manager = new ClusterClientSocketManager(deps, 'acme');
 * const socket = await manager.createClientSocket('echo', 'support', true, 5, { clientIp });
 */
export class ClusterClientSocketManager implements ClientSocketManager {
  constructor(
    private readonly deps: ClusterManagerDeps,
    readonly pal: string,
  ) {}

  /** Wraps a stored record for this pal. */
  wrap(record: SocketRecord): ClientSocket {
    return new ClientSocket(toClientSocketData(record, this.deps.publicGatewayUrl), this);
  }

  createClientSocket(channel: string, secure?: boolean, renewalIncrement?: number, options?: { clientIp?: string | null }): Promise<ClientSocket>;
  createClientSocket(receiverWorkflow: string, channel: string, secure?: boolean, renewalIncrement?: number, options?: { clientIp?: string | null }): Promise<ClientSocket>;
  createClientSocket(request: { channel: string; secure?: boolean; renewalIncrement?: number; receiverWorkflow?: string | null; clientIp?: string | null }): Promise<ClientSocket>;
  async createClientSocket(...args: unknown[]): Promise<ClientSocket> {
    const input = parseInput(createSocketSchema, resolveCreateArgs(args));
    const record = await this.deps.store.create(this.pal, input, this.deps.nodeId, newSocketId());
    return this.wrap(record);
  }

  async deleteClientSocket(socketId: string): Promise<boolean> {
    if (!isSocketId(socketId)) return false;
    const deleted = await this.deps.store.delete(this.pal, socketId);
    if (deleted) await this.deps.pusher.close(socketId, 'deleted');
    return deleted;
  }

  async getClientSocket(socketId: string): Promise<ClientSocket | null> {
    if (!isSocketId(socketId)) return null;
    const record = await this.deps.store.get(this.pal, socketId);
    return record ? this.wrap(record) : null;
  }

  async getSockets(options: GetSocketsOptions = {}): Promise<SystemDataView> {
    const query = parseInput(listSocketsSchema, options);
    const page = await this.deps.store.list(this.pal, query);
    return { columns: [...SOCKET_COLUMNS], rows: page.rows.map((r) => this.wrap(r)), total: page.total, nextCursor: page.nextCursor };
  }

  async sendMessage(socketId: string, message: Message): Promise<number> {
    assertMessage(message, this.deps.maxMessageBytes);
    const record = isSocketId(socketId) ? await this.deps.store.get(this.pal, socketId) : null;
    if (!record) throw new ClientSocketError('not_found', 'No such socket');
    await this.deps.pusher.toSocket(socketId, message);
    return record.connections;
  }

  async sendChannelMessage(channel: string, message: Message): Promise<number> {
    parseInput(createSocketSchema.pick({ channel: true }), { channel });
    assertMessage(message, this.deps.maxMessageBytes);
    const delivered = await this.deps.store.channelConnections(this.pal, channel);
    await this.deps.pusher.toChannel(this.pal, channel, message);
    return delivered;
  }
}
