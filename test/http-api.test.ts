import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, type TestCluster } from './helpers/cluster.js';

/** The HTTP control API's contract (SPEC §3): status codes, error shape, auth, tenancy, limits. */
describe('http api', () => {
  let cluster: TestCluster;
  before(async () => {
    cluster = await startCluster({ name: 'http', gateways: 1, workers: 0, env: { MAX_MESSAGE_BYTES: '100', API_RATE_LIMIT: '1000' } });
  });
  after(() => cluster.stop());

  const fields = (body: { error: { details?: Array<{ field: string }> } }): string[] => (body.error.details ?? []).map((d) => d.field).sort();

  test('create answers 201 with the whole ClientSocket and its defaults', async () => {
    const res = await cluster.request('POST', '/v1/sockets', { channel: 'defaults' });
    assert.equal(res.status, 201);
    const s = res.body;
    assert.deepEqual(Object.keys(s).sort(), ['channel', 'clientIp', 'connections', 'createdAt', 'endpoint', 'expiresAt', 'id', 'lastAccess', 'messageCount', 'pal', 'receiverWorkflow', 'renewalIncrement', 'secure', 'worker', 'wsEndpoint'].sort());
    assert.equal(s.pal, 'acme');
    assert.equal(s.secure, false);
    assert.equal(s.renewalIncrement, 1);
    assert.equal(s.receiverWorkflow, null);
    assert.equal(s.clientIp, null);
    assert.match(s.id, /^[A-Za-z0-9_-]{22}$/);
    assert.match(s.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(Date.parse(s.expiresAt) - Date.parse(s.createdAt), 60_000);
    assert.equal(new URL(s.endpoint).searchParams.get('socketId'), s.id);
    assert.equal(new URL(s.wsEndpoint).protocol, 'ws:');
    assert.match(s.worker, /^api-/);
  });

  test('validation: 400 validation_failed naming each bad field, unknown fields included', async () => {
    const res = await cluster.request('POST', '/v1/sockets', { channel: '', renewalIncrement: 31, receiverWorkflow: 'no spaces', secure: 'yes', extra: 1 });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'validation_failed');
    assert.deepEqual(fields(res.body), ['channel', 'extra', 'receiverWorkflow', 'renewalIncrement', 'secure']);
    for (const bad of [{ channel: 'x'.repeat(256) }, { channel: 'tab\there' }, { channel: 'ok', renewalIncrement: 0 }, { channel: 'ok', renewalIncrement: 1.5 }, { channel: 'ok', clientIp: '999.1.1.1' }, {}]) {
      const r = await cluster.request('POST', '/v1/sockets', bad);
      assert.equal(r.status, 400, JSON.stringify(bad));
    }
    assert.equal((await cluster.request('POST', '/v1/sockets', { channel: 'x'.repeat(255), renewalIncrement: 30 })).status, 201);
    const notJson = await cluster.request('POST', '/v1/sockets', '{"channel":');
    assert.deepEqual([notJson.status, notJson.body.error.code], [400, 'validation_failed']);
    const array = await cluster.request('POST', '/v1/sockets', [1]);
    assert.equal(array.status, 400);
    const badQuery = await cluster.request('GET', '/v1/sockets?limit=0&bogus=1');
    assert.deepEqual(fields(badQuery.body), ['bogus', 'limit']);
    const badCursor = await cluster.request('GET', '/v1/sockets?cursor=nonsense');
    assert.deepEqual(fields(badCursor.body), ['cursor']);
    const msg = await cluster.request('POST', '/v1/channels/c/messages', { message: 'x', extra: true });
    assert.deepEqual(fields(msg.body), ['extra']);
    const missing = await cluster.request('POST', '/v1/channels/c/messages', {});
    assert.deepEqual(fields(missing.body), ['message']);
  });

  test('auth: 401 unauthorized without a key or with an unknown one; health needs none', async () => {
    const none = await fetch(`${cluster.api.url}/v1/sockets`);
    assert.equal(none.status, 401);
    assert.equal(((await none.json()) as { error: { code: string } }).error.code, 'unauthorized');
    assert.equal((await cluster.request('GET', '/v1/sockets', undefined, 'wrong-key-123')).status, 401);
    assert.equal((await fetch(`${cluster.api.url}/healthz`)).status, 200);
    assert.equal((await fetch(`${cluster.api.url}/readyz`)).status, 200);
    const metrics = await (await fetch(`${cluster.api.url}/metrics`)).text();
    assert.match(metrics, /csc_api_request_duration_seconds/);
    assert.match(metrics, /process_cpu_user_seconds_total/);
  });

  test("tenancy: another pal's socket does not exist for it (404 everywhere, never 403)", async () => {
    const mine = (await cluster.request('POST', '/v1/sockets', { channel: 'private' })).body;
    const other = cluster.otherApiKey;
    assert.equal((await cluster.request('GET', `/v1/sockets/${mine.id}`, undefined, other)).status, 404);
    assert.equal((await cluster.request('POST', `/v1/sockets/${mine.id}/messages`, { message: 'x' }, other)).status, 404);
    assert.equal((await cluster.request('DELETE', `/v1/sockets/${mine.id}`, undefined, other)).status, 404);
    const list = (await cluster.request('GET', '/v1/sockets?channel=private', undefined, other)).body;
    assert.deepEqual([list.rows, list.total], [[], 0]);
    const broadcast = await cluster.request('POST', '/v1/channels/private/messages', { message: 'x' }, other);
    assert.deepEqual(broadcast.body, { delivered: 0 });
    assert.equal((await cluster.request('GET', `/v1/sockets/${mine.id}`)).status, 200, 'still there for its owner');
    assert.equal((await cluster.request('GET', '/v1/sockets/AAAAAAAAAAAAAAAAAAAAAA')).status, 404);
    assert.equal((await cluster.request('GET', '/v1/sockets/not-an-id')).body.error.code, 'not_found');
  });

  test('413 payload_too_large past MAX_MESSAGE_BYTES, for pushes and broadcasts', async () => {
    const s = (await cluster.request('POST', '/v1/sockets', { channel: 'big' })).body;
    const big = await cluster.request('POST', `/v1/sockets/${s.id}/messages`, { message: 'x'.repeat(200) });
    assert.deepEqual([big.status, big.body.error.code], [413, 'payload_too_large']);
    const huge = await cluster.request('POST', '/v1/channels/big/messages', { message: 'x'.repeat(100_000) });
    assert.deepEqual([huge.status, huge.body.error.code], [413, 'payload_too_large']);
    const ok = await cluster.request('POST', `/v1/sockets/${s.id}/messages`, { message: { small: [1, 2, 3] } });
    assert.equal(ok.status, 202);
  });

  test('list: columns, cursor paging in creation order, channel filter, total, nextCursor null at the end', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await cluster.request('POST', '/v1/sockets', { channel: `page-${i % 2}` })).body.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `/v1/sockets?channel=page-0&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = (await cluster.request('GET', query)).body;
      assert.equal(page.total, 4);
      assert.ok(page.columns.includes('connections') && page.columns.includes('expiresAt'));
      seen.push(...page.rows.map((r: { id: string; channel: string }) => (assert.equal(r.channel, 'page-0'), r.id)));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    assert.equal(pages, 2);
    assert.deepEqual(seen, ids.filter((_, i) => i % 2 === 0));
    const all = (await cluster.request('GET', '/v1/sockets?limit=1000')).body;
    assert.ok(all.total >= 7);
    assert.equal(all.nextCursor, null);
  });

  test('malformed percent-encoding in a path is a 400, not an internal error', async () => {
    for (const path of ['/v1/channels/%/messages', '/v1/channels/%FF/messages', '/v1/sockets/%E0%A4%A']) {
      const res = await cluster.request(path.startsWith('/v1/channels') ? 'POST' : 'GET', path, path.startsWith('/v1/channels') ? { message: 1 } : undefined);
      assert.deepEqual([res.status, res.body.error.code], [400, 'validation_failed'], path);
    }
  });

  test('a message nested too deeply to serialize is payload_too_large, not internal', async () => {
    const deep = `{"message":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const res = await cluster.request('POST', '/v1/channels/deep/messages', deep);
    assert.equal(res.body.error.code, 'payload_too_large');
  });

  test('unknown routes answer JSON 404', async () => {
    const res = await cluster.request('GET', '/v1/nope');
    assert.deepEqual([res.status, res.body.error.code], [404, 'not_found']);
  });
});

describe('http api rate limit', () => {
  let cluster: TestCluster;
  before(async () => {
    cluster = await startCluster({ name: 'ratelimit', gateways: 1, workers: 0, env: { API_RATE_LIMIT: '5' } });
  });
  after(() => cluster.stop());

  test('429 rate_limited past the per-pal budget, per pal', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => cluster.request('GET', '/v1/sockets')));
    const limited = results.filter((r) => r.status === 429);
    assert.ok(limited.length > 0);
    assert.equal(limited[0]?.body.error.code, 'rate_limited');
    assert.ok(limited[0]?.headers.get('retry-after'));
    assert.ok(results.some((r) => r.status === 200));
    assert.equal((await cluster.request('GET', '/v1/sockets', undefined, cluster.otherApiKey)).status, 200, 'another pal has its own budget');
  });
});
