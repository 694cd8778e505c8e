import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startCluster, type AppProcess, type TestCluster } from '../helpers/cluster.js';
import { launchChromium, openContext, recordConsole, screenshot, spawnApiFor } from './helpers.js';

const DEMO_KEY = 'demo-key-browser-chat';

let cluster: TestCluster;
let secondApi: AppProcess;
let browser: Browser;

before(async () => {
  [cluster, browser] = await Promise.all([
    startCluster({ name: 'browser-demo', gateways: 2, env: { DEMO_ENABLED: 'true', API_KEYS: `demo:${DEMO_KEY}` } }),
    launchChromium(),
  ]);
  // Two api nodes, each handing out endpoints on its own gateway: the two tabs land on different gateways.
  secondApi = await spawnApiFor(cluster, 1, 'api-2');
});

after(async () => {
  await browser?.close();
  await secondApi?.kill('SIGKILL');
  await cluster?.stop();
});

async function openDemo(apiUrl: string, name: string): Promise<Page> {
  const context = await openContext(browser, { viewport: { width: 900, height: 760 } });
  const page = await context.newPage();
  recordConsole(page, name);
  await page.goto(`${apiUrl}/demo`);
  await page.locator('#state[data-state="connected"]').waitFor();
  await page.locator('#compose-name').fill(name);
  return page;
}

async function say(page: Page, text: string): Promise<void> {
  await page.locator('#compose-text').fill(text);
  await page.locator('#compose-text').press('Enter');
}

test('two browser contexts chat through the demo across both gateways and the chat workflow', async () => {
  const alice = await openDemo(cluster.api.url, 'alice');
  const bob = await openDemo(secondApi.url, 'bob');
  try {
    const gatewayOf = (page: Page) => page.locator('#gateway').textContent();
    assert.equal(await gatewayOf(alice), new URL(cluster.gateways[0]!.url).host);
    assert.equal(await gatewayOf(bob), new URL(cluster.gateways[1]!.url).host);
    // The ping ack's expiry is on show.
    await alice.locator('#expires[data-expires-at]:not([data-expires-at=""])').waitFor();
    assert.match((await alice.locator('#expires').textContent()) ?? '', /^in \d+(\.\d)? s$/);

    await say(alice, 'hello from alice');
    await bob.locator('#messages li', { hasText: 'hello from alice' }).waitFor();
    await alice.locator('#messages li.mine', { hasText: 'hello from alice' }).waitFor();
    await say(bob, 'hi alice, bob here');
    await alice.locator('#messages li', { hasText: 'hi alice, bob here' }).waitFor();
    const fromBob = alice.locator('#messages li', { hasText: 'hi alice, bob here' });
    assert.equal(await fromBob.locator('.from').textContent(), 'bob:');
    assert.equal(await fromBob.locator('.via').textContent(), `via ${new URL(cluster.gateways[1]!.url).host}`);

    // Each tab's messages went through the workflow once, from its own socket.
    const ids = await Promise.all([alice, bob].map((p) => p.locator('#socket-id').textContent()));
    for (const id of ids) {
      const res = await cluster.request('GET', `/v1/sockets/${id}`, undefined, DEMO_KEY);
      assert.equal(res.status, 200);
      assert.equal(res.body.messageCount, 1);
      assert.equal(res.body.receiverWorkflow, 'chat');
    }

    await screenshot(alice, 'demo-alice');
    await screenshot(bob, 'demo-bob');

    // The newcomer's check: the admin page with the demo key shows both sockets live.
    const admin = await (await openContext(browser)).newPage();
    recordConsole(admin, 'admin');
    await admin.goto(`${cluster.api.url}/admin`);
    await admin.locator('#api-key').fill(DEMO_KEY);
    await admin.locator('#api-key').press('Enter');
    for (const id of ids) await admin.locator(`tr[data-id="${id}"] td[data-col="connections"][data-value="1"]`).waitFor();
    await screenshot(admin, 'demo-admin-view');
    await admin.context().close();
  } finally {
    await alice.context().close();
    await bob.context().close();
  }
});
