import type { Message } from '@clientsocket/core';

/** One inbound client message, as queued for its receiver workflow. */
export interface InboundJob {
  /** Unique per message; also the BullMQ job id (so a re-queued duplicate is one job). */
  messageId: string;
  pal: string;
  socketId: string;
  channel: string;
  workflow: string;
  message: Message;
  /** ISO-8601 UTC time the gateway received it. */
  receivedAt: string;
  /** The socket's message count after this one. */
  messageCount: number;
}

/**
 * BullMQ queue name of a workflow. One queue per workflow, so a message for a
 * workflow no worker serves simply waits in its own queue. The braces are a
 * Redis Cluster hash tag: all of one queue's keys land in one slot, and
 * different workflows spread over the cluster.
 */
export function queueName(workflow: string): string {
  return `{wf.${workflow}}`;
}

/** BullMQ key prefix under the product's key prefix. */
export function queuePrefix(keyPrefix: string): string {
  return `${keyPrefix}q`;
}
