import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { appEcho, redisEcho } from './output-lines.js';
import { Terminal } from './terminal.js';

test('app lines at warn and above reach the terminal, with the error message', () => {
  assert.equal(appEcho('{"level":"info","msg":"listening","port":3000}', 'stdout'), null);
  assert.equal(appEcho('{"level":"warn","msg":"redis error","err":{"message":"connect ECONNREFUSED"}}', 'stdout'), 'warn redis error: connect ECONNREFUSED');
  assert.equal(appEcho('{"level":50,"msg":"boom"}', 'stdout'), 'error boom');
  assert.equal(appEcho('Error: Cannot find module', 'stderr'), 'Error: Cannot find module', 'a crash before the logger exists');
  assert.equal(appEcho('plain stdout', 'stdout'), null);
});

test('redis-server failures reach the terminal, its start-up chatter does not', () => {
  assert.equal(redisEcho('123:M 03 Dec 2026 15:49:01.123 # Failed opening the temp RDB file temp-123.rdb (in server root dir /x) for saving: Permission denied'), 'warning Failed opening the temp RDB file temp-123.rdb (in server root dir /x) for saving: Permission denied');
  assert.equal(redisEcho('123:M 03 Dec 2026 15:49:01.123 # Server initialized'), null);
  assert.equal(redisEcho('123:M 03 Dec 2026 15:49:01.123 # WARNING Memory overcommit must be enabled!'), null);
  assert.equal(redisEcho('123:M 03 Dec 2026 15:49:01.123 * Ready to accept connections tcp'), null);
});

test('a repeated child line is shown once, then at the 10th, 100th repeat', () => {
  const out = new PassThrough();
  const err = new PassThrough();
  const terminal = new Terminal(out, err);
  for (let i = 0; i < 120; i++) terminal.report({ type: 'output', name: 'api', text: 'warn redis error' });
  terminal.report({ type: 'output', name: 'api', text: 'warn other' });
  const lines = String(err.read()).trim().split('\n');
  assert.deepEqual(lines, ['[api] warn redis error', '[api] warn redis error (×10)', '[api] warn redis error (×100)', '[api] warn other']);
});
