import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startCluster, type TestCluster } from '../helpers/cluster.js';
import { launchChromium, openContext, recordConsole, screenshot, socketIoPage, startPalSite, type PalSite } from './helpers.js';

let cluster: TestCluster;
let browser: Browser;
let site: PalSite;

before(async () => {
  [cluster, browser, site] = await Promise.all([startCluster({ name: 'browser-admin', gateways: 1 }), launchChromium(), startPalSite()]);
});

after(async () => {
  await browser?.close();
  await site?.close();
  await cluster?.stop();
});

interface Created {
  id: string;
  endpoint: string;
  channel: string;
}

async function create(channel: string, extra: Record<string, unknown> = {}): Promise<Created> {
  const res = await cluster.request('POST', '/v1/sockets', { channel, ...extra });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

async function signIn(page: Page, key: string): Promise<void> {
  await page.goto(`${cluster.api.url}/admin`);
  // The key field has focus on arrival: typing and Enter is all it takes.
  await page.keyboard.type(key);
  await page.keyboard.press('Enter');
  await page.locator('#sockets-panel:not([hidden])').waitFor();
}

const rowIds = (page: Page): Promise<string[]> => page.locator('#sockets tbody tr').evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset['id'] ?? ''));

/** Waits for the table to show exactly `n` rows. */
async function rowsShown(page: Page, n: number): Promise<string[]> {
  await page.waitForFunction((count) => document.querySelectorAll('#sockets tbody tr').length === count, n);
  return rowIds(page);
}

