import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { io } from 'socket.io-client';
import { buildEndpoints } from './endpoints.js';
import { newSocketId } from './ids.js';

/** The namespace a client asks for (not in socket.io-client's typings, but what it sends). */
function namespaceOf(client: ReturnType<typeof io>): string {
  return (client as unknown as { nsp: string }).nsp;
}

describe('buildEndpoints', () => {
  const id = newSocketId();

  test('http origin: a Socket.IO endpoint at / and a ws:// endpoint at /ws, both carrying the id', () => {
    const { endpoint, wsEndpoint } = buildEndpoints('http://127.0.0.1:3100', id);
    assert.equal(endpoint, `http://127.0.0.1:3100/?socketId=${id}`);
    assert.equal(wsEndpoint, `ws://127.0.0.1:3100/ws?socketId=${id}`);
  });

  test('https origin gives wss://; a trailing slash changes nothing', () => {
    for (const origin of ['https://gw.example.com', 'https://gw.example.com/']) {
      const { endpoint, wsEndpoint } = buildEndpoints(origin, id);
      assert.equal(endpoint, `https://gw.example.com/?socketId=${id}`);
      assert.equal(wsEndpoint, `wss://gw.example.com/ws?socketId=${id}`);
    }
  });

  test('the id needs no escaping (URL-safe), so it reads back unchanged', () => {
    for (let i = 0; i < 200; i++) {
      const each = newSocketId();
      const { endpoint, wsEndpoint } = buildEndpoints('http://h', each);
      assert.equal(new URL(endpoint).searchParams.get('socketId'), each);
      assert.equal(new URL(wsEndpoint).searchParams.get('socketId'), each);
      assert.ok(endpoint.endsWith(each));
    }
  });

  test('a base path is kept for both URLs', () => {
    const { endpoint, wsEndpoint } = buildEndpoints('https://example.com/gateway/', id);
    assert.equal(new URL(endpoint).pathname, '/gateway/');
    assert.equal(new URL(wsEndpoint).pathname, '/gateway/ws');
  });

  test('io(endpoint) of the official client takes the default namespace and engine path', () => {
    const client = io(buildEndpoints('https://gw.example.com', id).endpoint, { autoConnect: false });
    assert.equal(namespaceOf(client), '/');
    assert.equal(client.io.opts.path, '/socket.io');
  });
});
