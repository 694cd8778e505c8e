import { io, type Socket } from 'socket.io-client';

/** A connected official socket.io-client, or the `connect_error` message. */
export function connectClient(endpoint: string, options: { transports?: Array<'websocket' | 'polling'>; extraHeaders?: Record<string, string> } = {}): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(endpoint, { reconnection: false, forceNew: true, timeout: 10_000, ...options });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}

/** The `connect_error` message a refused handshake gets. */
export async function refusal(endpoint: string, options: Parameters<typeof connectClient>[1] = {}): Promise<string> {
  try {
    const s = await connectClient(endpoint, options);
    s.close();
    return 'connected';
  } catch (err) {
    return (err as Error).message;
  }
}

/**
 * The next `event` on `socket`. The guard only turns a hang into a clear
 * failure; it is not a timing assertion.
 */
export function nextEvent<T = unknown>(socket: Socket, event: string, guardMs = 20_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, on);
      reject(new Error(`no '${event}' event within ${guardMs} ms`));
    }, guardMs);
    const on = (payload: T): void => {
      clearTimeout(timer);
      resolve(payload);
    };
    socket.once(event, on);
  });
}

/** Collects every `event` payload on `socket`. */
export function collect<T = unknown>(socket: Socket, event: string): T[] {
  const out: T[] = [];
  socket.on(event, (p: T) => out.push(p));
  return out;
}

/** Polls `check` until it returns a truthy value (for state with no event, e.g. Redis counts). */
export async function eventually<T>(check: () => Promise<T> | T, guardMs = 20_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + guardMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
      last = v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${guardMs} ms (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
