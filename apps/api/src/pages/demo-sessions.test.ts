import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildEndpoints, type ClientSocketData } from '@clientsocket/core';
import { contentSecurityPolicy, gatewayOrigins } from './content-security-policy.js';
import { DemoSessions } from './demo-sessions.js';

function socket(id: string): ClientSocketData {
  const now = new Date().toISOString();
  return {
    id,
    pal: 'demo',
    channel: 'demo-chat',
    secure: true,
    clientIp: null,
    renewalIncrement: 1,
    receiverWorkflow: 'chat',
    ...buildEndpoints('http://lb.example:3100', id),
    worker: 'api-1',
    createdAt: now,
    lastAccess: now,
    expiresAt: now,
    messageCount: 0,
    connections: 0,
  };
}

test('demo sessions alternate over the given gateways, or take the one asked for', async () => {
  let n = 0;
  const sessions = new DemoSessions(async () => socket(`id${n++}`), ['http://127.0.0.1:3100', 'https://gw2.example']);
  const a = await sessions.open(null);
  const b = await sessions.open(null);
  const c = await sessions.open(null, 1);
  assert.equal(a.socket.endpoint, 'http://127.0.0.1:3100/?socketId=id0');
  assert.equal(a.socket.wsEndpoint, 'ws://127.0.0.1:3100/ws?socketId=id0');
  assert.equal(a.clientScript, 'http://127.0.0.1:3100/client.js');
  assert.equal(b.socket.endpoint, 'https://gw2.example/?socketId=id1');
  assert.equal(b.socket.wsEndpoint, 'wss://gw2.example/ws?socketId=id1');
  assert.equal(b.gateway, 'gw2.example');
  assert.equal(c.gateway, 'gw2.example');
});

test('without gateways the endpoint is kept as created', async () => {
  const session = await new DemoSessions(async () => socket('x')).open('127.0.0.1', 3);
  assert.equal(session.socket.endpoint, 'http://lb.example:3100/?socketId=x');
  assert.equal(session.gateway, 'lb.example:3100');
  assert.equal(session.clientScript, 'http://lb.example:3100/client.js');
});

test('the demo policy admits the gateways for scripts and connections, and blob workers', () => {
  const csp = contentSecurityPolicy({ ...gatewayOrigins(['https://gw.example/', 'http://127.0.0.1:3101']), workers: true });
  assert.match(csp, /script-src 'self' https:\/\/gw\.example http:\/\/127\.0\.0\.1:3101;/);
  assert.match(csp, /connect-src 'self' https:\/\/gw\.example http:\/\/127\.0\.0\.1:3101 wss:\/\/gw\.example ws:\/\/127\.0\.0\.1:3101;/);
  assert.match(csp, /worker-src blob:/);
  assert.doesNotMatch(contentSecurityPolicy({ scriptOrigins: [], connectOrigins: [], workers: false }), /worker-src|unsafe/);
});
