/**
 * The browser client library as one script, built on first request and
 * cached. Loaded lazily so a gateway without the browser package still runs.
 */
let cached: Promise<string> | undefined;

export function loadClientScript(): Promise<string> {
  cached ??= (async () => {
    const moduleName = '@clientsocket/browser-client/bundle';
    const mod = (await import(moduleName)) as { bundleBrowserClient: () => Promise<string> };
    return mod.bundleBrowserClient();
  })();
  cached.catch(() => (cached = undefined));
  return cached;
}
