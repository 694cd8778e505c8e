import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { RESULT_SCHEMA } from '../bench/src/report/result-schema.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;

/**
 * The bench harness still runs end to end: `npm run bench -- --quick` starts
 * its own Redis, the cluster and the baseline, runs every scenario and writes
 * a result file that matches its schema. No timing is asserted: figures
 * depend on the machine, and the suite runs beside other tests.
 */
test('npm run bench -- --quick finishes and writes a valid result', { timeout: 300_000, skip: hasRedisServer ? false : 'redis-server is not on PATH (the bench starts its own)' }, async () => {
  const out = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
  try {
    const child = spawn('npm', ['run', 'bench', '--', '--quick', '--out', out], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-20000)));
    child.stderr.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-20000)));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));

    const files = readdirSync(out);
    const json = files.filter((f) => f.endsWith('.json'));
    assert.equal(json.length, 1, `one result file expected, got ${files.join(', ')}\n${output}`);
    const stem = (json[0] as string).slice(0, -'.json'.length);
    assert.ok(files.includes(`${stem}.md`) && files.includes(`${stem}.svg`), `report and chart expected beside the JSON\n${output}`);

    const result = JSON.parse(readFileSync(join(out, json[0] as string), 'utf8')) as { errors: unknown[]; scenarios: Record<string, unknown>; profile: string };
    const validate = new Ajv({ allErrors: true }).compile(RESULT_SCHEMA);
    assert.ok(validate(result), `result does not match its schema: ${JSON.stringify(validate.errors)}`);
    assert.deepEqual(result.errors, [], `scenarios failed:\n${output}`);
    assert.equal(result.profile, 'quick');
    for (const name of ['ceiling', 'cost', 'unicast', 'inbound', 'broadcast', 'expiry', 'connections', 'pubsub']) {
      assert.ok(result.scenarios[name], `scenario ${name} missing from the result`);
    }
    assert.match(readFileSync(join(out, `${stem}.svg`), 'utf8'), /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.equal(code, 0, output);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
