import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { spawnApp, type AppProcess, type TestCluster } from '../helpers/cluster.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Where screenshots go (git-ignored). */
export const ARTIFACTS = `${ROOT}test-artifacts/browser`;

/** Debian's Chromium, or `CHROMIUM_PATH`. */
export const CHROMIUM = process.env['CHROMIUM_PATH'] || '/usr/bin/chromium';

/**
 * Headless Chromium. Missing Chromium fails loudly: a browser suite that
 * skips itself would pass without having run.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install -y chromium, or set CHROMIUM_PATH`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/**
 * Keeps a page's console output and uncaught errors, and echoes them to
 * stderr under `TEST_BROWSER_LOGS=1`; the lines help explain a failure.
 */
export function recordConsole(page: Page, label: string): string[] {
  const lines: string[] = [];
  const add = (line: string): void => {
    lines.push(line);
    if (process.env['TEST_BROWSER_LOGS']) process.stderr.write(`[${label}] ${line}\n`);
  };
  page.on('console', (m) => add(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => add(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => add(`requestfailed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  return lines;
}

/**
 * How long a page wait may take before it fails. It only turns a hang into a
 * clear failure (a loaded CI machine is slow); nothing asserts on it.
 */
export const GUARD_MS = 60_000;

/** A fresh browser context (its own storage, like another browser profile) with the suite's wait guard. */
export async function openContext(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  context.setDefaultTimeout(GUARD_MS);
  return context;
}

/** Saves a screenshot (full page unless `fullPage: false`) as `test-artifacts/browser/<name>.png`. */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: options.fullPage ?? true });
}

/** A loopback web server standing in for a pal's own site. */
export interface PalSite {
  url: string;
  /** Path → HTML; may be added to while the server runs. */
  pages: Map<string, string>;
  close(): Promise<void>;
}

/**
 * Serves the small client pages of a test from a real loopback origin, a
 * different origin from the gateways as a pal's site is. (Pages injected by
 * request routing would count as public origins, and Chromium's local
 * network access checks would rightly stop them reaching loopback gateways.)
 */
export async function startPalSite(): Promise<PalSite> {
  const pages = new Map<string, string>();
  const server = createServer((req, res) => {
    const body = pages.get(new URL(req.url ?? '/', 'http://x').pathname);
    res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(body ?? 'not found');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    pages,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function escapeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/**
 * A page using the gateway's `/client.js`: it records pushes in
 * `window.received`, `closed` events in `window.closedEvents`, state changes
 * in `window.states`, and mirrors the
 * connection state (and its reason) on `<body data-state data-reason>`.
 */
export function socketIoPage(gatewayUrl: string, endpoint: string, options: Record<string, unknown> = {}): string {
  return `<!doctype html><html><head><title>Socket.IO client</title><link rel="icon" href="data:,"></head><body data-state="loading">
<h1>Socket.IO client</h1><p id="state">loading</p><pre id="log"></pre>
<script src="${new URL('/client.js', gatewayUrl).toString()}"></script>
<script>
  window.received = [];
  window.closedEvents = [];
  window.states = [];
  const log = (line) => { document.getElementById('log').textContent += line + '\\n'; };
  window.connection = ClientSocket.connect(${escapeJson(endpoint)}, {
    message: (m) => { window.received.push(m); log('message ' + JSON.stringify(m)); },
    closed: (e) => { window.closedEvents.push(e); log('closed ' + JSON.stringify(e)); },
    state: (s, d) => {
      window.states.push({ state: s, reason: d.reason || '' });
      document.body.dataset.state = s;
      document.body.dataset.reason = d.reason || '';
      document.getElementById('state').textContent = s + (d.reason ? ' (' + d.reason + ')' : '');
    },
  }, ${escapeJson(options)});
</script></body></html>`;
}

/** A page with a plain `new WebSocket(wsEndpoint)`: frames in `window.received`, `<body data-state>` open/closed, close code and reason. */
export function nativeWebSocketPage(wsEndpoint: string): string {
  return `<!doctype html><html><head><title>Native WebSocket client</title><link rel="icon" href="data:,"></head><body data-state="connecting">
<h1>Native WebSocket client</h1><p id="state">connecting</p><pre id="log"></pre>
<script>
  window.received = [];
  const log = (line) => { document.getElementById('log').textContent += line + '\\n'; };
  const ws = new WebSocket(${escapeJson(wsEndpoint)});
  window.ws = ws;
  ws.onopen = () => { document.body.dataset.state = 'open'; document.getElementById('state').textContent = 'open'; };
  ws.onmessage = (e) => { window.received.push(e.data); log('frame ' + e.data); };
  ws.onclose = (e) => {
    document.body.dataset.state = 'closed';
    document.body.dataset.code = String(e.code);
    document.body.dataset.reason = e.reason;
    document.getElementById('state').textContent = 'closed ' + e.code + ' ' + e.reason;
  };
</script></body></html>`;
}

/** One more api node of `cluster` whose sockets point at gateway `gatewayIndex`. */
export function spawnApiFor(cluster: TestCluster, gatewayIndex: number, label: string): Promise<AppProcess> {
  const gateway = cluster.gateways[gatewayIndex];
  if (!gateway) throw new Error(`no gateway ${gatewayIndex}`);
  return spawnApp('api', { ...cluster.env, PUBLIC_GATEWAY_URL: gateway.url }, label);
}
