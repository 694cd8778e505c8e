import type { ClientSocket, ClientSocketManager } from '@clientsocket/core';
import type { InboundJob } from './inbound-job.js';

/** What a workflow handler receives about one inbound message. */
export interface WorkflowJob extends InboundJob {
  /** BullMQ job id. */
  jobId: string;
  /** 1 on the first run, 2 on the first retry, ... */
  attempt: number;
}

/**
 * A receiver workflow: the default export of a module in `WORKFLOWS_DIR`,
 * named after its file. Runs once per inbound message (at least once: a run
 * cut short by a dying worker is repeated elsewhere, and a throw is retried
 * with backoff). Throw a `ClientSocketError` with a non-retryable code to
 * fail a job without retries.
 *
 * @param job the message and where it came from
 * @param socket the socket it came from; `sendMessage` reaches its browser
 * @param manager the pal's ClientSocketManager (other sockets, channels)
 *
 * @example
 * // workflows/echo.ts
 * const echo: WorkflowHandler = async (job, socket) => {
 *   await socket.sendMessage(job.message);
 * };
 * export default echo;
 */
export type WorkflowHandler = (job: WorkflowJob, socket: ClientSocket, manager: ClientSocketManager) => unknown;
