import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { eventually } from '../helpers/clients.js';
import { startCluster, type TestCluster } from '../helpers/cluster.js';
import { launchChromium, nativeWebSocketPage, openContext, recordConsole, screenshot, socketIoPage, startPalSite, type PalSite } from './helpers.js';

let cluster: TestCluster;
let browser: Browser;
let site: PalSite;

before(async () => {
  [cluster, browser, site] = await Promise.all([startCluster({ name: 'browser-mixed', gateways: 2 }), launchChromium(), startPalSite()]);
});

after(async () => {
  await browser?.close();
  await site?.close();
  await cluster?.stop();
});

async function createSocket(body: Record<string, unknown>): Promise<{ id: string; endpoint: string; wsEndpoint: string }> {
  const res = await cluster.request('POST', '/v1/sockets', body);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

async function connections(id: string): Promise<number> {
  const res = await cluster.request('GET', `/v1/sockets/${id}`);
  return res.status === 200 ? (res.body.connections as number) : -1;
}

test('a Socket.IO page and a native WebSocket page on one channel both receive one channel broadcast, across gateways', async () => {
  const channel = 'lobby';
  const sio = await createSocket({ channel });
  const native = await createSocket({ channel, receiverWorkflow: 'echo' });
  const gatewayA = cluster.gateways[0]!.url;
  const wsOnB = new URL(native.wsEndpoint);
  wsOnB.port = String(cluster.gateways[1]!.port);

  site.pages.set('/sio', socketIoPage(gatewayA, cluster.endpointOn(sio.endpoint, 0)));
  site.pages.set('/native', nativeWebSocketPage(wsOnB.toString()));
  const context = await openContext(browser);
  const sioPage = await context.newPage();
  const nativePage = await context.newPage();
  recordConsole(sioPage, 'sio');
  recordConsole(nativePage, 'native');
  try {
    await Promise.all([sioPage.goto(`${site.url}/sio`), nativePage.goto(`${site.url}/native`)]);
    await sioPage.locator('body[data-state="connected"]').waitFor();
    await nativePage.locator('body[data-state="open"]').waitFor();
    // A push only reaches connections the gateway has registered in the channel.
    await eventually(async () => (await connections(sio.id)) === 1 && (await connections(native.id)) === 1);

    const json = await cluster.request('POST', `/v1/channels/${channel}/messages`, { message: { hello: 'both', n: 1 } });
    assert.equal(json.status, 202);
    assert.deepEqual(json.body, { delivered: 2 });
    const text = await cluster.request('POST', `/v1/channels/${channel}/messages`, { message: 'plain text' });
    assert.deepEqual(text.body, { delivered: 2 });

    const received = (page: Page) => page.waitForFunction(() => (window as unknown as { received: unknown[] }).received.length >= 2).then(() => page.evaluate(() => (window as unknown as { received: unknown[] }).received));
    assert.deepEqual(await received(sioPage), [{ hello: 'both', n: 1 }, 'plain text']);
    // Native frames: JSON-encoded unless the message is a string.
    assert.deepEqual(await received(nativePage), ['{"hello":"both","n":1}', 'plain text']);

    // A native client's frames go to its receiver workflow like Socket.IO messages; `ping` is not forwarded.
    await nativePage.evaluate(() => {
      const ws = (window as unknown as { ws: WebSocket }).ws;
      ws.send('ping');
      ws.send(JSON.stringify({ echo: 'me' }));
    });
    await nativePage.waitForFunction(() => (window as unknown as { received: string[] }).received.length >= 3);
    assert.deepEqual(await nativePage.evaluate(() => (window as unknown as { received: string[] }).received[2]), '{"echo":"me"}');
    const after = await cluster.request('GET', `/v1/sockets/${native.id}`);
    assert.equal(after.body.messageCount, 1, 'the ping frame is not counted');

    await screenshot(sioPage, 'mixed-socketio-page');
    await screenshot(nativePage, 'mixed-native-websocket-page');
  } finally {
    await context.close();
  }
});
