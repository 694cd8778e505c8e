export { createLogger } from './logger.js';
export type { Logger } from './logger.js';
export { createMetricsRegistry, renderMetrics, prom } from './metrics.js';
export type { Registry } from './metrics.js';
