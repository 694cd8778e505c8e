import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { startCluster, type TestCluster } from '../helpers/cluster.js';
import { launchChromium, openContext, recordConsole, screenshot } from './helpers.js';

const DEMO_KEY = 'demo-key-browser-expiry';
/**
 * One renewal minute of this cluster: the demo's sockets (1 minute) live 4 s
 * unless renewed, and the page pings every 2 s, leaving a loaded machine 2 s
 * of slack per ping.
 */
const MINUTE_MS = 4000;

let cluster: TestCluster;
let browser: Browser;

before(async () => {
  [cluster, browser] = await Promise.all([
    startCluster({ name: 'browser-expiry', gateways: 1, env: { DEMO_ENABLED: 'true', API_KEYS: `demo:${DEMO_KEY}`, RENEWAL_MINUTE_MS: String(MINUTE_MS) } }),
    launchChromium(),
  ]);
});

after(async () => {
  await browser?.close();
  await cluster?.stop();
});

test('the demo shows the expiry renewing while it pings, and the socket expires once it stops', async () => {
  const context = await openContext(browser, { viewport: { width: 800, height: 700 } });
  const page = await context.newPage();
  recordConsole(page, 'expiry');
  try {
    await page.goto(`${cluster.api.url}/demo`);
    await page.locator('#state[data-state="connected"]').waitFor();
    const socketId = (await page.locator('#socket-id').textContent()) ?? '';
    const expiresAt = () => page.locator('#expires').getAttribute('data-expires-at');
    const first = Date.parse((await expiresAt()) ?? '');
    assert.ok(Number.isFinite(first));
    // The keep-alive runs on the Worker clock (the page's CSP allows blob: workers).
    assert.equal(await page.evaluate(() => document.documentElement.dataset['timer']), 'worker');

    // Renewals carry the expiry well past the socket's first one: it is kept alive, and the page shows it.
    await page.waitForFunction((limit) => Date.parse(document.getElementById('expires')!.dataset['expiresAt'] ?? '') > limit, first + 2 * MINUTE_MS);
    assert.match((await page.locator('#expires').textContent()) ?? '', /^(in \d+(\.\d)? s|now)$/);
    const alive = await cluster.request('GET', `/v1/sockets/${socketId}`, undefined, DEMO_KEY);
    assert.equal(alive.status, 200);
    assert.equal(alive.body.connections, 1);
    await screenshot(page, 'demo-expiry-renewing');

    // Keep-alive off: nothing renews the socket, the server closes it as expired and forgets it.
    await page.locator('#keepalive').uncheck();
    await page.locator('#state[data-state="closed"]').waitFor();
    assert.equal(await page.locator('#state-reason').textContent(), '(expired)');
    await page.locator('#messages li.system', { hasText: 'server closed the socket: expired' }).waitFor();
    assert.equal(await page.locator('#compose-send').isDisabled(), true);
    assert.equal(await page.locator('#new-session').isVisible(), true);
    const gone = await cluster.request('GET', `/v1/sockets/${socketId}`, undefined, DEMO_KEY);
    assert.equal(gone.status, 404);
    await screenshot(page, 'demo-expiry-closed');
  } finally {
    await context.close();
  }
});
