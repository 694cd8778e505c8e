// How the launcher reads its children's output: which line means "ready" and
// which lines deserve the terminal. Everything else stays in the log files.

const PINO_LEVELS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

function parseJson(line: string): Record<string, unknown> | null {
  if (!line.startsWith('{')) return null;
  try {
    const value: unknown = JSON.parse(line);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** True for an app's `{"msg":"listening"}` log line. */
export function isListeningLine(line: string): boolean {
  return parseJson(line)?.['msg'] === 'listening';
}

/**
 * Terminal text for an app's output line: JSON log lines at warn or above
 * (`warn redis error: connect ECONNREFUSED …`), and any non-JSON stderr line,
 * which is how a crash before the logger exists shows up.
 */
export function appEcho(line: string, stream: 'stdout' | 'stderr'): string | null {
  const entry = parseJson(line);
  if (!entry) return stream === 'stderr' && line.trim() ? line : null;
  const raw = entry['level'];
  const label = typeof raw === 'number' ? (Object.keys(PINO_LEVELS).find((k) => PINO_LEVELS[k] === raw) ?? String(raw)) : String(raw);
  const level = typeof raw === 'number' ? raw : (PINO_LEVELS[label] ?? 0);
  if (level < PINO_LEVELS['warn']!) return null;
  const err = entry['err'] as { message?: unknown; code?: unknown } | undefined;
  const detail = typeof err?.message === 'string' && err.message ? err.message : typeof err?.code === 'string' ? err.code : '';
  return `${label} ${String(entry['msg'] ?? '')}${detail ? `: ${detail}` : ''}`;
}

/** True for the line redis-server prints once it accepts clients. */
export function isRedisReadyLine(line: string): boolean {
  return line.includes('Ready to accept connections');
}

/**
 * Terminal text for redis-server's problems. Redis logs its start and stop
 * chatter and host tuning advice at warning level (`#`) too, so only warning
 * lines that report a failure are shown; the log file has them all.
 */
export function redisEcho(line: string): string | null {
  const m = /^\d+:[A-Z] .+? # (.*)$/.exec(line);
  return m && /error|fail|can't|cannot|unable|denied|refused|\bOOM\b/i.test(m[1]!) ? `warning ${m[1]}` : null;
}
