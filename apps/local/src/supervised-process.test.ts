import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SupervisedProcess, type ProcessSpec, type SupervisorEvent } from './supervised-process.js';

/** A supervisor whose events can be awaited in order. */
function supervise(spec: Partial<ProcessSpec>, t: { after(fn: () => void): void }) {
  const dir = mkdtempSync(join(tmpdir(), 'csc-supervise-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const events: SupervisorEvent[] = [];
  const waiters: Array<{ match: (e: SupervisorEvent) => boolean; resolve: (e: SupervisorEvent) => void }> = [];
  const logFile = join(dir, 'p.log');
  const p = new SupervisedProcess(
    { name: 'p', command: process.execPath, args: [], cwd: dir, env: process.env, isReady: (l) => l === 'ready', echo: (l, s) => (s === 'stderr' ? l : null), ...spec },
    {
      logFile,
      initialBackoffMs: 10,
      onEvent: (e) => {
        events.push(e);
        const i = waiters.findIndex((w) => w.match(e));
        if (i >= 0) waiters.splice(i, 1)[0]!.resolve(e);
      },
    },
  );
  const next = (match: (e: SupervisorEvent) => boolean): Promise<SupervisorEvent> => {
    const seen = events.find(match);
    return seen ? Promise.resolve(seen) : new Promise((resolve) => waiters.push({ match, resolve }));
  };
  t.after(() => p.kill());
  return { p, events, next, logFile };
}

test('a process that dies is reported and restarted; stop() ends it for good and keeps its last lines', async (t) => {
  // Exits with 3 on its first run (no marker file yet), stays up on the next.
  const script = [
    `const fs = require('fs');`,
    `process.on('SIGTERM', () => { console.log('bye'); process.exit(0); });`,
    `console.error('boom');`,
    `console.log('ready');`,
    `if (!fs.existsSync('ran')) { fs.writeFileSync('ran', ''); process.exit(3); }`,
    `setInterval(() => {}, 1000);`,
  ].join('\n');
  const { p, events, next, logFile } = supervise({ args: ['-e', script] }, t);
  p.start();
  assert.equal(await p.firstReady, true);
  const died = await next((e) => e.type === 'died');
  assert.equal(died.type === 'died' && died.code, 3);
  await next((e) => e.type === 'ready' && e.restart);
  assert.ok(events.some((e) => e.type === 'output' && e.text === 'boom'), 'stderr lines are echoed');
  const pid = p.pid;
  assert.ok(pid);
  await p.stop(5000);
  assert.equal(p.pid, undefined);
  assert.equal(events.filter((e) => e.type === 'died').length, 1, 'a stop is not a death');
  assert.match(readFileSync(logFile, 'utf8'), /bye\n$/, 'the last line of the last run is in the log');
});

test('a command that cannot be spawned is reported once per attempt', async (t) => {
  const { p, events, next } = supervise({ command: join(tmpdir(), 'no-such-command-here') }, t);
  p.start();
  await next((e) => e.type === 'died');
  await p.stop(1000);
  assert.equal(events.filter((e) => e.type === 'started').length, 0);
  assert.ok(events.filter((e) => e.type === 'died').length >= 1);
  assert.equal(await p.firstReady, false);
});
