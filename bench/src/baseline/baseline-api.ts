/**
 * The baseline's control endpoint: the smallest express service a user would
 * write to push from their backend, publishing with @socket.io/redis-emitter
 * straight to the room. No auth, no rate limit, no lookup of the socket.
 *
 * Env: PORT, REDIS_URL, SIO_KEY.
 */
import express from 'express';
import { Redis } from 'ioredis';
import { Emitter } from '@socket.io/redis-emitter';

const port = Number(process.env.PORT ?? 0);
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const emitter = new Emitter(redis, { key: process.env.SIO_KEY ?? 'baseline:sio' });
const pal = 'bench';

const app = express();
app.use(express.json({ limit: '64kb' }));
app.get('/healthz', (_req, res) => {
  res.json({ ok: true });
});
app.post('/v1/sockets/:id/messages', (req, res) => {
  emitter.to(`s:${req.params.id}`).emit('message', (req.body as { message?: unknown }).message);
  res.status(202).json({ delivered: null });
});
app.post('/v1/channels/:channel/messages', (req, res) => {
  emitter.to(`c:${pal}:${req.params.channel}`).emit('message', (req.body as { message?: unknown }).message);
  res.status(202).json({ delivered: null });
});

const server = app.listen(port, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ level: 'info', role: 'baseline-api', msg: 'listening', port: typeof address === 'object' && address ? address.port : port })}\n`);
});

process.on('SIGTERM', () => {
  server.close();
  redis.disconnect();
  process.exit(0);
});
