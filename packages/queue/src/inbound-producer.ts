import { Queue } from 'bullmq';
import type { Redis, Cluster } from 'ioredis';
import { ClientSocketError } from '@clientsocket/core';
import { queueName, queuePrefix, type InboundJob } from './inbound-job.js';
import { inboundJobOptions, type RetentionConfig } from './job-options.js';

/** Queues inbound messages for their workflows. The gateway depends on this, not on BullMQ. */
export interface InboundProducer {
  /** Resolves once the job is durably in Redis. @returns the job id. @throws `unavailable` */
  enqueue(job: InboundJob): Promise<string>;
  close(): Promise<void>;
}

/**
 * BullMQ producer. Its connection should fail fast (no offline queue): a
 * message that cannot be queued is answered `unavailable`, never held.
 */
export class BullInboundProducer implements InboundProducer {
  private readonly queues = new Map<string, Queue>();

  constructor(
    private readonly connection: Redis | Cluster,
    private readonly keyPrefix: string,
    private readonly config: RetentionConfig & { REDIS_COMMAND_TIMEOUT_MS: number },
  ) {}

  private queue(workflow: string): Queue {
    let q = this.queues.get(workflow);
    if (!q) {
      q = new Queue(queueName(workflow), {
        connection: this.connection,
        prefix: queuePrefix(this.keyPrefix),
        defaultJobOptions: inboundJobOptions(this.config),
      });
      q.on('error', () => undefined); // surfaced through enqueue's rejection
      this.queues.set(workflow, q);
    }
    return q;
  }

  async enqueue(job: InboundJob): Promise<string> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('queue add timed out')), this.config.REDIS_COMMAND_TIMEOUT_MS);
    });
    try {
      const added = await Promise.race([this.queue(job.workflow).add('message', job, { jobId: job.messageId }), timeout]);
      return added.id ?? job.messageId;
    } catch (err) {
      throw new ClientSocketError('unavailable', 'The message could not be queued; retry shortly', { cause: err });
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes the queues (not the shared connection, which the caller owns). */
  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close().catch(() => undefined)));
    this.queues.clear();
  }
}
