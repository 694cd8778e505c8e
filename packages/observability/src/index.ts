export { createLogger } from './logger.js';
export type { Logger } from './logger.js';
export { createMetricsRegistry, renderMetrics, prom } from './metrics.js';
export type { Registry } from './metrics.js';
export { createReaperMetrics } from './reaper-metrics.js';
export type { ReaperMetrics } from './reaper-metrics.js';
export { installProcessHandlers, nodeIdFor } from './process-lifecycle.js';
