import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { Server, type Socket as ServerSocket } from 'socket.io';
import { connect, type ClientSocketConnection, type ConnectionState, type StateDetail } from './connection.js';
import { SendError } from './send-error.js';

/**
 * The gateway's side of the protocol, reduced to what the client reacts to:
 * handshake refusals by socket id, ping and message acks, `closed` then a
 * server-side disconnect. The real gateway is exercised by the browser suite.
 */
let http: HttpServer;
let io: Server;
let url: string;
const live = new Map<string, ServerSocket>();

before(async () => {
  http = createServer();
  io = new Server(http);
  io.use((socket, next) => {
    const id = String(socket.handshake.query['socketId'] ?? '');
    next(id.startsWith('gone') ? new Error('socket_not_found') : id.startsWith('foreign') ? new Error('ip_not_allowed') : undefined);
  });
  io.on('connection', (socket) => {
    const id = String(socket.handshake.query['socketId']);
    live.set(id, socket);
    socket.on('ping', (ack?: (a: unknown) => void) => ack?.({ ok: true, expiresAt: new Date(Date.UTC(2030, 0, 1)).toISOString() }));
    socket.on('message', (message: unknown, ack?: (a: unknown) => void) => {
      if (message === 'refuse-me') ack?.({ ok: false, error: { code: 'no_receiver' } });
      else if (message !== 'never-acked') ack?.({ ok: true, id: `job-${JSON.stringify(message)}` });
    });
    socket.on('disconnect', () => live.get(id) === socket && live.delete(id));
  });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

after(async () => {
  io.disconnectSockets(true);
  await io.close();
});

interface Recorded {
  connection: ClientSocketConnection;
  states: Array<{ state: ConnectionState; detail: StateDetail }>;
  messages: unknown[];
  closed: unknown[];
  /** Resolves at the next change to `state` (after those already seen). */
  next(state: ConnectionState): Promise<StateDetail>;
}

function open(socketId: string, options: Parameters<typeof connect>[2] = {}): Recorded {
  const states: Recorded['states'] = [];
  const waiters: Array<{ state: ConnectionState; resolve: (d: StateDetail) => void }> = [];
  const messages: unknown[] = [];
  const closed: unknown[] = [];
  const connection = connect(
    `${url}/?socketId=${socketId}`,
    {
      state: (state, detail) => {
        states.push({ state, detail });
        const i = waiters.findIndex((w) => w.state === state);
        if (i >= 0) waiters.splice(i, 1)[0]!.resolve(detail);
      },
      message: (m) => messages.push(m),
      closed: (e) => closed.push(e),
    },
    // WebSocket only: a server closing a long-polling transport keeps a 30 s timer that would hold the test process.
    { ackTimeoutMs: 2000, reconnectionDelayMs: 50, reconnectionDelayMaxMs: 200, socketOptions: { transports: ['websocket'] }, ...options },
  );
  return {
    connection,
    states,
    messages,
    closed,
    next: (state) => new Promise((resolve) => waiters.push({ state, resolve })),
  };
}

test('send resolves with the ack, and rejects with the gateway code or a timeout', async () => {
  const c = open('sender');
  try {
    // Called before the connection is up: it waits for it.
    assert.deepEqual(await c.connection.send({ a: 1 }), { ok: true, id: 'job-{"a":1}' });
    await assert.rejects(c.connection.send('refuse-me'), (err: unknown) => err instanceof SendError && err.code === 'no_receiver' && !err.retryable);
    await assert.rejects(c.connection.send('never-acked'), (err: unknown) => err instanceof SendError && err.code === 'timeout' && err.retryable);
  } finally {
    c.connection.close();
  }
});

test('ping acks set expiresAt; without a Worker the keep-alive runs on the main clock', async () => {
  const c = open('pinger');
  try {
    const expiresAt = await c.connection.ping();
    assert.equal(expiresAt.toISOString(), '2030-01-01T00:00:00.000Z');
    assert.equal(c.connection.expiresAt?.toISOString(), '2030-01-01T00:00:00.000Z');
    assert.equal(c.connection.timerKind, 'main');
  } finally {
    c.connection.close();
  }
  assert.equal(c.connection.state, 'closed');
  assert.equal(c.connection.closeReason, 'client');
  await assert.rejects(c.connection.send('late'), (err: unknown) => err instanceof SendError && err.code === 'closed');
});

test('a refused handshake ends the connection with the refusal as reason', async () => {
  for (const [id, reason] of [
    ['gone-1', 'socket_not_found'],
    ['foreign-1', 'ip_not_allowed'],
  ] as const) {
    const c = open(id);
    assert.equal((await c.next('closed')).reason, reason);
    assert.equal(c.connection.closeReason, reason);
  }
});

test('closed {deleted} ends the connection; closed {shutdown} is followed by a reconnection', async () => {
  const deleted = open('to-delete');
  await deleted.next('connected');
  const d = live.get('to-delete')!;
  d.emit('closed', { reason: 'deleted' });
  d.disconnect(true);
  assert.equal((await deleted.next('closed')).reason, 'deleted');
  assert.deepEqual(deleted.closed, [{ reason: 'deleted' }]);

  const drained = open('to-drain');
  await drained.next('connected');
  const s = live.get('to-drain')!;
  s.emit('message', 'before');
  s.emit('closed', { reason: 'shutdown' });
  s.disconnect(true);
  assert.equal((await drained.next('reconnecting')).reason, 'shutdown');
  await drained.next('connected');
  live.get('to-drain')!.emit('message', 'after');
  await drained.connection.ping();
  assert.deepEqual(drained.messages, ['before', 'after']);
  assert.deepEqual(drained.closed, [{ reason: 'shutdown' }]);
  drained.connection.close();
});

test('a dropped transport reconnects by itself', async () => {
  const c = open('dropped');
  try {
    await c.next('connected');
    live.get('dropped')!.conn.close();
    assert.equal((await c.next('reconnecting')).reason, 'transport close');
    await c.next('connected');
    assert.deepEqual(await c.connection.send('again'), { ok: true, id: 'job-"again"' });
  } finally {
    c.connection.close();
  }
});
