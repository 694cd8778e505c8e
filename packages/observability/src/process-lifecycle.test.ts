import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

test('an app started over IPC drains and exits when its supervisor goes away', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/api/src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, API_PORT: '0', HOST: '127.0.0.1', KEY_PREFIX: `t-ipc-${process.pid}:`, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', () => out.includes('"listening"') && resolve());
    child.once('exit', (code) => reject(new Error(`exited early (${code}): ${out}`)));
  });
  const exited = once(child, 'exit');
  child.disconnect(); // what the supervisor's death looks like from the child
  const [code] = (await exited) as [number | null];
  assert.equal(code, 0);
  assert.match(out, /supervisor gone/);
});
