// Transport behaviour of the SDK that a healthy cluster never shows: refused
// connections, silence, proxies' own error pages, the exact requests sent. A
// real HTTP server on loopback plays the far end; the contract itself is
// checked against real processes by test/conformance.test.ts.
import { describe, test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket as TcpSocket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { ClientSocket, ClientSocketError, newSocketId, type ClientSocketData, type ErrorCode } from '@clientsocket/core';
import { HttpClientSocketManager } from './http-client-socket-manager.js';
import { errorFromFailure, errorFromResponse } from './http-errors.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

function socketData(overrides: Partial<ClientSocketData> = {}): ClientSocketData {
  const id = overrides.id ?? newSocketId();
  return {
    id,
    pal: 'acme',
    channel: 'room',
    secure: false,
    clientIp: null,
    renewalIncrement: 1,
    receiverWorkflow: null,
    endpoint: `http://127.0.0.1:3100/?socketId=${id}`,
    wsEndpoint: `ws://127.0.0.1:3100/ws?socketId=${id}`,
    worker: 'api-test',
    createdAt: '2026-06-12T11:29:00.000Z',
    lastAccess: '2026-06-12T11:29:00.000Z',
    expiresAt: '2026-06-12T11:30:00.000Z',
    messageCount: 0,
    connections: 0,
    ...overrides,
  };
}

async function rejectsWith(promise: Promise<unknown>, code: ErrorCode): Promise<ClientSocketError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ClientSocketError, `expected a ClientSocketError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    return err;
  }
  assert.fail(`expected ${code}, got success`);
}

describe('HttpClientSocketManager options', () => {
  test('refuses a base URL that is not absolute http(s), or carries a query', () => {
    for (const baseUrl of ['not a url', '/v1', 'ftp://127.0.0.1', 'ws://127.0.0.1:3000', 'http://127.0.0.1:3000/?x=1', 'http://127.0.0.1:3000/#f']) {
      assert.throws(
        () => new HttpClientSocketManager({ baseUrl, apiKey: 'key-12345678' }),
        (err: unknown) => err instanceof ClientSocketError && err.code === 'validation_failed' && err.details?.[0]?.field === 'baseUrl',
        baseUrl,
      );
    }
  });

  test('refuses an API key that cannot travel as a Bearer token, and a bad timeout', () => {
    for (const apiKey of ['', 'with space', 'line\nbreak', 'ключ', undefined as unknown as string]) {
      assert.throws(() => new HttpClientSocketManager({ baseUrl: 'http://127.0.0.1:1', apiKey }), (err: unknown) => err instanceof ClientSocketError && err.details?.[0]?.field === 'apiKey');
    }
    for (const timeoutMs of [0, -1, 1.5, Number.NaN]) {
      assert.throws(() => new HttpClientSocketManager({ baseUrl: 'http://127.0.0.1:1', apiKey: 'k', timeoutMs }), (err: unknown) => err instanceof ClientSocketError && err.details?.[0]?.field === 'timeoutMs');
    }
  });
});

describe('HttpClientSocketManager requests and answers', () => {
  let server: Server;
  let baseUrl: string;
  const seen: Seen[] = [];
  let answer: (req: Seen) => { status: number; body?: unknown; raw?: string } = () => ({ status: 500 });

  before(async () => {
    server = createServer((req, res) => {
      let text = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (text += c));
      req.on('end', () => {
        const entry: Seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: text ? (JSON.parse(text) as unknown) : undefined };
        seen.push(entry);
        const { status, body, raw } = answer(entry);
        if (raw !== undefined) {
          res.writeHead(status, { 'content-type': 'text/html' }).end(raw);
        } else if (body === undefined) {
          res.writeHead(status).end();
        } else {
          res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  beforeEach(() => {
    seen.length = 0;
  });

  const manager = (): HttpClientSocketManager => new HttpClientSocketManager({ baseUrl, apiKey: 'key-of-acme' });

  test('createClientSocket posts the resolved overload with the Bearer key and wraps the answer', async () => {
    const data = socketData({ channel: 'room', secure: true, renewalIncrement: 5, receiverWorkflow: 'echo', clientIp: '203.0.113.9' });
    answer = () => ({ status: 201, body: data });
    const socket = await manager().createClientSocket('echo', 'room', true, 5, { clientIp: '203.0.113.9' });
    assert.ok(socket instanceof ClientSocket);
    assert.deepEqual(socket.toJSON(), data);
    assert.equal(seen.length, 1);
    const [req] = seen;
    assert.equal(req?.method, 'POST');
    assert.equal(req?.url, '/v1/sockets');
    assert.equal(req?.headers.authorization, 'Bearer key-of-acme');
    assert.equal(req?.headers['content-type'], 'application/json');
    assert.deepEqual(req?.body, { receiverWorkflow: 'echo', channel: 'room', secure: true, renewalIncrement: 5, clientIp: '203.0.113.9' });

    await manager().createClientSocket('room');
    assert.deepEqual(seen[1]?.body, { channel: 'room', secure: false, renewalIncrement: 1, receiverWorkflow: null, clientIp: null });
    await manager().createClientSocket({ channel: 'room', renewalIncrement: 3 });
    assert.deepEqual(seen[2]?.body, { channel: 'room', renewalIncrement: 3 });
  });

  test('input the specification fixes is refused locally, without a request', async () => {
    answer = () => ({ status: 201, body: socketData() });
    const m = manager();
    await rejectsWith(m.createClientSocket(''), 'validation_failed');
    await rejectsWith(m.createClientSocket('room', false, 31), 'validation_failed');
    await rejectsWith(m.createClientSocket({ channel: 'room', extra: 1 } as never), 'validation_failed');
    await rejectsWith(m.getSockets({ limit: 0 }), 'validation_failed');
    await rejectsWith(m.sendChannelMessage('a\nb', 'x'), 'validation_failed');
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    await rejectsWith(m.sendMessage(newSocketId(), cyclic as never), 'validation_failed');
    await rejectsWith(m.sendMessage(newSocketId(), { n: 1n } as never), 'validation_failed');
    assert.equal(await m.getClientSocket('../../admin'), null);
    assert.equal(await m.deleteClientSocket('not-an-id'), false);
    await rejectsWith(m.sendMessage('not-an-id', 'x'), 'not_found');
    assert.equal(seen.length, 0);
  });

  test('404 is null for getClientSocket and false for deleteClientSocket; other errors still throw', async () => {
    const m = manager();
    const id = newSocketId();
    answer = () => ({ status: 404, body: { error: { code: 'not_found', message: 'No such socket' } } });
    assert.equal(await m.getClientSocket(id), null);
    assert.equal(await m.deleteClientSocket(id), false);
    await rejectsWith(m.sendMessage(id, 'x'), 'not_found');
    assert.deepEqual(
      seen.map((s) => `${s.method} ${s.url}`),
      [`GET /v1/sockets/${id}`, `DELETE /v1/sockets/${id}`, `POST /v1/sockets/${id}/messages`],
    );

    answer = () => ({ status: 503, body: { error: { code: 'unavailable', message: 'Storage is unavailable; retry shortly' } } });
    const err = await rejectsWith(m.getClientSocket(id), 'unavailable');
    assert.equal(err.retryable, true);
    await rejectsWith(m.deleteClientSocket(id), 'unavailable');

    answer = () => ({ status: 204 });
    assert.equal(await m.deleteClientSocket(id), true);
  });

  test('the server error comes back with its code, message and per-field details', async () => {
    const details = [{ field: 'channel', message: 'must not be empty' }];
    answer = () => ({ status: 400, body: { error: { code: 'validation_failed', message: 'Invalid request: channel', details } } });
    const err = await rejectsWith(manager().getSockets({ channel: 'room' }), 'validation_failed');
    assert.equal(err.message, 'Invalid request: channel');
    assert.deepEqual(err.details, details);
    assert.equal(err.retryable, false);

    answer = () => ({ status: 429, body: { error: { code: 'rate_limited', message: 'slow down' } } });
    assert.equal((await rejectsWith(manager().sendMessage(newSocketId(), 'x'), 'rate_limited')).retryable, true);
    answer = () => ({ status: 413, body: { error: { code: 'payload_too_large', message: 'too big' } } });
    await rejectsWith(manager().sendChannelMessage('room', 'x'), 'payload_too_large');
  });

  test("answers that are not the API's own fall back on their status", async () => {
    answer = () => ({ status: 502, raw: '<html>Bad Gateway</html>' });
    await rejectsWith(manager().getSockets(), 'unavailable');
    answer = () => ({ status: 504, raw: '' });
    await rejectsWith(manager().getSockets(), 'unavailable');
    answer = () => ({ status: 500, body: { error: { code: 'something_new', message: 'from a newer server' } } });
    const err = await rejectsWith(manager().getSockets(), 'internal');
    assert.equal(err.message, 'from a newer server');
    answer = () => ({ status: 418, raw: 'teapot' });
    await rejectsWith(manager().getSockets(), 'internal');
  });

  test('getSockets sends its paging as a query and wraps every row', async () => {
    const rows = [socketData(), socketData()];
    answer = () => ({ status: 200, body: { columns: ['id'], rows, total: 7, nextCursor: 'c1.next' } });
    const view = await manager().getSockets({ channel: 'a b/c&d', limit: 2, cursor: 'c1.abc' });
    assert.equal(view.total, 7);
    assert.equal(view.nextCursor, 'c1.next');
    assert.deepEqual(view.columns, ['id']);
    assert.ok(view.rows.every((r) => r instanceof ClientSocket));
    assert.deepEqual(view.rows.map((r) => r.toJSON()), rows);
    const url = new URL(seen[0]?.url ?? '', baseUrl);
    assert.equal(url.pathname, '/v1/sockets');
    assert.deepEqual(Object.fromEntries(url.searchParams), { channel: 'a b/c&d', limit: '2', cursor: 'c1.abc' });

    await manager().getSockets();
    assert.equal(seen[1]?.url, '/v1/sockets?limit=100');
  });

  test('messages travel as {message} and answer the delivered count; channels are one encoded path segment', async () => {
    answer = () => ({ status: 202, body: { delivered: 3 } });
    const id = newSocketId();
    assert.equal(await manager().sendMessage(id, { a: [1, 'two'] }), 3);
    assert.deepEqual(seen[0]?.body, { message: { a: [1, 'two'] } });
    assert.equal(await manager().sendChannelMessage('room/7 ?#%', null), 3);
    assert.equal(seen[1]?.url, '/v1/channels/room%2F7%20%3F%23%25/messages');
    assert.deepEqual(seen[1]?.body, { message: null });
    await rejectsWith(manager().sendChannelMessage('..', 'x'), 'validation_failed');
    assert.equal(seen.length, 2);

    // A ClientSocket from this manager sends through it.
    answer = () => ({ status: 201, body: socketData({ id }) });
    const socket = await manager().createClientSocket('room');
    answer = () => ({ status: 202, body: { delivered: 1 } });
    assert.equal(await socket.sendMessage('hi'), 1);
    assert.equal(seen[3]?.url, `/v1/sockets/${id}/messages`);
  });

  test('a base path (an api behind a path-routing proxy) prefixes every route', async () => {
    answer = () => ({ status: 200, body: { columns: [], rows: [], total: 0, nextCursor: null } });
    await new HttpClientSocketManager({ baseUrl: `${baseUrl}/cs/`, apiKey: 'k' }).getSockets();
    assert.equal(seen[0]?.url, '/cs/v1/sockets?limit=100');
  });
});

describe('HttpClientSocketManager without an answer', () => {
  let silent: TcpServer;
  const held: TcpSocket[] = [];

  before(async () => {
    // Accepts and then says nothing: a hung proxy or a stuck node.
    silent = createTcpServer((s) => held.push(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  });

  after(async () => {
    for (const s of held) s.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  test('a refused connection is unavailable and retryable', async () => {
    // The port of a server that was just closed: nothing listens there.
    const closed = createTcpServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const m = new HttpClientSocketManager({ baseUrl: `http://127.0.0.1:${port}`, apiKey: 'k' });
    const err = await rejectsWith(m.getSockets(), 'unavailable');
    assert.equal(err.retryable, true);
    assert.ok(err.cause !== undefined);
    await rejectsWith(m.getClientSocket(newSocketId()), 'unavailable');
    await rejectsWith(m.deleteClientSocket(newSocketId()), 'unavailable');
  });

  test('no answer within timeoutMs is unavailable, never a hang', async () => {
    const { port } = silent.address() as AddressInfo;
    const m = new HttpClientSocketManager({ baseUrl: `http://127.0.0.1:${port}`, apiKey: 'k', timeoutMs: 200 });
    const err = await rejectsWith(m.createClientSocket('room'), 'unavailable');
    assert.match(err.message, /within 200 ms/);
    assert.equal(err.retryable, true);
  });
});

describe('error mapping', () => {
  test('errorFromResponse keeps a known code, else derives one from the status', () => {
    assert.equal(errorFromResponse(404, { error: { code: 'not_found', message: 'x' } }).code, 'not_found');
    assert.equal(errorFromResponse(400, { error: { message: 'no code' } }).code, 'validation_failed');
    assert.equal(errorFromResponse(401, 'Unauthorized').code, 'unauthorized');
    assert.equal(errorFromResponse(503, null).code, 'unavailable');
    assert.equal(errorFromResponse(500, { error: 'a string' }).code, 'internal');
    const malformedDetails = errorFromResponse(400, { error: { code: 'validation_failed', message: 'm', details: [{ nope: 1 }] } });
    assert.equal(malformedDetails.details, undefined);
  });

  test('errorFromFailure is always unavailable and keeps the cause', () => {
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    const t = errorFromFailure(timeout, 1500);
    assert.equal(t.code, 'unavailable');
    assert.match(t.message, /1500 ms/);
    assert.equal(t.cause, timeout);
    const refused = new TypeError('fetch failed');
    assert.equal(errorFromFailure(refused, 1).code, 'unavailable');
    assert.equal(errorFromFailure(refused, 1).cause, refused);
  });
});
