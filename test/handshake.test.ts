import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, type TestCluster } from './helpers/cluster.js';
import { connectClient, refusal } from './helpers/clients.js';

/** Handshake refusals and IP binding (SPEC §2 secure, §4 refusals). */
describe('handshake and IP binding', () => {
  let cluster: TestCluster;
  before(async () => {
    cluster = await startCluster({ name: 'handshake', gateways: 1, workers: 0 });
  });
  after(() => cluster.stop());

  const endpointFor = (id: string): string => `http://127.0.0.1:${cluster.gateways[0]?.port}/?socketId=${encodeURIComponent(id)}`;

  test('unknown, malformed and missing socket ids are refused with socket_not_found', async () => {
    assert.equal(await refusal(endpointFor('AAAAAAAAAAAAAAAAAAAAAA')), 'socket_not_found');
    assert.equal(await refusal(endpointFor('not an id')), 'socket_not_found');
    assert.equal(await refusal(`http://127.0.0.1:${cluster.gateways[0]?.port}/`), 'socket_not_found');
  });

  test('a deleted socket is refused', async () => {
    const s = (await cluster.request('POST', '/v1/sockets', { channel: 'gone' })).body;
    assert.equal((await cluster.request('DELETE', `/v1/sockets/${s.id}`)).status, 204);
    assert.equal(await refusal(s.endpoint), 'socket_not_found');
  });

  test('secure with a clientIp: another IP is refused with ip_not_allowed and renews nothing', async () => {
    const s = (await cluster.request('POST', '/v1/sockets', { channel: 'bound', secure: true, clientIp: '203.0.113.9' })).body;
    assert.equal(s.clientIp, '203.0.113.9');
    assert.equal(await refusal(s.endpoint, { transports: ['websocket'] }), 'ip_not_allowed');
    assert.equal(await refusal(s.endpoint, { transports: ['polling'] }), 'ip_not_allowed');
    const after = (await cluster.request('GET', `/v1/sockets/${s.id}`)).body;
    assert.equal(after.expiresAt, s.expiresAt, 'a refused connection does not renew');
    assert.equal(after.lastAccess, s.lastAccess);
    assert.equal(after.connections, 0);
  });

  test('an X-Forwarded-For header from an untrusted peer is ignored', async () => {
    const s = (await cluster.request('POST', '/v1/sockets', { channel: 'spoof', secure: true, clientIp: '203.0.113.9' })).body;
    const res = await refusal(s.endpoint, { transports: ['polling'], extraHeaders: { 'x-forwarded-for': '203.0.113.9' } });
    assert.equal(res, 'ip_not_allowed');
  });

  test('secure without a clientIp binds to the first connection, IPv4-mapped IPv6 normalised', async () => {
    const s = (await cluster.request('POST', '/v1/sockets', { channel: 'first', secure: true })).body;
    assert.equal(s.clientIp, null);
    const first = await connectClient(s.endpoint);
    first.close();
    const bound = (await cluster.request('GET', `/v1/sockets/${s.id}`)).body;
    assert.equal(bound.clientIp, '127.0.0.1');
    const second = await connectClient(s.endpoint);
    second.close();
  });

  test('clientIp given as IPv4-mapped IPv6 is stored as IPv4 and matches', async () => {
    const s = (await cluster.request('POST', '/v1/sockets', { channel: 'mapped', secure: true, clientIp: '::ffff:127.0.0.1' })).body;
    assert.equal(s.clientIp, '127.0.0.1');
    const c = await connectClient(s.endpoint);
    c.close();
  });
});

describe('handshake behind trusted proxies', () => {
  let cluster: TestCluster;
  before(async () => {
    cluster = await startCluster({ name: 'proxies', gateways: 1, workers: 0, env: { TRUSTED_PROXIES: '127.0.0.0/8,10.0.0.0/8' } });
  });
  after(() => cluster.stop());

  test('the right-most untrusted X-Forwarded-For address is the client IP', async () => {
    const s = (await cluster.request('POST', '/v1/sockets', { channel: 'proxied', secure: true, clientIp: '198.51.100.7' })).body;
    // The client forged the left-most entry; the proxy chain appended the real one and an internal hop.
    const ok = await connectClient(s.endpoint, { transports: ['polling'], extraHeaders: { 'x-forwarded-for': '203.0.113.1, 198.51.100.7, 10.1.2.3' } });
    ok.close();
    const forged = await refusal(s.endpoint, { transports: ['polling'], extraHeaders: { 'x-forwarded-for': '198.51.100.7, 203.0.113.1' } });
    assert.equal(forged, 'ip_not_allowed');
  });
});
