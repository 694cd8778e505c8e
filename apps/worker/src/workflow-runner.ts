import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { ClientSocket, isClientSocketError, type ClientSocketManager } from '@clientsocket/core';
import type { Config } from '@clientsocket/config';
import { prom, type Logger, type Registry } from '@clientsocket/observability';
import { queueName, queuePrefix, type InboundJob } from '@clientsocket/queue';
import type { ClusterClientSocketManager, RedisClient } from '@clientsocket/store';
import type { LoadedWorkflow } from './workflow-loader.js';

export interface RunnerOptions {
  config: Config;
  connection: RedisClient;
  managerFor: (pal: string) => ClusterClientSocketManager;
  log: Logger;
  registry: Registry;
}

/**
 * Serves each loaded workflow from its BullMQ queue. At-least-once: a job
 * whose worker dies is detected as stalled after about `JOB_LOCK_MS` and run
 * again; a throwing handler is retried with backoff (`JOB_ATTEMPTS`), except
 * for errors that cannot succeed on retry (the socket is gone, bad input).
 */
export class WorkflowRunner {
  private readonly workers: Worker[] = [];

  constructor(private readonly opts: RunnerOptions) {}

  start(workflows: LoadedWorkflow[]): void {
    const { config, log, registry } = this.opts;
    const runs = new prom.Counter({ name: 'csc_workflow_runs_total', help: 'Workflow runs by result', labelNames: ['workflow', 'result'], registers: [registry] });
    const seconds = new prom.Histogram({
      name: 'csc_workflow_duration_seconds',
      help: 'Workflow run time',
      labelNames: ['workflow'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers: [registry],
    });
    const queued = new prom.Histogram({
      name: 'csc_workflow_queue_wait_seconds',
      help: 'Time from receipt by the gateway to the start of a run',
      labelNames: ['workflow'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
      registers: [registry],
    });
    for (const wf of workflows) {
      const worker = new Worker<InboundJob>(queueName(wf.name), (job) => this.run(wf, job, queued), {
        connection: this.opts.connection,
        prefix: queuePrefix(config.KEY_PREFIX),
        concurrency: config.WORKER_CONCURRENCY,
        lockDuration: config.JOB_LOCK_MS,
        stalledInterval: config.JOB_LOCK_MS,
        maxStalledCount: 3,
      });
      worker.on('completed', (job) => {
        runs.inc({ workflow: wf.name, result: 'ok' });
        if (job.processedOn && job.finishedOn) seconds.observe({ workflow: wf.name }, (job.finishedOn - job.processedOn) / 1000);
      });
      worker.on('failed', (job, err) => {
        runs.inc({ workflow: wf.name, result: 'error' });
        log.warn({ workflow: wf.name, jobId: job?.id, attempt: job?.attemptsMade, err }, 'workflow run failed');
      });
      worker.on('error', (err) => log.warn({ workflow: wf.name, err }, 'worker error'));
      this.workers.push(worker);
    }
  }

  private async run(wf: LoadedWorkflow, job: Job<InboundJob>, queued: prom.Histogram<'workflow'>): Promise<void> {
    const data = job.data;
    if (job.attemptsMade === 0) queued.observe({ workflow: wf.name }, Math.max(0, Date.now() - Date.parse(data.receivedAt)) / 1000);
    const manager = this.opts.managerFor(data.pal);
    try {
      const socket = (await manager.getClientSocket(data.socketId)) ?? this.detached(data, manager);
      await wf.handler({ ...data, jobId: String(job.id), attempt: job.attemptsMade + 1 }, socket, manager);
    } catch (err) {
      if (isClientSocketError(err) && !err.retryable) throw new UnrecoverableError(`${err.code}: ${err.message}`);
      throw err;
    }
  }

  /** The socket is gone (expired or deleted): the workflow still runs, and a push to it fails `not_found`. */
  private detached(data: InboundJob, manager: ClientSocketManager): ClientSocket {
    const now = new Date().toISOString();
    return new ClientSocket(
      {
        id: data.socketId,
        pal: data.pal,
        channel: data.channel,
        secure: false,
        clientIp: null,
        renewalIncrement: 1,
        receiverWorkflow: data.workflow,
        endpoint: '',
        wsEndpoint: '',
        worker: '',
        createdAt: data.receivedAt,
        lastAccess: data.receivedAt,
        expiresAt: now,
        messageCount: data.messageCount,
        connections: 0,
      },
      manager,
    );
  }

  /** Stops taking jobs and waits for running ones to finish. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
  }
}
