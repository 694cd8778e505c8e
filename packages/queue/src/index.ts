export { queueName, queuePrefix } from './inbound-job.js';
export type { InboundJob } from './inbound-job.js';
export { inboundJobOptions } from './job-options.js';
export type { RetentionConfig } from './job-options.js';
export { BullInboundProducer } from './inbound-producer.js';
export type { InboundProducer } from './inbound-producer.js';
export type { WorkflowHandler, WorkflowJob } from './workflow.js';
