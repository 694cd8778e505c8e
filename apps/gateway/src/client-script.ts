/**
 * The browser client library as one script, built on first request and
 * cached (esbuild is loaded only when a browser first asks for it).
 */
let cached: Promise<string> | undefined;

export function loadClientScript(): Promise<string> {
  cached ??= import('@clientsocket/browser-client/bundle').then((mod) => mod.bundleBrowserClient());
  cached.catch(() => (cached = undefined));
  return cached;
}
