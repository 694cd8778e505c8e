import type { WorkflowHandler } from '@clientsocket/queue';

/** Sends the received message to every socket of the pal in the same channel (the sender included). */
const chat: WorkflowHandler = async (job, _socket, manager) => {
  await manager.sendChannelMessage(job.channel, job.message);
};

export default chat;
