import type { Message } from './message.js';

/** The ClientSocket as JSON: what the HTTP API answers and the SDKs wrap. */
export interface ClientSocketData {
  id: string;
  pal: string;
  channel: string;
  secure: boolean;
  /** The bound client IP; null until bound (secure sockets bind on first connection). */
  clientIp: string | null;
  renewalIncrement: number;
  /** Workflow run for each inbound message; null for none. */
  receiverWorkflow: string | null;
  /** URL `io(endpoint)` of the official socket.io-client accepts as is. */
  endpoint: string;
  /** URL a plain `new WebSocket(wsEndpoint)` opens. */
  wsEndpoint: string;
  /** The node that created the socket. */
  worker: string;
  createdAt: string;
  lastAccess: string;
  expiresAt: string;
  /** Messages received from the client (pings not counted). */
  messageCount: number;
  /** Live connections now. */
  connections: number;
}

/** Column order of the `getSockets()` data view. */
export const SOCKET_COLUMNS: readonly (keyof ClientSocketData)[] = [
  'id',
  'pal',
  'channel',
  'secure',
  'clientIp',
  'renewalIncrement',
  'receiverWorkflow',
  'endpoint',
  'wsEndpoint',
  'worker',
  'createdAt',
  'lastAccess',
  'expiresAt',
  'messageCount',
  'connections',
];

/** What a {@link ClientSocket} needs to push: the manager that made it. */
export interface MessageSender {
  sendMessage(socketId: string, message: Message): Promise<number>;
}

/**
 * A snapshot of one socket, with the seed's accessors, and a live
 * `sendMessage` that reaches the browser through the cluster.
 *
 * @example
 * const socket = await manager.createClientSocket('echo', 'room-1', false, 1);
 * browser.send(socket.getEndpoint());
 * await socket.sendMessage({ hello: 'world' });
 */
export class ClientSocket {
  constructor(
    private readonly data: ClientSocketData,
    private readonly sender: MessageSender,
  ) {}

  getId(): string {
    return this.data.id;
  }
  getChannel(): string {
    return this.data.channel;
  }
  getEndpoint(): string {
    return this.data.endpoint;
  }
  getWsEndpoint(): string {
    return this.data.wsEndpoint;
  }
  /** Time of the last client request (or creation). */
  getLastAccess(): Date {
    return new Date(this.data.lastAccess);
  }
  getExpiresAt(): Date {
    return new Date(this.data.expiresAt);
  }
  /** Messages received from the client, pings not counted. */
  getMessageCount(): number {
    return this.data.messageCount;
  }
  /** The node that created this socket. */
  getWorker(): string {
    return this.data.worker;
  }
  isSecure(): boolean {
    return this.data.secure;
  }
  getReceiverWorkflow(): string | null {
    return this.data.receiverWorkflow;
  }
  getConnections(): number {
    return this.data.connections;
  }

  /**
   * Pushes `message` to the browser(s) connected to this socket.
   * @returns how many live connections it went to (0 when the client has not connected yet)
   * @throws ClientSocketError `not_found` when the socket is gone, `payload_too_large`, `unavailable`
   */
  sendMessage(message: Message): Promise<number> {
    return this.sender.sendMessage(this.data.id, message);
  }

  toJSON(): ClientSocketData {
    return { ...this.data };
  }

  toString(): string {
    const d = this.data;
    return `ClientSocket(id=${d.id}, channel=${JSON.stringify(d.channel)}, secure=${d.secure}, receiverWorkflow=${d.receiverWorkflow ?? 'none'}, expiresAt=${d.expiresAt}, messageCount=${d.messageCount}, connections=${d.connections})`;
  }
}
