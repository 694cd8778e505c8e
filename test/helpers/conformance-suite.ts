import { randomBytes } from 'node:crypto';
import { describe, test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { Socket } from 'socket.io-client';
import { ClientSocket, ClientSocketError, isClientSocketError, newSocketId, SOCKET_COLUMNS, type ClientSocketManager, type ErrorCode, type Message } from '@clientsocket/core';
import { collect, connectClient, nextEvent, refusal } from './clients.js';

/** What one implementation under test brings: managers of two pals of one running cluster. */
export interface ConformanceTarget {
  /** The manager of the pal under test. */
  manager: ClientSocketManager;
  /** The manager of another pal of the same cluster, for tenancy. */
  otherManager: ClientSocketManager;
  /** `MAX_MESSAGE_BYTES` of that cluster. */
  maxMessageBytes: number;
  /** `RENEWAL_MINUTE_MS` of that cluster. */
  renewalMinuteMs: number;
  /** Releases what the target opened (not the cluster). */
  close(): Promise<void>;
}

/** A channel no other test uses, so listings and channel pushes see only this test's sockets. */
function channel(name: string): string {
  return `${name}-${randomBytes(4).toString('hex')}`;
}

/** Asserts that `promise` rejects with a ClientSocketError of `code` (naming `field` in its details, when given). */
async function rejectsWith(promise: Promise<unknown>, code: ErrorCode, field?: string): Promise<ClientSocketError> {
  let caught: unknown;
  try {
    await promise;
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof ClientSocketError, `expected a ClientSocketError ${code}, got ${caught === undefined ? 'success' : String(caught)}`);
  assert.equal(caught.code, code, `expected ${code}, got ${caught.code}: ${caught.message}`);
  if (field !== undefined) {
    assert.ok(
      caught.details?.some((d) => d.field === field),
      `expected details naming ${field}, got ${JSON.stringify(caught.details)}`,
    );
  }
  return caught;
}

function ids(rows: ClientSocket[]): string[] {
  return rows.map((r) => r.getId()).sort();
}

/**
 * The ClientSocketManager contract (SPEC §2-§3, the seed's semantics), run
 * unchanged against every implementation: the HTTP SDK and the in-cluster
 * manager must be indistinguishable to a caller. Browser-side checks use the
 * official socket.io-client against the target cluster's gateways.
 *
 * @param name label of the implementation in the test report
 * @param makeManager builds the managers once the cluster is up (called in `before`)
 *
 * @example
 * conformanceSuite('HttpClientSocketManager', async () => ({ manager, otherManager, maxMessageBytes, renewalMinuteMs, close }));
 */
export function conformanceSuite(name: string, makeManager: () => Promise<ConformanceTarget>): void {
  describe(`ClientSocketManager conformance: ${name}`, () => {
    let target: ConformanceTarget;
    let manager: ClientSocketManager;
    let otherManager: ClientSocketManager;
    const clients: Socket[] = [];

    /** A connected browser client for `socket`, closed after the test. */
    const connect = async (socket: ClientSocket): Promise<Socket> => {
      const client = await connectClient(socket.getEndpoint());
      clients.push(client);
      return client;
    };

    before(async () => {
      target = await makeManager();
      manager = target.manager;
      otherManager = target.otherManager;
    });

    afterEach(() => {
      for (const c of clients.splice(0)) c.close();
    });

    after(async () => {
      await target?.close();
    });

    describe('createClientSocket', () => {
      test('the plain form applies the defaults: not secure, renewalIncrement 1, no receiver', async () => {
        const ch = channel('defaults');
        for (const socket of [await manager.createClientSocket(ch), await manager.createClientSocket({ channel: ch })]) {
          const data = socket.toJSON();
          assert.equal(data.channel, ch);
          assert.equal(data.secure, false);
          assert.equal(data.renewalIncrement, 1);
          assert.equal(data.receiverWorkflow, null);
          assert.equal(data.clientIp, null);
          assert.equal(data.messageCount, 0);
          assert.equal(data.connections, 0);
          assert.equal(data.createdAt, data.lastAccess);
          assert.equal(Date.parse(data.expiresAt) - Date.parse(data.lastAccess), target.renewalMinuteMs);
          assert.match(data.createdAt, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
        }
      });

      test('keeps what it is given: secure, renewalIncrement at both bounds, any printable channel', async () => {
        const printable = `Room 7 / ünïcødé ✓ "q" ?a=b&c#d %2F ${randomBytes(2).toString('hex')}`;
        const secure = await manager.createClientSocket(printable, true, 30);
        assert.equal(secure.getChannel(), printable);
        assert.equal(secure.isSecure(), true);
        assert.equal(secure.toJSON().renewalIncrement, 30);
        assert.equal(secure.getExpiresAt().getTime() - secure.getLastAccess().getTime(), 30 * target.renewalMinuteMs);

        const longest = 'c'.repeat(254) + randomBytes(1).toString('hex').slice(0, 1);
        const widest = await manager.createClientSocket(longest, false, 1);
        assert.equal(widest.getChannel().length, 255);
        assert.equal(widest.toJSON().renewalIncrement, 1);
      });

      test('the workflow form queues each inbound client message to its receiver workflow', async () => {
        const socket = await manager.createClientSocket('echo', channel('workflow'), false, 2);
        assert.equal(socket.getReceiverWorkflow(), 'echo');
        assert.equal(socket.toJSON().renewalIncrement, 2);
        const client = await connect(socket);
        const echoed = nextEvent(client, 'message');
        const ack = (await client.emitWithAck('message', { hello: 'workflow' })) as { ok: boolean; id?: unknown };
        assert.equal(ack.ok, true, JSON.stringify(ack));
        assert.equal(typeof ack.id, 'string');
        assert.deepEqual(await echoed, { hello: 'workflow' });
        assert.equal((await manager.getClientSocket(socket.getId()))?.getMessageCount(), 1);

        const named = await manager.createClientSocket({ channel: channel('workflow'), receiverWorkflow: 'echo' });
        assert.equal(named.getReceiverWorkflow(), 'echo');
        assert.equal(named.toJSON().renewalIncrement, 1);
      });

      test('the plain form refuses inbound client messages with no_receiver; pings still renew', async () => {
        const socket = await manager.createClientSocket(channel('plain'));
        const client = await connect(socket);
        const ack = (await client.emitWithAck('message', 'anyone there?')) as { ok: boolean; error?: { code: string } };
        assert.equal(ack.ok, false);
        assert.equal(ack.error?.code, 'no_receiver');
        const ping = (await client.emitWithAck('ping')) as { ok: boolean; expiresAt: string };
        assert.equal(ping.ok, true);
        const after = await manager.getClientSocket(socket.getId());
        assert.equal(after?.toJSON().expiresAt, ping.expiresAt);
      });

      test('validation_failed names the bad field: channel, renewalIncrement, receiverWorkflow', async () => {
        const cases: Array<[string, () => Promise<ClientSocket>, string]> = [
          ['empty channel', () => manager.createClientSocket(''), 'channel'],
          ['channel of 256', () => manager.createClientSocket('x'.repeat(256)), 'channel'],
          ['newline in channel', () => manager.createClientSocket('a\nb'), 'channel'],
          ['NUL in channel', () => manager.createClientSocket('a\u0000b'), 'channel'],
          ['DEL in channel', () => manager.createClientSocket('a\u007fb'), 'channel'],
          ['C1 control in channel', () => manager.createClientSocket('a\u0085b'), 'channel'],
          ['non-string channel', () => manager.createClientSocket(42 as unknown as string), 'channel'],
          ['renewal 0', () => manager.createClientSocket('ok', false, 0), 'renewalIncrement'],
          ['renewal 31', () => manager.createClientSocket('ok', false, 31), 'renewalIncrement'],
          ['renewal 1.5', () => manager.createClientSocket('ok', false, 1.5), 'renewalIncrement'],
          ['workflow with a space', () => manager.createClientSocket('bad name', 'ok', false, 1), 'receiverWorkflow'],
          ['workflow with a slash', () => manager.createClientSocket('../echo', 'ok', false, 1), 'receiverWorkflow'],
          ['empty workflow', () => manager.createClientSocket('', 'ok', false, 1), 'receiverWorkflow'],
          ['workflow of 256', () => manager.createClientSocket('w'.repeat(256), 'ok', false, 1), 'receiverWorkflow'],
          ['bad channel in the workflow form', () => manager.createClientSocket('echo', '', false, 1), 'channel'],
          ['renewal 31 in the workflow form', () => manager.createClientSocket('echo', 'ok', false, 31), 'renewalIncrement'],
          ['unknown field', () => manager.createClientSocket({ channel: 'ok', colour: 'blue' } as never), 'colour'],
          ['non-boolean secure', () => manager.createClientSocket({ channel: 'ok', secure: 'yes' } as never), 'secure'],
          ['bad clientIp', () => manager.createClientSocket('ok', true, 1, { clientIp: '300.1.1.1' }), 'clientIp'],
        ];
        for (const [label, create, field] of cases) {
          await rejectsWith(create(), 'validation_failed', field).catch((err: Error) => {
            throw new Error(`${label}: ${err.message}`);
          });
        }
        const several = await rejectsWith(manager.createClientSocket('bad name', '', false, 0), 'validation_failed');
        assert.deepEqual(several.details?.map((d) => d.field).sort(), ['channel', 'receiverWorkflow', 'renewalIncrement']);
      });

      test('a secure socket is bound to the given client IP, or to the first connection', async () => {
        const mapped = await manager.createClientSocket(channel('secure'), true, 1, { clientIp: '::ffff:127.0.0.1' });
        assert.equal(mapped.toJSON().clientIp, '127.0.0.1');
        await connect(mapped);

        const elsewhere = await manager.createClientSocket(channel('secure'), true, 1, { clientIp: '192.0.2.10' });
        assert.equal(await refusal(elsewhere.getEndpoint()), 'ip_not_allowed');

        const unbound = await manager.createClientSocket(channel('secure'), true);
        assert.equal(unbound.toJSON().clientIp, null);
        await connect(unbound);
        assert.equal((await manager.getClientSocket(unbound.getId()))?.toJSON().clientIp, '127.0.0.1');
      });
    });

    describe('getClientSocket', () => {
      test('returns the socket as created; null for unknown, malformed or hostile ids', async () => {
        const created = await manager.createClientSocket('echo', channel('get'), false, 3);
        const read = await manager.getClientSocket(created.getId());
        assert.ok(read instanceof ClientSocket);
        assert.deepEqual(read.toJSON(), created.toJSON());
        for (const id of [newSocketId(), '', 'not an id', '../../healthz', `${created.getId()}/messages`, `${created.getId()}?x=1`]) {
          assert.equal(await manager.getClientSocket(id), null, `getClientSocket(${JSON.stringify(id)})`);
        }
      });

      test('reflects client activity: connections, lastAccess renewed by a ping, messages counted but not pings', async () => {
        const socket = await manager.createClientSocket('echo', channel('activity'), false, 1);
        const client = await connect(socket);
        const connected = await manager.getClientSocket(socket.getId());
        assert.equal(connected?.getConnections(), 1);
        assert.ok((connected?.getLastAccess().getTime() ?? 0) >= socket.getLastAccess().getTime());

        const ping = (await client.emitWithAck('ping')) as { ok: boolean; expiresAt: string };
        const pinged = await manager.getClientSocket(socket.getId());
        assert.equal(pinged?.getMessageCount(), 0);
        assert.equal(pinged?.toJSON().expiresAt, ping.expiresAt);
        assert.equal((pinged?.getExpiresAt().getTime() ?? 0) - (pinged?.getLastAccess().getTime() ?? 0), target.renewalMinuteMs);

        const echoed = nextEvent(client, 'message');
        await client.emitWithAck('message', 'one');
        await echoed;
        assert.equal((await manager.getClientSocket(socket.getId()))?.getMessageCount(), 1);
      });
    });

    describe('getSockets', () => {
      test('answers the data view: columns, ClientSocket rows, channel filter, total', async () => {
        const ch = channel('list');
        const inChannel = [await manager.createClientSocket(ch), await manager.createClientSocket('echo', ch), await manager.createClientSocket({ channel: ch, secure: true })];
        await manager.createClientSocket(channel('list-other'));
        const view = await manager.getSockets({ channel: ch });
        assert.deepEqual(view.columns, [...SOCKET_COLUMNS]);
        assert.equal(view.total, 3);
        assert.equal(view.nextCursor, null);
        assert.ok(view.rows.every((r) => r instanceof ClientSocket));
        assert.deepEqual(ids(view.rows), ids(inChannel));
        const byId = new Map(inChannel.map((s) => [s.getId(), s.toJSON()]));
        for (const row of view.rows) assert.deepEqual(row.toJSON(), byId.get(row.getId()));

        const empty = await manager.getSockets({ channel: channel('nobody') });
        assert.deepEqual({ rows: empty.rows, total: empty.total, nextCursor: empty.nextCursor }, { rows: [], total: 0, nextCursor: null });
      });

      test('pages with limit and cursor; nextCursor is null on the last page', async () => {
        const ch = channel('paging');
        const created: ClientSocket[] = [];
        for (let i = 0; i < 5; i++) created.push(await manager.createClientSocket(ch));
        const seen: string[] = [];
        const sizes: number[] = [];
        let cursor: string | undefined;
        for (;;) {
          const page = await manager.getSockets({ channel: ch, limit: 2, ...(cursor ? { cursor } : {}) });
          assert.equal(page.total, 5);
          sizes.push(page.rows.length);
          seen.push(...page.rows.map((r) => r.getId()));
          if (page.nextCursor === null) break;
          assert.equal(typeof page.nextCursor, 'string');
          cursor = page.nextCursor;
        }
        assert.deepEqual(sizes, [2, 2, 1]);
        assert.deepEqual([...seen].sort(), ids(created));

        // A last page that is exactly full still says it is the last.
        await manager.deleteClientSocket(created[4]?.getId() ?? '');
        const first = await manager.getSockets({ channel: ch, limit: 2 });
        const second = await manager.getSockets({ channel: ch, limit: 2, cursor: first.nextCursor ?? '' });
        assert.equal(second.rows.length, 2);
        assert.equal(second.nextCursor, null);
        const whole = await manager.getSockets({ channel: ch, limit: 4 });
        assert.equal(whole.rows.length, 4);
        assert.equal(whole.nextCursor, null);
      });

      test('without a filter walks every socket of the pal', async () => {
        const ch = channel('walk');
        const created = [await manager.createClientSocket(ch), await manager.createClientSocket(ch), await manager.createClientSocket(ch)];
        const seen = new Set<string>();
        let cursor: string | null = null;
        do {
          const page = await manager.getSockets({ limit: 3, ...(cursor ? { cursor } : {}) });
          assert.ok(page.total >= created.length);
          for (const row of page.rows) {
            assert.ok(!seen.has(row.getId()), 'a socket listed twice');
            seen.add(row.getId());
          }
          cursor = page.nextCursor;
        } while (cursor !== null);
        for (const s of created) assert.ok(seen.has(s.getId()));
      });

      test('rejects a bad limit or cursor with validation_failed', async () => {
        await rejectsWith(manager.getSockets({ limit: 0 }), 'validation_failed', 'limit');
        await rejectsWith(manager.getSockets({ limit: 1001 }), 'validation_failed', 'limit');
        await rejectsWith(manager.getSockets({ limit: 2.5 }), 'validation_failed', 'limit');
        await rejectsWith(manager.getSockets({ cursor: 'not-a-cursor' }), 'validation_failed', 'cursor');
        await rejectsWith(manager.getSockets({ channel: '' }), 'validation_failed', 'channel');
        const most = await manager.getSockets({ limit: 1000 });
        assert.ok(most.rows.length <= 1000);
      });
    });

    describe('deleteClientSocket', () => {
      test('true, then false; the socket is gone and its client gets closed {reason: "deleted"}', async () => {
        const ch = channel('delete');
        const socket = await manager.createClientSocket(ch);
        const client = await connect(socket);
        const closed = nextEvent(client, 'closed');
        const disconnected = nextEvent(client, 'disconnect');
        assert.equal(await manager.deleteClientSocket(socket.getId()), true);
        assert.deepEqual(await closed, { reason: 'deleted' });
        await disconnected;
        assert.equal(await manager.deleteClientSocket(socket.getId()), false);
        assert.equal(await manager.getClientSocket(socket.getId()), null);
        await rejectsWith(manager.sendMessage(socket.getId(), 'late'), 'not_found');
        const view = await manager.getSockets({ channel: ch });
        assert.equal(view.total, 0);
        assert.equal(await refusal(socket.getEndpoint()), 'socket_not_found');
      });

      test('false for unknown and malformed ids', async () => {
        for (const id of [newSocketId(), '', 'nope', '../sockets']) assert.equal(await manager.deleteClientSocket(id), false, `deleteClientSocket(${JSON.stringify(id)})`);
      });
    });

    describe('sendMessage', () => {
      test('delivered 0 with no client; 1 to a connected client, which receives it', async () => {
        const socket = await manager.createClientSocket(channel('send'));
        assert.equal(await manager.sendMessage(socket.getId(), 'nobody yet'), 0);
        const client = await connect(socket);
        const values: Message[] = ['plain text', 0, false, null, [1, 'two', { three: 3 }], { nested: { deep: true }, text: 'ünïcødé ✓' }];
        for (const value of values) {
          const received = nextEvent(client, 'message');
          assert.equal(await manager.sendMessage(socket.getId(), value), 1);
          assert.deepEqual(await received, value);
        }
        const viaObject = nextEvent(client, 'message');
        assert.equal(await socket.sendMessage('through the ClientSocket'), 1);
        assert.equal(await viaObject, 'through the ClientSocket');
      });

      test('counts every live connection of the socket, and does not renew it', async () => {
        const socket = await manager.createClientSocket(channel('send-two'));
        const [a, b] = [await connect(socket), await connect(socket)];
        const before = await manager.getClientSocket(socket.getId());
        const got = [nextEvent(a, 'message'), nextEvent(b, 'message')];
        assert.equal(await manager.sendMessage(socket.getId(), 'both'), 2);
        assert.deepEqual(await Promise.all(got), ['both', 'both']);
        const after = await manager.getClientSocket(socket.getId());
        assert.equal(after?.toJSON().expiresAt, before?.toJSON().expiresAt);
        assert.equal(after?.getMessageCount(), 0);
      });

      test('not_found for unknown and malformed ids; validation_failed for a value JSON cannot carry', async () => {
        await rejectsWith(manager.sendMessage(newSocketId(), 'x'), 'not_found');
        await rejectsWith(manager.sendMessage('../channels/x', 'x'), 'not_found');
        const socket = await manager.createClientSocket(channel('send-bad'));
        await rejectsWith(manager.sendMessage(socket.getId(), undefined as unknown as Message), 'validation_failed', 'message');
      });

      test('payload_too_large above MAX_MESSAGE_BYTES serialized; accepted at exactly the limit', async () => {
        const ch = channel('size');
        const socket = await manager.createClientSocket(ch);
        const max = target.maxMessageBytes;
        const atLimit = 'x'.repeat(max - 2); // JSON adds the two quotes
        assert.equal(await manager.sendMessage(socket.getId(), atLimit), 0);
        await rejectsWith(manager.sendMessage(socket.getId(), `${atLimit}x`), 'payload_too_large');
        await rejectsWith(manager.sendMessage(socket.getId(), { big: 'y'.repeat(max * 3) }), 'payload_too_large');
        await rejectsWith(manager.sendMessage(socket.getId(), 'é'.repeat(max / 2)), 'payload_too_large');
        assert.equal(await manager.sendChannelMessage(ch, atLimit), 0);
        await rejectsWith(manager.sendChannelMessage(ch, `${atLimit}x`), 'payload_too_large');
      });
    });

    describe('sendChannelMessage', () => {
      test('reaches every live socket of the pal in the channel, and only those', async () => {
        const ch = channel('room');
        const [a1, a2, elsewhere] = [await manager.createClientSocket(ch), await manager.createClientSocket('echo', ch), await manager.createClientSocket(channel('room-other'))];
        const foreign = await otherManager.createClientSocket(ch);
        const [c1, c2, cElsewhere, cForeign] = [await connect(a1), await connect(a2), await connect(elsewhere), await connect(foreign)];
        const seenElsewhere = collect(cElsewhere, 'message');
        const seenForeign = collect(cForeign, 'message');
        const got = [nextEvent(c1, 'message'), nextEvent(c2, 'message')];
        assert.equal(await manager.sendChannelMessage(ch, { to: 'room' }), 2);
        assert.deepEqual(await Promise.all(got), [{ to: 'room' }, { to: 'room' }]);

        // Pushes from one process reach a gateway in publish order, so once a later
        // push has arrived, an earlier one that was going to arrive would have.
        const markElsewhere = nextEvent(cElsewhere, 'message');
        await manager.sendMessage(elsewhere.getId(), 'marker');
        await markElsewhere;
        assert.deepEqual(seenElsewhere, ['marker']);
        const markForeign = nextEvent(cForeign, 'message');
        await otherManager.sendMessage(foreign.getId(), 'marker');
        await markForeign;
        assert.deepEqual(seenForeign, ['marker']);
      });

      test('delivered 0 for a channel with no live connection; validation_failed for a bad channel', async () => {
        const ch = channel('quiet');
        assert.equal(await manager.sendChannelMessage(ch, 'anyone?'), 0);
        await manager.createClientSocket(ch);
        assert.equal(await manager.sendChannelMessage(ch, 'anyone?'), 0);
        await rejectsWith(manager.sendChannelMessage('', 'x'), 'validation_failed', 'channel');
        await rejectsWith(manager.sendChannelMessage('x'.repeat(256), 'x'), 'validation_failed', 'channel');
        await rejectsWith(manager.sendChannelMessage('a\tb', 'x'), 'validation_failed', 'channel');
      });

      test('channel names with URL-significant characters reach their sockets', async () => {
        for (const name of ['a/b', 'what?x=1&y=2', 'hash#tag', '100% sure', ' spaced ', 'ünï/cødé ✓', '%2e%2e', '..a', '...']) {
          const ch = `${name}${randomBytes(2).toString('hex')}`;
          const socket = await manager.createClientSocket(ch);
          const client = await connect(socket);
          const got = nextEvent(client, 'message');
          assert.equal(await manager.sendChannelMessage(ch, name), 1, `channel ${JSON.stringify(ch)}`);
          assert.equal(await got, name);
          assert.equal((await manager.getSockets({ channel: ch })).total, 1);
        }
      });
    });

    describe('channels named "." and ".."', () => {
      // Valid channels (printable, 1-255), but every WHATWG URL parser resolves them as
      // dot segments, so POST /v1/channels/:channel/messages cannot address them over HTTP.
      // In-cluster they work; the HTTP SDK refuses them up front with a clear error
      // instead of silently posting to another route.
      test('reach their sockets in-cluster, and are refused clearly over HTTP', async () => {
        const overHttp = name.startsWith('Http');
        for (const ch of ['.', '..']) {
          const socket = await manager.createClientSocket(ch);
          if (overHttp) {
            await assert.rejects(manager.sendChannelMessage(ch, 'dots'), (err: unknown) => isClientSocketError(err, 'validation_failed'));
          } else {
            const client = await connect(socket);
            const got = new Promise((resolve) => client.once('message', resolve));
            assert.ok((await manager.sendChannelMessage(ch, 'dots')) >= 1);
            assert.equal(await got, 'dots');
          }
          await manager.deleteClientSocket(socket.getId());
        }
      });
    });

    describe('tenancy', () => {
      test("another pal's socket does not exist: null, false, not_found, unlisted, unreached", async () => {
        const ch = channel('tenancy');
        const theirs = await otherManager.createClientSocket('echo', ch);
        const client = await connect(theirs);
        const seen = collect(client, 'message');

        assert.equal(await manager.getClientSocket(theirs.getId()), null);
        assert.equal(await manager.deleteClientSocket(theirs.getId()), false);
        await rejectsWith(manager.sendMessage(theirs.getId(), 'intruder'), 'not_found');
        const listed = await manager.getSockets({ channel: ch });
        assert.equal(listed.total, 0);
        assert.deepEqual(listed.rows, []);
        assert.equal(await manager.sendChannelMessage(ch, 'intruder'), 0);

        const all = new Set<string>();
        let cursor: string | null = null;
        do {
          const page = await manager.getSockets({ limit: 1000, ...(cursor ? { cursor } : {}) });
          for (const r of page.rows) all.add(r.getId());
          cursor = page.nextCursor;
        } while (cursor !== null);
        assert.ok(!all.has(theirs.getId()));

        // Still there for its owner, and nothing reached its client.
        assert.equal((await otherManager.getClientSocket(theirs.getId()))?.getId(), theirs.getId());
        const marker = nextEvent(client, 'message');
        await otherManager.sendMessage(theirs.getId(), 'marker');
        await marker;
        assert.deepEqual(seen, ['marker']);
      });
    });

    describe('ClientSocket', () => {
      test('getters: getId, getChannel, getEndpoint, getLastAccess, getMessageCount, getWorker, toString', async () => {
        const ch = channel('getters');
        const socket = await manager.createClientSocket('echo', ch, false, 4);
        const data = socket.toJSON();
        assert.match(socket.getId(), /^[A-Za-z0-9_-]{22}$/);
        assert.equal(Buffer.from(socket.getId(), 'base64url').length, 16);
        assert.equal(socket.getChannel(), ch);

        const endpoint = new URL(socket.getEndpoint());
        assert.equal(endpoint.searchParams.get('socketId'), socket.getId());
        assert.equal(endpoint.protocol, 'http:');
        assert.equal(socket.getEndpoint(), data.endpoint);
        const ws = new URL(socket.getWsEndpoint());
        assert.equal(ws.protocol, 'ws:');
        assert.equal(ws.searchParams.get('socketId'), socket.getId());

        assert.ok(socket.getLastAccess() instanceof Date);
        assert.equal(socket.getLastAccess().toISOString(), data.lastAccess);
        assert.equal(socket.getExpiresAt().toISOString(), data.expiresAt);
        assert.equal(socket.getMessageCount(), 0);
        assert.equal(typeof socket.getWorker(), 'string');
        assert.ok(socket.getWorker().length > 0);
        assert.equal((await manager.getClientSocket(socket.getId()))?.getWorker(), socket.getWorker());
        assert.equal(socket.getConnections(), 0);

        const text = socket.toString();
        assert.ok(text.includes(socket.getId()), text);
        assert.ok(text.includes(JSON.stringify(ch)), text);
        assert.equal(String(socket), text);
        assert.deepEqual(JSON.parse(JSON.stringify(socket)), data);

        // The endpoint is what the official client takes as is.
        const client = await connect(socket);
        assert.equal(client.connected, true);
      });

      test('is a snapshot: getters do not change, a fresh read sees the change', async () => {
        const socket = await manager.createClientSocket('echo', channel('snapshot'));
        const client = await connect(socket);
        const echoed = nextEvent(client, 'message');
        await client.emitWithAck('message', 'count me');
        await echoed;
        assert.equal(socket.getMessageCount(), 0);
        assert.equal(socket.getConnections(), 0);
        const fresh = await manager.getClientSocket(socket.getId());
        assert.equal(fresh?.getMessageCount(), 1);
        assert.equal(fresh?.getConnections(), 1);
      });
    });
  });
}
