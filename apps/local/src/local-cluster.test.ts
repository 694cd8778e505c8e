import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadConfig, VARS } from '@clientsocket/config';
import { planCluster } from './cluster-plan.js';
import { hasRedisServer, redisAnswers } from './find-redis.js';
import { LocalCluster } from './local-cluster.js';
import { planPorts } from './port-plan.js';
import { pickPort } from './ports.js';
import type { SupervisorEvent } from './supervised-process.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// The third step of SPEC §6's Redis order (nothing on 6379, redis-server on PATH)
// cannot be reached by `npm start` on a machine whose 6379 answers, so the
// cluster is driven here with that choice made.
test('a cluster with its own redis-server starts it first and stops it last', { skip: !hasRedisServer() && 'redis-server is not on PATH' }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'csc-local-unit-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !(k in VARS)));
  const env = { ...base, KEY_PREFIX: 'local-unit:', GATEWAYS: '1', WORKERS: '1', GATEWAY_PORT: '0', API_PORT: '0', METRICS_PORT: '0', SHUTDOWN_GRACE_MS: '2000' };
  const config = loadConfig(env);
  const ports = await planPorts(config, '127.0.0.1');
  const redisPort = await pickPort();
  const plan = planCluster({ config, env, root: ROOT, dataDir: dir, ports, redis: { kind: 'start', url: `redis://127.0.0.1:${redisPort}`, port: redisPort } });
  const api = plan.apps.find((a) => a.name === 'api');
  assert.equal(api?.env['DEMO_ENABLED'], 'true');
  assert.equal(api?.env['DEMO_GATEWAY_URLS'], plan.urls.gateways.join(','), 'the demo spreads its tabs over the gateways');
  const events: SupervisorEvent[] = [];
  const cluster = new LocalCluster(plan, { logsDir: dir, appGraceMs: 5000, onEvent: (e) => events.push(e) });
  t.after(() => cluster.kill());

  assert.equal(await cluster.start(), true);
  const started = events.filter((e) => e.type === 'started').map((e) => e.name);
  assert.deepEqual(started, ['redis', 'gateway-1', 'api', 'worker-1']);
  assert.equal(await redisAnswers('127.0.0.1', redisPort), true);
  const ready = await fetch(`${plan.urls.api}/readyz`);
  assert.equal(ready.status, 200, 'the api uses the started redis-server');

  const pids = Object.values(cluster.pids()).filter((p): p is number => p !== undefined);
  assert.equal(pids.length, 4);
  await cluster.stop();
  for (const pid of pids) assert.equal(alive(pid), false, `pid ${pid} still running`);
  assert.equal(events.filter((e) => e.type === 'died').length, 0, 'a stop is not reported as a death');
  // The apps drained while Redis was still there: none logged losing it on the way out.
  for (const name of ['gateway-1', 'api', 'worker-1']) {
    const log = readFileSync(join(dir, `${name}.log`), 'utf8');
    assert.match(log, /"msg":"stopped"/, `${name} stopped cleanly`);
    assert.doesNotMatch(log, /ECONNREFUSED/, `${name} lost Redis before it stopped`);
  }
});
