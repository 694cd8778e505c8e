import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '@clientsocket/config';
import { ClientSocketError, newSocketId } from '@clientsocket/core';
import { HttpClientSocketManager } from '@clientsocket/sdk';
import { createClusterContext, type ClusterContext } from '@clientsocket/store';
import { startCluster, type TestCluster } from './helpers/cluster.js';
import { conformanceSuite } from './helpers/conformance-suite.js';

// Not the default, so an implementation that assumed the default would show.
const MAX_MESSAGE_BYTES = 8192;

describe('ClientSocketManager: one contract, two implementations, one cluster', () => {
  let cluster: TestCluster;

  before(async () => {
    cluster = await startCluster({ name: 'conformance', env: { MAX_MESSAGE_BYTES: String(MAX_MESSAGE_BYTES) } });
  });

  after(async () => {
    await cluster?.stop();
  });

  conformanceSuite('HttpClientSocketManager (@clientsocket/sdk)', async () => {
    const renewalMinuteMs = loadConfig(cluster.env).RENEWAL_MINUTE_MS;
    return {
      manager: new HttpClientSocketManager({ baseUrl: cluster.api.url, apiKey: cluster.apiKey }),
      otherManager: new HttpClientSocketManager({ baseUrl: cluster.api.url, apiKey: cluster.otherApiKey }),
      maxMessageBytes: MAX_MESSAGE_BYTES,
      renewalMinuteMs,
      close: async () => undefined,
    };
  });

  conformanceSuite('ClusterClientSocketManager (@clientsocket/store)', async () => {
    // Same Redis and KEY_PREFIX as the running cluster: its gateways serve these sockets.
    const config = loadConfig({ ...cluster.env, NODE_NAME: 'conformance' });
    const context: ClusterContext = await createClusterContext(config, { nodeId: 'conformance-in-cluster', holdsConnections: false });
    return {
      manager: context.managerFor(cluster.pal),
      otherManager: context.managerFor(cluster.otherPal),
      maxMessageBytes: config.MAX_MESSAGE_BYTES,
      renewalMinuteMs: config.RENEWAL_MINUTE_MS,
      close: () => context.close(),
    };
  });

  describe('HttpClientSocketManager against the api', () => {
    test('an unknown API key is unauthorized on every call, never null or false', async () => {
      const stranger = new HttpClientSocketManager({ baseUrl: cluster.api.url, apiKey: 'not-a-configured-key' });
      const id = newSocketId();
      const calls: Array<[string, () => Promise<unknown>]> = [
        ['createClientSocket', () => stranger.createClientSocket('room')],
        ['getClientSocket', () => stranger.getClientSocket(id)],
        ['deleteClientSocket', () => stranger.deleteClientSocket(id)],
        ['getSockets', () => stranger.getSockets()],
        ['sendMessage', () => stranger.sendMessage(id, 'x')],
        ['sendChannelMessage', () => stranger.sendChannelMessage('room', 'x')],
      ];
      for (const [name, call] of calls) {
        await assert.rejects(call(), (err: unknown) => err instanceof ClientSocketError && err.code === 'unauthorized' && err.retryable === false, name);
      }
    });

    test('a trailing slash on the base URL is fine; a wrong base path fails as not_found', async () => {
      const slashed = new HttpClientSocketManager({ baseUrl: `${cluster.api.url}/`, apiKey: cluster.apiKey });
      const socket = await slashed.createClientSocket('slashed');
      assert.equal((await slashed.getClientSocket(socket.getId()))?.getId(), socket.getId());
      const prefixed = new HttpClientSocketManager({ baseUrl: `${cluster.api.url}/no-such-prefix`, apiKey: cluster.apiKey });
      await assert.rejects(prefixed.createClientSocket('prefixed'), (err: unknown) => err instanceof ClientSocketError && err.code === 'not_found');
    });
  });
});
