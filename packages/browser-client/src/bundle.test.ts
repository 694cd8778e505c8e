import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runInNewContext } from 'node:vm';
import { BROWSER_GLOBAL, bundleBrowserClient } from './bundle.js';

test('the bundle is one classic script defining window.ClientSocket, built once', async () => {
  const [first, second] = await Promise.all([bundleBrowserClient(), bundleBrowserClient()]);
  assert.equal(first, second);
  assert.equal(await bundleBrowserClient(), first);
  assert.doesNotMatch(first, /^\s*(import|export)\s/m, 'no module syntax at top level');

  // Evaluated as a classic script, its top-level `var` becomes a property of the global object.
  const sandbox: Record<string, unknown> = { setTimeout, clearTimeout, setInterval, clearInterval };
  runInNewContext(first, sandbox);
  const api = sandbox[BROWSER_GLOBAL] as Record<string, unknown>;
  assert.equal(typeof api['connect'], 'function');
  assert.equal(typeof api['SendError'], 'function');
  assert.equal(typeof api['startKeepaliveTimer'], 'function');
});
