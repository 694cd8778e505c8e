import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** Name of the global the single-script build defines (`window.ClientSocket`). */
export const BROWSER_GLOBAL = 'ClientSocket';

let cached: Promise<string> | undefined;

/**
 * The browser client as one classic script (IIFE) that defines
 * `window.ClientSocket` with `connect`, `SendError` and `startKeepaliveTimer`,
 * socket.io-client included. Built from source with esbuild on first call and
 * cached for the life of the process; a failed build is not cached.
 *
 * @returns the script's text
 * @example
 * app.get('/client.js', async (_req, res) => {
 *   res.type('text/javascript').send(await bundleBrowserClient());
 * });
 */
export function bundleBrowserClient(): Promise<string> {
  cached ??= build({
    entryPoints: [fileURLToPath(new URL('./index.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: BROWSER_GLOBAL,
    platform: 'browser',
    target: ['es2020'],
    minify: true,
    legalComments: 'eof',
    logLevel: 'silent',
  }).then(
    (result) => {
      const file = result.outputFiles[0];
      if (!file) throw new Error('esbuild produced no output for the browser client');
      return file.text;
    },
    (err: unknown) => {
      cached = undefined;
      throw err;
    },
  );
  return cached;
}
