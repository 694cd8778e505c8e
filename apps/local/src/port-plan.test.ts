import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '@clientsocket/config';
import { planPorts } from './port-plan.js';

const defaults = { API_PORT: 3000, GATEWAY_PORT: 3100, METRICS_PORT: 9400, GATEWAYS: 2, WORKERS: 1 };

test('ranges that overlap are refused, naming the variable', async () => {
  await assert.rejects(planPorts({ ...defaults, API_PORT: 3101 }, '127.0.0.1'), (err: unknown) => err instanceof ConfigError && err.variable === 'API_PORT' && /gateway-2/.test(err.message));
});

test('a gateway range past 65535 is refused, naming GATEWAY_PORT and GATEWAYS', async () => {
  await assert.rejects(planPorts({ ...defaults, GATEWAY_PORT: 65535 }, '127.0.0.1'), (err: unknown) => err instanceof ConfigError && err.variable === 'GATEWAY_PORT' && /GATEWAYS=2/.test(err.message));
});

test('port 0 gives every process its own free port', async () => {
  const plan = await planPorts({ API_PORT: 0, GATEWAY_PORT: 0, METRICS_PORT: 0, GATEWAYS: 3, WORKERS: 2 }, '127.0.0.1');
  const all = [plan.api, ...plan.gateways, ...plan.workers];
  assert.equal(all.length, 6);
  assert.equal(new Set(all).size, 6);
  for (const p of all) assert.ok(p > 0);
});
