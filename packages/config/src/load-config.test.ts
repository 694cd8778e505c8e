import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { configTable, ConfigError, loadConfig } from './load-config.js';
import { VARS } from './definitions.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** Asserts that `env` is refused with a ConfigError naming `variable`. */
function refuses(env: Record<string, string>, variable: string): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    assert.equal(err.variable, variable);
    assert.ok(err.message.includes(variable), err.message);
    return err;
  }
  assert.fail(`${JSON.stringify(env)} was accepted`);
}

describe('loadConfig', () => {
  test('an empty environment gives the documented defaults', () => {
    const config = loadConfig({});
    assert.equal(config.REDIS_URL, 'redis://127.0.0.1:6379');
    assert.equal(config.REDIS_CLUSTER_NODES, undefined);
    assert.equal(config.KEY_PREFIX, 'csc:');
    assert.equal(config.NODE_NAME, hostname());
    assert.equal(config.API_PORT, 3000);
    assert.equal(config.GATEWAY_PORT, 3100);
    assert.equal(config.PUBLIC_GATEWAY_URL, 'http://127.0.0.1:3100');
    assert.deepEqual(config.API_KEYS, []);
    assert.deepEqual(config.TRUSTED_PROXIES, []);
    assert.equal(config.RENEWAL_MINUTE_MS, 60000);
    assert.equal(config.MAX_MESSAGE_BYTES, 65536);
    assert.equal(config.WORKFLOWS_DIR, undefined);
    assert.equal(config.DEMO_ENABLED, false);
    assert.equal(config.GATEWAYS, 2);
    assert.equal(config.WORKERS, 1);
  });

  test('every variable has a doc line, and the defaults all validate', () => {
    const rows = configTable();
    assert.deepEqual(rows.map((r) => r.name), Object.keys(VARS));
    for (const row of rows) assert.ok(row.doc.length > 10, row.name);
  });

  test('an empty string counts as unset', () => {
    assert.equal(loadConfig({ RENEWAL_MINUTE_MS: '', KEY_PREFIX: '' }).RENEWAL_MINUTE_MS, 60000);
  });

  test('values are typed: numbers, booleans, key pairs, CIDR lists', () => {
    const config = loadConfig({
      RENEWAL_MINUTE_MS: '250',
      DEMO_ENABLED: 'yes',
      API_KEYS: 'acme:secret-key-1, globex:other:key:2',
      TRUSTED_PROXIES: '10.0.0.0/8, ::1',
    });
    assert.equal(config.RENEWAL_MINUTE_MS, 250);
    assert.equal(config.DEMO_ENABLED, true);
    assert.deepEqual(config.API_KEYS, [
      { pal: 'acme', key: 'secret-key-1' },
      { pal: 'globex', key: 'other:key:2' },
    ]);
    assert.equal(config.TRUSTED_PROXIES.length, 2);
  });

  test('a bad value is a ConfigError naming the variable and the value', () => {
    const err = refuses({ RENEWAL_MINUTE_MS: 'abc' }, 'RENEWAL_MINUTE_MS');
    assert.equal(err.value, 'abc');
    assert.ok(err.message.includes('"abc"'), err.message);
  });

  test('each kind of bad value is caught', () => {
    const cases: Array<[string, string]> = [
      ['RENEWAL_MINUTE_MS', '0'],
      ['RENEWAL_MINUTE_MS', '1.5'],
      ['MAX_MESSAGE_BYTES', '-1'],
      ['API_PORT', '70000'],
      ['GATEWAY_PORT', 'http'],
      ['REDIS_URL', 'http://127.0.0.1:6379'],
      ['REDIS_CLUSTER_NODES', '127.0.0.1'],
      ['PUBLIC_GATEWAY_URL', 'ftp://gw.example.com'],
      ['PUBLIC_GATEWAY_URL', 'gw.example.com'],
      // A path would be read by socket.io-client as a namespace: io(endpoint) must connect as is.
      ['PUBLIC_GATEWAY_URL', 'https://gw.example.com/gateway'],
      ['API_KEYS', 'acme'],
      ['API_KEYS', 'acme:short'],
      ['API_KEYS', 'a:same-key-123,b:same-key-123'],
      ['HOST', '999.1.1.1'],
      ['API_KEYS', 'bad pal:long-enough-key'],
      ['TRUSTED_PROXIES', '10.0.0.0/33'],
      ['TRUSTED_PROXIES', 'proxy.internal'],
      ['KEY_PREFIX', 'has space'],
      ['LOG_LEVEL', 'loud'],
      ['DEMO_ENABLED', 'maybe'],
      ['GATEWAYS', '0'],
      ['JOB_LOCK_MS', '999'],
    ];
    for (const [variable, value] of cases) refuses({ [variable]: value }, variable);
  });
});

describe('apps refuse to start on a bad value', () => {
  /** Runs an app's main with `env` added; resolves with its exit code and stderr. */
  function runApp(app: string, env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', `apps/${app}/src/main.ts`], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (chunk: string) => (stderr += chunk));
      child.on('error', reject);
      child.on('exit', (code) => resolve({ code, stderr }));
    });
  }

  for (const app of ['api', 'gateway', 'worker']) {
    test(`${app}: exit code 1 and a message naming the variable`, async () => {
      const { code, stderr } = await runApp(app, { RENEWAL_MINUTE_MS: 'abc' });
      assert.equal(code, 1, stderr);
      assert.match(stderr, /RENEWAL_MINUTE_MS/);
      assert.match(stderr, /"abc"/);
      assert.doesNotMatch(stderr, /\n\s+at /, 'a stack trace instead of a message');
    });
  }
});