test('the admin page lists, filters, pages, refreshes live, sends, exports and deletes', async () => {
  const red = [];
  for (let i = 0; i < 4; i++) red.push(await create('red'));
  const live = await create('red', { receiverWorkflow: 'echo' });
  red.push(live);
  const blue = [await create('blue'), await create('=blue')];
  const otherPal = await cluster.request('POST', '/v1/sockets', { channel: 'red' }, cluster.otherApiKey);
  assert.equal(otherPal.status, 201);

  // A browser on the pal's site holds the `live` socket.
  site.pages.set('/live', socketIoPage(cluster.gateways[0]!.url, live.endpoint));
  const clientContext = await openContext(browser, { viewport: { width: 700, height: 500 } });
  const client = await clientContext.newPage();
  recordConsole(client, 'client');
  await client.goto(`${site.url}/live`);
  await client.locator('body[data-state="connected"]').waitFor();

  const adminContext = await openContext(browser, { viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  const admin = await adminContext.newPage();
  recordConsole(admin, 'admin');
  try {
    await signIn(admin, cluster.apiKey);

    // Listing: the API's columns, then the actions; the pal's 7 sockets and not the other pal's.
    const api = await cluster.request('GET', '/v1/sockets?limit=1000');
    const headers = await admin.locator('#sockets thead th').allTextContents();
    assert.deepEqual(headers, [...(api.body.columns as string[]), 'Actions']);
    const all = await rowsShown(admin, 7);
    assert.deepEqual(new Set(all), new Set([...red, ...blue].map((s) => s.id)));
    assert.ok(!all.includes(otherPal.body.id));
    await admin.locator('#page-info', { hasText: '7 sockets' }).waitFor();
    await screenshot(admin, 'admin-list');

    // Paging with the cursor: 5 + 2, the same 7, and back.
    await admin.locator('#page-size').selectOption('5');
    const page1 = await rowsShown(admin, 5);
    assert.equal(await admin.locator('#prev-page').isDisabled(), true);
    await admin.locator('#next-page').click();
    const page2 = await rowsShown(admin, 2);
    assert.equal(await admin.locator('#next-page').isDisabled(), true);
    assert.deepEqual(new Set([...page1, ...page2]), new Set(all));
    await admin.locator('#page-info', { hasText: 'Page 2' }).waitFor();
    await admin.locator('#prev-page').click();
    assert.deepEqual(await rowsShown(admin, 5), page1);

    // Filtering by channel (a name a spreadsheet would take for a formula, too).
    await admin.locator('#channel-filter').fill('=blue');
    await admin.locator('#channel-filter').press('Enter');
    assert.deepEqual(await rowsShown(admin, 1), [blue[1]!.id]);
    const [formula] = await Promise.all([admin.waitForEvent('download'), admin.locator('#export-csv').click()]);
    const formulaCsv = (await readFile((await formula.path()) as string, 'utf8')).trimEnd().split('\r\n');
    assert.equal(formulaCsv.length, 2);
    assert.equal(formulaCsv[1]!.split(',')[(api.body.columns as string[]).indexOf('channel')], "'=blue", 'a formula-like cell is defused');
    await admin.locator('#channel-filter').fill('red');
    await admin.locator('#page-size').selectOption('25');
    const reds = await rowsShown(admin, 5);
    assert.deepEqual(new Set(reds), new Set(red.map((s) => s.id)));
    assert.deepEqual(new Set(await admin.locator('#sockets td[data-col="channel"]').allTextContents()), new Set(['red']));

    // Live refresh: the held socket shows its connection, and its message count moves without a reload.
    const liveRow = admin.locator(`tr[data-id="${live.id}"]`);
    await liveRow.locator('td[data-col="connections"][data-value="1"]').waitFor();
    const ack = await client.evaluate(() => (window as unknown as { connection: { send(m: unknown): Promise<unknown> } }).connection.send('from the client'));
    assert.equal((ack as { ok: boolean }).ok, true);
    await liveRow.locator('td[data-col="messageCount"][data-value="1"]').waitFor();

    // CSV export of the current filter.
    const [download] = await Promise.all([admin.waitForEvent('download'), admin.locator('#export-csv').click()]);
    assert.match(download.suggestedFilename(), /^sockets-red-.*\.csv$/);
    const csv = (await readFile((await download.path()) as string, 'utf8')).replace(/^\ufeff/, '').trimEnd().split('\r\n');
    assert.equal(csv[0], (api.body.columns as string[]).join(','));
    assert.equal(csv.length, 1 + 5);
    assert.deepEqual(new Set(csv.slice(1).map((line) => line.split(',')[0])), new Set(red.map((s) => s.id)));

    // Sending from the page reaches the browser.
    await liveRow.getByRole('button', { name: `Send a message to socket ${live.id}` }).click();
    assert.equal(await admin.locator('#send-target').inputValue(), live.id);
    await admin.locator('#send-json').check();
    await admin.locator('#send-message').fill('{"from":"admin","n":1}');
    await admin.locator('#send-form button[type="submit"]').click();
    await admin.locator('#send-result', { hasText: 'delivered to 1 connection' }).waitFor();
    await client.waitForFunction(() => (window as unknown as { received: unknown[] }).received.some((m) => JSON.stringify(m) === '{"from":"admin","n":1}'));
    await screenshot(admin, 'admin-filtered-red');

    // Deleting, by keyboard only: Tab to the row's Delete, Enter, Tab past Cancel, Enter.
    await admin.locator('#sockets-title').focus();
    const deleteLabel = `Delete socket ${live.id}`;
    for (let i = 0; i < 200 && (await admin.evaluate(() => document.activeElement?.getAttribute('aria-label'))) !== deleteLabel; i++) await admin.keyboard.press('Tab');
    assert.equal(await admin.evaluate(() => document.activeElement?.getAttribute('aria-label')), deleteLabel);
    await admin.keyboard.press('Enter');
    await admin.locator('#confirm-delete[open]').waitFor();
    await screenshot(admin, 'admin-confirm-delete');
    await admin.keyboard.press('Tab');
    await admin.keyboard.press('Enter');
    await client.locator('body[data-state="closed"][data-reason="deleted"]').waitFor();
    assert.deepEqual(await client.evaluate(() => (window as unknown as { closedEvents: unknown[] }).closedEvents), [{ reason: 'deleted' }]);
    await rowsShown(admin, 4);
    await admin.locator('#status', { hasText: `Deleted socket ${live.id}` }).waitFor();
    assert.equal((await cluster.request('GET', `/v1/sockets/${live.id}`)).status, 404);
    await screenshot(client, 'admin-client-deleted');

    // The key lives in this tab only.
    const stored = await admin.evaluate(() => ({ session: Object.keys(sessionStorage), local: localStorage.length, cookies: document.cookie }));
    assert.deepEqual(stored, { session: ['clientsocket.admin.apiKey'], local: 0, cookies: '' });
    assert.equal((await adminContext.cookies()).length, 0);
  } finally {
    await adminContext.close();
    await clientContext.close();
  }
});

test('the admin page is usable at phone width and refuses a wrong key', async () => {
  for (let i = 0; i < 2; i++) await create('phone');
  const context = await openContext(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const page = await context.newPage();
  recordConsole(page, 'phone');
  try {
    await page.goto(`${cluster.api.url}/admin`);
    await page.locator('#api-key').fill('not-a-key-at-all');
    await page.locator('#api-key').press('Enter');
    await page.locator('#key-error', { hasText: 'not accepted' }).waitFor();
    assert.equal(await page.locator('#sockets-panel').isHidden(), true);

    await page.locator('#api-key').fill(cluster.apiKey);
    await page.locator('#key-form button[type="submit"]').tap();
    await page.locator('#sockets-panel:not([hidden])').waitFor();
    await page.locator('#channel-filter').fill('phone');
    await page.locator('#filter-form button[type="submit"]').tap();
    await rowsShown(page, 2);
    // Nothing sticks out sideways: each socket is a card of label/value lines.
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true);
    const label = await page.locator('#sockets tbody td[data-col="channel"]').first().evaluate((td) => getComputedStyle(td, '::before').content);
    assert.equal(label, '"channel"');
    await screenshot(page, 'admin-phone');
    await page.locator('#sockets tbody tr').first().evaluate((tr) => tr.scrollIntoView());
    await screenshot(page, 'admin-phone-card', { fullPage: false });
  } finally {
    await context.close();
  }
});
