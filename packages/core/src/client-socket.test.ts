import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ClientSocket, SOCKET_COLUMNS, type ClientSocketData, type MessageSender } from './client-socket.js';
import type { Message } from './message.js';

const data: ClientSocketData = {
  id: 'AAAAAAAAAAAAAAAAAAAAAA',
  pal: 'acme',
  channel: 'room "7"',
  secure: true,
  clientIp: '203.0.113.9',
  renewalIncrement: 5,
  receiverWorkflow: 'echo',
  endpoint: 'http://127.0.0.1:3100/?socketId=AAAAAAAAAAAAAAAAAAAAAA',
  wsEndpoint: 'ws://127.0.0.1:3100/ws?socketId=AAAAAAAAAAAAAAAAAAAAAA',
  worker: 'api-1',
  createdAt: '2026-06-12T11:29:00.000Z',
  lastAccess: '2026-06-12T11:29:30.123Z',
  expiresAt: '2026-06-12T11:34:30.123Z',
  messageCount: 3,
  connections: 2,
};

describe('ClientSocket', () => {
  test("the seed's getters read the snapshot", () => {
    const socket = new ClientSocket(data, { sendMessage: async () => 0 });
    assert.equal(socket.getId(), data.id);
    assert.equal(socket.getChannel(), data.channel);
    assert.equal(socket.getEndpoint(), data.endpoint);
    assert.equal(socket.getWsEndpoint(), data.wsEndpoint);
    assert.equal(socket.getLastAccess().toISOString(), data.lastAccess);
    assert.equal(socket.getExpiresAt().toISOString(), data.expiresAt);
    assert.equal(socket.getMessageCount(), 3);
    assert.equal(socket.getWorker(), 'api-1');
    assert.equal(socket.isSecure(), true);
    assert.equal(socket.getReceiverWorkflow(), 'echo');
    assert.equal(socket.getConnections(), 2);
  });

  test('toJSON is the wire shape, in SOCKET_COLUMNS, and a copy', () => {
    const socket = new ClientSocket(data, { sendMessage: async () => 0 });
    const json = socket.toJSON();
    assert.deepEqual(json, data);
    assert.deepEqual(Object.keys(json).sort(), [...SOCKET_COLUMNS].sort());
    json.channel = 'changed';
    assert.equal(socket.getChannel(), data.channel);
    assert.equal(socket.getLastAccess() === socket.getLastAccess(), false);
  });

  test('toString names the socket, with the channel quoted', () => {
    const text = String(new ClientSocket(data, { sendMessage: async () => 0 }));
    assert.ok(text.startsWith('ClientSocket('));
    assert.ok(text.includes(`id=${data.id}`));
    assert.ok(text.includes('channel="room \\"7\\""'));
    assert.ok(text.includes('receiverWorkflow=echo'));
  });

  test('sendMessage goes through the manager that made it, for this id', async () => {
    const sent: Array<[string, Message]> = [];
    const sender: MessageSender = {
      sendMessage: async (id, message) => {
        sent.push([id, message]);
        return 7;
      },
    };
    assert.equal(await new ClientSocket(data, sender).sendMessage({ hi: 1 }), 7);
    assert.deepEqual(sent, [[data.id, { hi: 1 }]]);
  });
});
