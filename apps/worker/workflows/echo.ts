import type { WorkflowHandler } from '@clientsocket/queue';

/** Sends the received message back to the same socket, unchanged. */
const echo: WorkflowHandler = async (job, socket) => {
  await socket.sendMessage(job.message);
};

export default echo;
