import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { queueName, queuePrefix } from '@clientsocket/queue';
import { spawnApp, startCluster, type AppProcess, type TestCluster } from './helpers/cluster.js';
import { connectClient, eventually, nextEvent } from './helpers/clients.js';
import { testRedis } from './helpers/redis.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/workflows', import.meta.url));
const HANGING = fileURLToPath(new URL('./fixtures/workflows-hang', import.meta.url));
const RESCUE = fileURLToPath(new URL('./fixtures/workflows-rescue', import.meta.url));

/** Receiver workflows (SPEC §5): at-least-once, retries with backoff, bounded failed retention, waiting queues. */
describe('receiver workflows', () => {
  let cluster: TestCluster;
  const redis = testRedis();
  const extra: AppProcess[] = [];
  before(async () => {
    cluster = await startCluster({
      name: 'workflows',
      gateways: 1,
      workers: 1,
      env: { WORKFLOWS_DIR: FIXTURES, JOB_LOCK_MS: '1500', JOB_BACKOFF_MS: '50', JOB_ATTEMPTS: '3', JOB_KEEP_COMPLETED: '3', JOB_KEEP_FAILED: '2' },
    });
  });
  after(async () => {
    await Promise.all(extra.map((p) => p.kill('SIGKILL')));
    await cluster.stop();
    redis.disconnect();
  });

  const count = async (q: Queue, ...states: Array<'failed' | 'completed' | 'wait' | 'active' | 'delayed'>): Promise<number> => {
    const counts = await q.getJobCounts(...states);
    return states.reduce((n, st) => n + (counts[st] ?? 0), 0);
  };
  const queue = (workflow: string): Queue => new Queue(queueName(workflow), { connection: redis, prefix: queuePrefix(cluster.prefix) });

  test('a throwing workflow is retried with backoff and succeeds on a later attempt', async () => {
    const s = (await cluster.request('POST', '/v1/sockets', { channel: 'flaky', receiverWorkflow: 'flaky' })).body;
    const client = await connectClient(s.endpoint);
    try {
      const reply = nextEvent(client, 'message');
      assert.equal(((await client.emitWithAck('message', 'go')) as { ok: boolean }).ok, true);
      assert.deepEqual(await reply, { attempt: 3 });
    } finally {
      client.close();
    }
  });

  test('a job that always throws ends failed after its attempts; failed jobs are kept, bounded', async () => {
    const s = (await cluster.request('POST', '/v1/sockets', { channel: 'failing', receiverWorkflow: 'failing' })).body;
    const client = await connectClient(s.endpoint);
    const q = queue('failing');
    try {
      const acks = [];
      for (let i = 0; i < 5; i++) acks.push((await client.emitWithAck('message', { i })) as { ok: boolean; id: string });
      const first = await q.getJob(acks[0]?.id as string);
      await eventually(async () => (await count(q, 'failed')) >= 2 && (await count(q, 'wait', 'active', 'delayed')) === 0);
      const failed = await count(q, 'failed');
      assert.ok(failed <= 2, `failed retention is bounded (JOB_KEEP_FAILED=2), got ${failed}`);
      const kept = await q.getFailed();
      assert.ok(kept.every((j) => j.attemptsMade === 3 && j.failedReason.includes('always fails')));
      assert.ok(first === undefined || first.attemptsMade <= 3);
    } finally {
      client.close();
      await q.close();
    }
  });

  test('completed jobs are kept only up to JOB_KEEP_COMPLETED', async () => {
    const s = (await cluster.request('POST', '/v1/sockets', { channel: 'many', receiverWorkflow: 'echo' })).body;
    const client = await connectClient(s.endpoint);
    const q = queue('echo');
    try {
      let replies = 0;
      const all = new Promise<void>((resolve) => client.on('message', () => ++replies === 10 && resolve()));
      for (let i = 0; i < 10; i++) await client.emitWithAck('message', i);
      await all;
      await eventually(async () => (await count(q, 'completed')) <= 3);
    } finally {
      client.close();
      await q.close();
    }
  });

  test('a message for a workflow no worker serves waits in its queue and runs once a worker serves it', async () => {
    const s = (await cluster.request('POST', '/v1/sockets', { channel: 'later', receiverWorkflow: 'nobody-yet' })).body;
    const client = await connectClient(s.endpoint);
    const q = queue('nobody-yet');
    try {
      const ack = (await client.emitWithAck('message', 'patience')) as { ok: boolean; id: string };
      assert.equal(ack.ok, true);
      assert.equal(await q.getJobState(ack.id), 'waiting');
      const { mkdtemp, writeFile } = await import('node:fs/promises');
      const { tmpdir } = await import('node:os');
      const dir = await mkdtemp(`${tmpdir()}/wf-`);
      await writeFile(`${dir}/nobody-yet.ts`, `export { default } from '${FIXTURES}/later.ts';\n`);
      const reply = nextEvent(client, 'message');
      extra.push(await spawnApp('worker', { ...cluster.env, WORKFLOWS_DIR: dir }, 'late-worker'));
      assert.deepEqual(await reply, { servedLate: 'patience' });
    } finally {
      client.close();
      await q.close();
    }
  });

  test('a job whose worker dies mid-run is run again by another worker (at-least-once)', async () => {
    const hanging = await spawnApp('worker', { ...cluster.env, WORKFLOWS_DIR: HANGING }, 'hanging-worker');
    extra.push(hanging);
    // Only the hanging worker serves `slow` until it is killed.
    const s = (await cluster.request('POST', '/v1/sockets', { channel: 'slow', receiverWorkflow: 'slow', renewalIncrement: 10 })).body;
    const client = await connectClient(s.endpoint);
    try {
      const started = nextEvent<{ phase: string; jobId: string }>(client, 'message');
      const ack = (await client.emitWithAck('message', 'survive me')) as { ok: boolean; id: string };
      const first = await started;
      assert.deepEqual(first, { phase: 'started', jobId: ack.id });
      const done = nextEvent<{ phase: string; jobId: string; message: string }>(client, 'message', 30_000);
      await hanging.kill('SIGKILL');
      const rescuer = await spawnApp('worker', { ...cluster.env, WORKFLOWS_DIR: RESCUE }, 'rescuer');
      extra.push(rescuer);
      assert.deepEqual(await done, { phase: 'done', jobId: ack.id, message: 'survive me' });
    } finally {
      client.close();
    }
  });
});
