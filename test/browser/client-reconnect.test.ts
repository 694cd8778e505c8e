import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { eventually } from '../helpers/clients.js';
import { spawnApp, startCluster, type AppProcess, type TestCluster } from '../helpers/cluster.js';
import { launchChromium, openContext, recordConsole, screenshot, socketIoPage, startPalSite, type PalSite } from './helpers.js';

let cluster: TestCluster;
let browser: Browser;
let site: PalSite;
const extra: AppProcess[] = [];

before(async () => {
  [cluster, browser, site] = await Promise.all([startCluster({ name: 'browser-reconnect', gateways: 2 }), launchChromium(), startPalSite()]);
});

after(async () => {
  await browser?.close();
  await site?.close();
  await Promise.all(extra.map((p) => p.kill('SIGKILL')));
  await cluster?.stop();
});

interface PageState {
  state: string;
  reason: string;
}

const states = (page: Page): Promise<PageState[]> => page.evaluate(() => (window as unknown as { states: PageState[] }).states);

/** Waits until the page has recorded `state` (with `reason`, if given) after its first `skip` state changes. */
async function reached(page: Page, skip: number, state: string, reason?: string): Promise<number> {
  await page.waitForFunction(
    ([from, s, r]) => (window as unknown as { states: PageState[] }).states.slice(from as number).some((x) => x.state === s && (r === null || x.reason === r)),
    [skip, state, reason ?? null] as const,
  );
  return (await states(page)).length;
}

async function restartGateway(port: number, label: string): Promise<AppProcess> {
  const gateway = await spawnApp('gateway', { ...cluster.env, GATEWAY_PORT: String(port) }, label);
  extra.push(gateway);
  return gateway;
}

test('the browser client reconnects after its gateway drains or dies, and keeps receiving', async () => {
  const created = await cluster.request('POST', '/v1/sockets', { channel: 'resilient', renewalIncrement: 5 });
  assert.equal(created.status, 201);
  const { id, endpoint } = created.body as { id: string; endpoint: string };
  const gateway = cluster.gateways[1]!;
  // Short backoff so the test follows the reconnection quickly; the jitter stays on.
  site.pages.set('/client', socketIoPage(cluster.gateways[0]!.url, cluster.endpointOn(endpoint, 1), { reconnectionDelayMs: 200, reconnectionDelayMaxMs: 1000 }));
  const context = await openContext(browser);
  const page = await context.newPage();
  recordConsole(page, 'client');
  try {
    await page.goto(`${site.url}/client`);
    let seen = await reached(page, 0, 'connected');

    // Graceful drain: `closed {reason: "shutdown"}`, then back on the restarted node.
    await gateway.kill('SIGTERM');
    seen = await reached(page, seen, 'reconnecting', 'shutdown');
    assert.deepEqual(await page.evaluate(() => (window as unknown as { closedEvents: unknown[] }).closedEvents), [{ reason: 'shutdown' }]);
    const second = await restartGateway(gateway.port, 'gateway-2b');
    seen = await reached(page, seen, 'connected');
    await eventually(async () => (await cluster.request('GET', `/v1/sockets/${id}`)).body.connections === 1);
    assert.deepEqual((await cluster.request('POST', `/v1/sockets/${id}/messages`, { message: 'after drain' })).body, { delivered: 1 });
    await page.waitForFunction(() => (window as unknown as { received: unknown[] }).received.includes('after drain'));

    // Killed outright (what a network loss looks like from the browser): the transport drops, backoff retries.
    await second.kill('SIGKILL');
    seen = await reached(page, seen, 'reconnecting');
    await restartGateway(gateway.port, 'gateway-2c');
    await reached(page, seen, 'connected');
    await eventually(async () => (await cluster.request('GET', `/v1/sockets/${id}`)).body.connections === 1);
    assert.deepEqual((await cluster.request('POST', `/v1/sockets/${id}/messages`, { message: 'after crash' })).body, { delivered: 1 });
    await page.waitForFunction(() => (window as unknown as { received: unknown[] }).received.includes('after crash'));

    // Through it all the connection never ended for good.
    assert.ok(!(await states(page)).some((s) => s.state === 'closed'));
    await screenshot(page, 'client-reconnected');
  } finally {
    await context.close();
  }
});
