import type { JobsOptions } from 'bullmq';

export interface RetentionConfig {
  JOB_ATTEMPTS: number;
  JOB_BACKOFF_MS: number;
  JOB_KEEP_COMPLETED: number;
  JOB_KEEP_FAILED: number;
}

/**
 * Options of every inbound job: retries with exponential backoff, and bounded
 * retention, so completed and failed jobs never grow without bound.
 */
export function inboundJobOptions(config: RetentionConfig): JobsOptions {
  return {
    attempts: config.JOB_ATTEMPTS,
    backoff: { type: 'exponential', delay: config.JOB_BACKOFF_MS },
    removeOnComplete: { age: 3600, count: config.JOB_KEEP_COMPLETED },
    removeOnFail: { age: 7 * 24 * 3600, count: config.JOB_KEEP_FAILED },
  };
}
