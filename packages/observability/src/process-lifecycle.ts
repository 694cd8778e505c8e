import type { Logger } from 'pino';

/**
 * Process-wide safety nets and signals, the same in every app: an
 * unexpected rejection is logged (one failed request never takes the node
 * down), an uncaught exception is logged and exits 1, and SIGTERM / SIGINT
 * run `shutdown` once, bounded by `graceMs`, then exit.
 */
export function installProcessHandlers(log: Logger, shutdown: (signal: string) => Promise<void>, graceMs: number): void {
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled rejection'));
  // After an uncaught exception the process state is unknown (e.g. a server that failed to listen): exit and let the supervisor restart it.
  process.on('uncaughtException', (err) => {
    log.fatal({ err }, 'uncaught exception');
    process.exit(1);
  });
  let stopping = false;
  const onSignal = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      log.warn('shutdown grace elapsed; exiting');
      process.exit(1);
    }, graceMs + 2000);
    force.unref();
    shutdown(signal).then(
      () => {
        log.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
  // Started by a supervisor over IPC (the local cluster): if it dies, even by SIGKILL, drain and exit too.
  if (process.send) process.on('disconnect', () => onSignal('supervisor gone'));
}

/** This process's node id: readable, and unique per start (liveness leases key on it). */
export function nodeIdFor(role: string, name: string, port: number | string): string {
  return `${role}-${name}-${port}-${Math.random().toString(36).slice(2, 6)}`;
}
