// `npm test`: finds every *.test.ts (unit tests beside the code, multi-process and
// fault tests under test/), makes Redis available the same way `npm start` does,
// and runs them all with Node's built-in test runner.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { findRedis } from './redis-env.mjs';

const root = new URL('..', import.meta.url).pathname;
const roots = ['packages', 'apps', 'test'];
const files = [];
function walk(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith('.test.ts')) files.push(relative(root, path));
  }
}
for (const r of roots) walk(join(root, r));
const filters = process.argv.slice(2);
const selected = (filters.length ? files.filter((f) => filters.some((x) => f.includes(x))) : files).sort();
if (selected.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}

const redis = await findRedis();
if (!redis) {
  console.error('No Redis: set REDIS_URL, run one on 127.0.0.1:6379, or put redis-server on PATH (apt-get install redis-server).');
  process.exit(1);
}
console.log(`# redis: ${redis.source}`);
const env = { ...process.env, REDIS_URL: redis.url, NODE_ENV: 'test' };
const concurrency = process.env.TEST_CONCURRENCY ?? '2';
const child = spawn(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...selected], {
  cwd: root,
  env,
  stdio: 'inherit',
});
const stop = () => child.kill('SIGINT');
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
child.on('exit', (code, signal) => {
  redis.proc?.kill('SIGTERM');
  process.exit(code ?? (signal ? 1 : 0));
});
