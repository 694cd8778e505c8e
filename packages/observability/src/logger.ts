import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * The structured JSON logger of a process (pino: fast, JSON by default, the
 * de-facto standard for Node services). Every line carries `role` and `node`.
 *
 * @example
 * const log = createLogger({ role: 'gateway', node: 'gw-1', level: 'info' });
 */
export function createLogger(opts: { role: string; node: string; level: string }): Logger {
  return pino({
    level: opts.level,
    base: { role: opts.role, node: opts.node },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
}
