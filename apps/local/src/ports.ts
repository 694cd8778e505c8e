import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** A port the kernel says is free on `host` right now (it may be taken again later). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** True when something already listens on `host:port` (a bind fails with EADDRINUSE). */
export function portInUse(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'EADDRINUSE' || err.code === 'EACCES'));
    srv.listen(port, host, () => srv.close(() => resolve(false)));
  });
}

/** First port of the kernel's ephemeral range (Linux), if known. */
function ephemeralRangeStart(): number | undefined {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 0 ? low : undefined;
  } catch {
    return undefined;
  }
}

const FLOOR = 10_000;

/**
 * A free port for a process that binds it a few seconds from now (a child
 * still starting up). Picked at random below the kernel's ephemeral range,
 * where no outgoing connection and no other `listen(0)` caller is handed it
 * in the meantime; on a busy machine a `listen(0)` port is often taken again
 * before the child binds it. Falls back to {@link freePort} where the range is unknown.
 */
export async function pickPort(host = '127.0.0.1', exclude: ReadonlySet<number> = new Set()): Promise<number> {
  const low = ephemeralRangeStart();
  if (low !== undefined && low - FLOOR >= 1000) {
    for (let i = 0; i < 50; i++) {
      const port = FLOOR + Math.floor(Math.random() * (low - FLOOR));
      if (!exclude.has(port) && !(await portInUse(host, port))) return port;
    }
  }
  for (;;) {
    const port = await freePort(host);
    if (!exclude.has(port)) return port;
  }
}
