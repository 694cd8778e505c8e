import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { configTable } from '@clientsocket/config';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

test('the README configuration table lists every variable with its default, and nothing else', () => {
  const rows = new Map<string, string>();
  for (const line of readme.split('\n')) {
    const m = /^\| `([A-Z_]+)` \| ([^|]*) \|/.exec(line);
    if (m?.[1]) rows.set(m[1], (m[2] ?? '').trim().replace(/`/g, ''));
  }
  for (const v of configTable()) {
    assert.ok(rows.has(v.name), `${v.name} is missing from the README`);
    assert.equal(rows.get(v.name), v.default, `${v.name} default`);
  }
  assert.deepEqual([...rows.keys()].sort(), configTable().map((v) => v.name).sort());
});

test('the README gives the two commands', () => {
  assert.match(readme, /npm install\nnpm start/);
  assert.match(readme, /npm test/);
});
