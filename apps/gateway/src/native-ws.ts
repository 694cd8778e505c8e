import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { ClientSocketError, isSocketId, toClientSocketError, resolveClientIp, type CidrList } from '@clientsocket/core';
import { channelRoom, socketRoom, type CloseReason, type SocketStore } from '@clientsocket/store';
import { ClientSession, type SessionDeps } from './client-session.js';
import { CLOSE_CODES } from './close-codes.js';
import type { AdapterTarget, ExtraTargets } from './native-aware-adapter.js';

interface NativeConnection {
  ws: WebSocket;
  session: ClientSession;
  rooms: string[];
  target: AdapterTarget;
  alive: boolean;
}

/** Socket.IO EVENT packet as the adapter pre-encodes it for the root namespace: `2[...]` (optionally with an ack id). */
const EVENT_PACKET = /^2\d*(\[[\s\S]*\])$/;

/**
 * Native WebSocket endpoint (`/ws?socketId=…`) for browser code written
 * against the original platform. Text frame `ping` renews; any other frame is
 * a message for the receiver workflow (JSON if it parses, else the string).
 * Pushes arrive as text frames. Refusals close with a 4xxx code whose reason
 * is the error code.
 */
export class NativeWsGateway implements ExtraTargets {
  private readonly wss: WebSocketServer;
  private readonly connections = new Map<string, NativeConnection>();
  /** room → connection count, so the adapter can tell a room has native members. */
  private readonly rooms = new Map<string, number>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly deps: SessionDeps & { store: SocketStore; nodeId: string; trustedProxies: CidrList; onConnectionChange: (delta: number) => void; track: (p: Promise<unknown>) => void },
    maxPayload: number,
    heartbeatMs = 30_000,
  ) {
    this.wss = new WebSocketServer({ noServer: true, maxPayload });
    // Transport-level liveness: a peer that stops answering protocol pings is dropped, so connection counts stay true.
    this.heartbeat = setInterval(() => {
      for (const c of this.connections.values()) {
        if (!c.alive) c.ws.terminate();
        else {
          c.alive = false;
          c.ws.ping();
        }
      }
    }, heartbeatMs);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.connections.size;
  }

  /** Handles an HTTP upgrade on `/ws`. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => void this.accept(ws, req));
  }

  private async accept(ws: WebSocket, req: IncomingMessage): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://gateway');
    const socketId = url.searchParams.get('socketId');
    const ip = resolveClientIp(req.socket.remoteAddress, req.headers['x-forwarded-for'], this.deps.trustedProxies) ?? '';
    // Frames that arrive before the handshake is settled are held, not lost.
    const early: Array<{ data: Buffer; isBinary: boolean }> = [];
    const holdEarly = (data: Buffer, isBinary: boolean): void => void early.push({ data, isBinary });
    ws.on('message', holdEarly);
    ws.on('error', () => undefined);
    let accepted;
    try {
      if (!isSocketId(socketId)) throw new ClientSocketError('socket_not_found', 'No such socket');
      accepted = await this.deps.store.connect(socketId, ip, this.deps.nodeId);
    } catch (err) {
      const e = toClientSocketError(err);
      const code = e.code;
      this.deps.metrics.handshakes.inc({ transport: 'websocket-native', result: code });
      ws.close(CLOSE_CODES[code], code);
      return;
    }
    if (ws.readyState !== ws.OPEN) {
      await this.deps.store.disconnect(socketId, this.deps.nodeId).catch(() => undefined);
      return;
    }
    this.deps.metrics.handshakes.inc({ transport: 'websocket-native', result: 'ok' });
    const session = new ClientSession(socketId, accepted.pal, accepted.channel, this.deps);
    const conn: NativeConnection = {
      ws,
      session,
      rooms: [socketRoom(socketId), channelRoom(accepted.pal, accepted.channel)],
      alive: true,
      target: {
        id: `ws:${session.connectionId}`,
        client: { writeToEngine: (packets) => this.deliver(conn, packets) },
        disconnect: () => this.close(conn, 1000, 'disconnect'),
        join: () => undefined,
        leave: () => undefined,
      },
    };
    this.connections.set(session.connectionId, conn);
    for (const r of conn.rooms) this.rooms.set(r, (this.rooms.get(r) ?? 0) + 1);
    this.deps.onConnectionChange(1);
    ws.off('message', holdEarly);
    ws.on('message', (data: Buffer, isBinary: boolean) => void this.onFrame(conn, data, isBinary));
    ws.on('pong', () => (conn.alive = true));
    ws.on('close', () => {
      this.connections.delete(session.connectionId);
      for (const r of conn.rooms) {
        const n = (this.rooms.get(r) ?? 1) - 1;
        if (n > 0) this.rooms.set(r, n);
        else this.rooms.delete(r);
      }
      this.deps.onConnectionChange(-1);
      this.deps.track(this.deps.store.disconnect(socketId, this.deps.nodeId).catch((err) => this.deps.onError(err, 'disconnect')));
    });
    for (const f of early) void this.onFrame(conn, f.data, f.isBinary);
  }

  private async onFrame(conn: NativeConnection, data: Buffer, isBinary: boolean): Promise<void> {
    const text = data.toString('utf8');
    if (!isBinary && text === 'ping') {
      const ack = await conn.session.ping();
      if (!ack.ok) this.refuse(conn, ack.error.code);
      return;
    }
    let payload: unknown = text;
    try {
      payload = JSON.parse(text);
    } catch {
      /* not JSON: the string itself is the message */
    }
    const ack = await conn.session.message(payload);
    if (!ack.ok) this.refuse(conn, ack.error.code);
  }

  /** A native client has no acks: a refused request closes the connection with the reason. */
  private refuse(conn: NativeConnection, code: keyof typeof CLOSE_CODES): void {
    // The socket vanished between reaper rounds: close as the reaper would have.
    if (code === 'socket_not_found') this.close(conn, CLOSE_CODES.expired, 'expired');
    else this.close(conn, CLOSE_CODES[code], code);
  }

  private deliver(conn: NativeConnection, packets: Array<string | Buffer>): void {
    const first = packets[0];
    if (typeof first !== 'string') return;
    const match = EVENT_PACKET.exec(first);
    if (!match?.[1]) return;
    let event: unknown[];
    try {
      event = JSON.parse(match[1]) as unknown[];
    } catch {
      return;
    }
    const [name, payload] = event;
    if (name === 'message') {
      if (conn.ws.readyState === conn.ws.OPEN) conn.ws.send(typeof payload === 'string' ? payload : JSON.stringify(payload));
    } else if (name === 'closed') {
      const reason = (payload as { reason?: CloseReason } | undefined)?.reason ?? 'deleted';
      this.close(conn, CLOSE_CODES[reason] ?? 4001, reason);
    }
  }

  private close(conn: NativeConnection, code: number, reason: string): void {
    if (conn.ws.readyState === conn.ws.OPEN || conn.ws.readyState === conn.ws.CONNECTING) conn.ws.close(code, reason);
  }

  hasRoom(room: string): boolean {
    return this.rooms.has(room);
  }

  apply(opts: { rooms: Set<string>; except?: Set<string> }, callback: (target: AdapterTarget) => void): void {
    for (const conn of this.connections.values()) {
      if (opts.rooms.size && !conn.rooms.some((r) => opts.rooms.has(r))) continue;
      if (opts.except?.size && conn.rooms.some((r) => opts.except?.has(r))) continue;
      callback(conn.target);
    }
  }

  /** Closes every connection with `closed` reason `shutdown`. */
  shutdown(): void {
    clearInterval(this.heartbeat);
    for (const conn of this.connections.values()) this.close(conn, CLOSE_CODES.shutdown, 'shutdown');
  }
}
