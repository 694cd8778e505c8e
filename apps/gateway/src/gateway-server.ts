import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { ClientSocketError, isSocketId, resolveClientIp, toClientSocketError } from '@clientsocket/core';
import type { Config } from '@clientsocket/config';
import type { Logger, Registry } from '@clientsocket/observability';
import { renderMetrics } from '@clientsocket/observability';
import type { InboundProducer } from '@clientsocket/queue';
import { channelRoom, createRedisClient, closeRedis, socketRoom, type ClusterContext, type RedisClient } from '@clientsocket/store';
import { ClientSession, createClientLimiter, type SessionDeps } from './client-session.js';
import { createGatewayMetrics } from './gateway-metrics.js';
import { createNativeAwareAdapter } from './native-aware-adapter.js';
import { NativeWsGateway } from './native-ws.js';

export interface GatewayOptions {
  config: Config;
  context: ClusterContext;
  producer: InboundProducer;
  log: Logger;
  registry: Registry;
  /** Serves the browser client script at `/client.js` when given. */
  clientScript?: () => Promise<string>;
}

interface SocketData {
  session: ClientSession;
}

/**
 * One gateway node: an HTTP server carrying Socket.IO (both transports),
 * the native WebSocket endpoint, and `/healthz`, `/readyz`, `/metrics`.
 */
export class Gateway {
  readonly http: HttpServer;
  readonly io: Server;
  private readonly native: NativeWsGateway;
  private readonly subscriber: RedisClient;
  private readonly pending = new Set<Promise<unknown>>();
  private draining = false;

