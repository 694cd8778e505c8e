/**
 * The baseline the bench compares against: what a user would build without
 * this product. A bare Socket.IO server joined to its peers with
 * @socket.io/redis-adapter; a client names its room in the query and is in.
 * No socket metadata, no auth, no expiry, no queue: `message` is answered
 * inline (acked, and echoed back on the same connection, as an echo handler
 * would do without a queue).
 *
 * Env: PORT, REDIS_URL, SIO_KEY.
 */
import { createServer } from 'node:http';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { createAdapter } from '@socket.io/redis-adapter';

const port = Number(process.env.PORT ?? 0);
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const key = process.env.SIO_KEY ?? 'baseline:sio';
const pal = 'bench';

const pub = new Redis(redisUrl);
const sub = pub.duplicate();
const http = createServer((req, res) => {
  if (req.url === '/healthz') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    return;
  }
  res.writeHead(404).end();
});
const io = new Server(http, { adapter: createAdapter(pub, sub, { key }) });

io.on('connection', (socket) => {
  const room = socket.handshake.query.room;
  const channel = socket.handshake.query.channel;
  if (typeof room === 'string') void socket.join(`s:${room}`);
  if (typeof channel === 'string') void socket.join(`c:${pal}:${channel}`);
  socket.on('ping', (...args: unknown[]) => {
    const ack = args[args.length - 1];
    if (typeof ack === 'function') ack({ ok: true, expiresAt: null });
  });
  socket.on('message', (payload: unknown, ack?: unknown) => {
    if (typeof ack === 'function') ack({ ok: true });
    socket.emit('message', payload);
  });
});

http.listen(port, '127.0.0.1', () => {
  const address = http.address();
  process.stdout.write(`${JSON.stringify({ level: 'info', role: 'baseline-gateway', msg: 'listening', port: typeof address === 'object' && address ? address.port : port })}\n`);
});

process.on('SIGTERM', () => {
  void io.close();
  pub.disconnect();
  sub.disconnect();
  process.exit(0);
});