  constructor(private readonly opts: GatewayOptions) {
    const { config, context, log } = opts;
    const metrics = createGatewayMetrics(opts.registry);
    const deps: SessionDeps = {
      store: context.store,
      producer: opts.producer,
      maxMessageBytes: config.MAX_MESSAGE_BYTES,
      limiter: createClientLimiter(config.CLIENT_RATE_LIMIT),
      metrics,
      onError: (err, where) => log.warn({ err, where }, 'client request failed'),
    };
    // Frames up to 4x the message limit are read and refused with payload_too_large; only beyond that does the transport drop the connection.
    const maxFrame = Math.max(1_000_000, config.MAX_MESSAGE_BYTES * 4 + 16_384);

    this.http = createServer((req, res) => void this.route(req, res));
    this.subscriber = createRedisClient(config, 'subscriber', 'adapter-sub');
    this.subscriber.on('error', (err: unknown) => log.warn({ err }, 'redis subscriber error'));
    this.native = new NativeWsGateway(
      {
        ...deps,
        nodeId: context.nodeId,
        trustedProxies: config.TRUSTED_PROXIES,
        onConnectionChange: (d) => metrics.connections.inc({ transport: 'websocket-native' }, d),
        track: (p) => this.track(p),
      },
      maxFrame,
    );
    this.io = new Server(this.http, {
      cors: { origin: true, credentials: false },
      maxHttpBufferSize: maxFrame,
      // Leave upgrades on other paths (/ws) to the native endpoint.
      destroyUpgrade: false,
      adapter: createNativeAwareAdapter(context.publisher, this.subscriber, context.keys.socketIoKey(), this.native),
    });

    this.http.on('upgrade', (req: IncomingMessage, socket, head: Buffer) => {
      const path = (req.url ?? '/').split('?')[0];
      if (path === '/socket.io/') return; // engine.io's own listener answers these
      if (path !== '/ws' || this.draining) {
        // Never leave an upgrade unanswered: an idle half-open request would hold a connection (and a drain) open.
        socket.end(`HTTP/1.1 ${this.draining ? '503 Service Unavailable' : '404 Not Found'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
        return;
      }
      this.native.handleUpgrade(req, socket, head);
    });

    this.io.use((socket, next) => {
      const socketId = socket.handshake.query['socketId'];
      const ip = resolveClientIp(socket.handshake.address, socket.handshake.headers['x-forwarded-for'], config.TRUSTED_PROXIES) ?? '';
      const transport = socket.conn.transport.name;
      const refuse = (err: unknown): void => {
        const e = toClientSocketError(err);
        metrics.handshakes.inc({ transport, result: e.code });
        if (e.code === 'internal') log.error({ err }, 'handshake failed');
        next(new Error(e.code === 'internal' ? 'unavailable' : e.code));
      };
      if (this.draining) return refuse(new ClientSocketError('unavailable', 'Node is shutting down'));
      if (!isSocketId(socketId)) return refuse(new ClientSocketError('socket_not_found', 'No such socket'));
      context.store.connect(socketId, ip, context.nodeId).then(
        (accepted) => {
          const data = socket.data as SocketData;
          data.session = new ClientSession(socketId, accepted.pal, accepted.channel, deps);
          metrics.handshakes.inc({ transport, result: 'ok' });
          next();
        },
        refuse,
      );
    });

    this.io.on('connection', (socket: Socket) => {
      const { session } = socket.data as SocketData;
      void socket.join([socketRoom(session.socketId), channelRoom(session.pal, session.channel)]);
      metrics.connections.inc({ transport: 'socket.io' });
      socket.on('ping', (...args: unknown[]) => {
        const ack = args.find((a) => typeof a === 'function') as ((r: unknown) => void) | undefined;
        void session.ping().then((r) => {
          ack?.(r);
          if (!r.ok && r.error.code === 'socket_not_found') this.closeGone(socket);
        });
      });
      socket.on('message', (...args: unknown[]) => {
        const ack = typeof args[args.length - 1] === 'function' ? (args.pop() as (r: unknown) => void) : undefined;
        void session.message(args[0]).then((r) => {
          ack?.(r);
          if (!r.ok && r.error.code === 'socket_not_found') this.closeGone(socket);
        });
      });
      socket.on('disconnect', () => {
        metrics.connections.dec({ transport: 'socket.io' });
        this.track(context.store.disconnect(session.socketId, context.nodeId).catch((err) => log.warn({ err }, 'connection uncount failed')));
      });
    });
  }

  /** A connection whose socket vanished between reaper rounds: tell it, then drop it. */
  private closeGone(socket: Socket): void {
    socket.emit('closed', { reason: 'expired' });
    socket.disconnect(true);
  }

  private track(p: Promise<unknown>): void {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    try {
      if (path === '/healthz') return send(res, 200, 'application/json', JSON.stringify({ ok: true }));
      if (path === '/readyz') {
        const ready = !this.draining && (await this.opts.context.ready());
        return send(res, ready ? 200 : 503, 'application/json', JSON.stringify({ ok: ready }));
      }
      if (path === '/metrics') {
        const [type, body] = await renderMetrics(this.opts.registry);
        return send(res, 200, type, body);
      }
      if (path === '/client.js' && this.opts.clientScript) {
        return send(res, 200, 'application/javascript; charset=utf-8', await this.opts.clientScript(), { 'cache-control': 'public, max-age=300', 'access-control-allow-origin': '*' });
      }
      send(res, 404, 'application/json', JSON.stringify({ error: { code: 'not_found', message: 'Not found' } }));
    } catch (err) {
      this.opts.log.error({ err, path }, 'request failed');
      send(res, 500, 'application/json', JSON.stringify({ error: { code: 'internal', message: 'Internal error' } }));
    }
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(port, host, () => {
        const addr = this.http.address();
        resolve(typeof addr === 'object' && addr ? addr.port : port);
      });
    });
  }

  /**
   * Graceful stop: refuse new clients, tell every connected one
   * `closed {reason:"shutdown"}` (they reconnect elsewhere), uncount them in
   * Redis, then close. Bounded by `graceMs`.
   */
  async drain(graceMs: number): Promise<void> {
    this.draining = true;
    this.io.local.emit('closed', { reason: 'shutdown' });
    this.native.shutdown();
    this.io.local.disconnectSockets(true);
    const deadline = Date.now() + graceMs;
    while ((this.pending.size || this.native.size) && Date.now() < deadline) {
      await Promise.race([Promise.allSettled([...this.pending]), new Promise((r) => setTimeout(r, 50))]);
    }
    await new Promise<void>((resolve) => {
      this.io.close(() => resolve());
      // Every client has been told; idle keep-alive sockets (health checks, finished polls) must not hold the exit.
      this.http.closeAllConnections();
      setTimeout(resolve, Math.max(0, deadline - Date.now())).unref();
    });
    await closeRedis(this.subscriber);
  }
}

function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, ...headers });
  res.end(body);
}
