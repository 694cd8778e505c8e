import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { startKeepaliveTimer, type KeepaliveTimer, type TimerKind } from './keepalive-timer.js';
import { SendError } from './send-error.js';

/**
 * Lifecycle of a connection:
 * `connecting` → `connected` ⇄ `reconnecting`, and finally `closed` (no way back).
 */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'closed';

/** Reasons the server gives in a `closed` event, just before it disconnects. */
export type ServerCloseReason = 'expired' | 'deleted' | 'shutdown';

/**
 * Why a connection ended for good: the socket expired or was deleted, the
 * gateway refused the handshake, reconnection gave up, or the page closed it.
 */
export type FinalReason = 'expired' | 'deleted' | 'socket_not_found' | 'ip_not_allowed' | 'reconnect_failed' | 'client' | (string & {});

/** What accompanies a state change. */
export interface StateDetail {
  /**
   * `reconnecting`: why the connection was lost (`shutdown`, `transport close`,
   * `ping timeout`, a connect error message...). `closed`: the {@link FinalReason}.
   */
  reason?: string;
  /** `reconnecting`: number of the reconnection attempt about to be made, from 1. */
  attempt?: number;
}

/** The ack of an accepted message: the job it was queued as. */
export interface MessageAck {
  ok: true;
  id: string;
}

/** Callbacks of {@link connect}; all optional. */
export interface ConnectHandlers {
  /** A payload pushed by the server (`sendMessage`, a channel broadcast, a workflow's reply). */
  message?(message: unknown): void;
  /** Every state change, with why. */
  state?(state: ConnectionState, detail: StateDetail): void;
  /** The server's `closed` event as sent; `shutdown` is followed by a reconnection, the others end the connection. */
  closed?(event: { reason: ServerCloseReason }): void;
  /** The socket's new expiry, each time a ping renews it. */
  expiresAt?(expiresAt: Date): void;
}

/** Options of {@link connect}. */
export interface ConnectOptions {
  /** Period of the keep-alive `ping`. Keep it well under the socket's renewal increment. @default 30000 */
  pingIntervalMs?: number;
  /** How long `send` and `ping` wait for a connection and then for the ack. @default 10000 */
  ackTimeoutMs?: number;
  /** First reconnection delay; doubles per attempt. @default 1000 */
  reconnectionDelayMs?: number;
  /** Ceiling of the reconnection delay. @default 30000 */
  reconnectionDelayMaxMs?: number;
  /**
   * Jitter of each reconnection delay, 0-1: a delay `d` becomes uniform in
   * `d·(1±factor)`, so clients of a node that went away do not all return at once.
   * @default 0.5
   */
  randomizationFactor?: number;
  /** Reconnection attempts before giving up with `reconnect_failed`. @default Infinity */
  reconnectionAttempts?: number;
  /** Clock of the keep-alive: `auto` uses a Worker where possible (see README). @default 'auto' */
  timer?: 'auto' | TimerKind;
  /** Passed to socket.io-client's `io()` last, overriding the above (transports, path...). */
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
}

const REFUSALS: ReadonlySet<string> = new Set(['socket_not_found', 'ip_not_allowed']);
const FINAL_SERVER_REASONS: ReadonlySet<string> = new Set(['expired', 'deleted']);

interface Ack {
  ok?: unknown;
  id?: unknown;
  expiresAt?: unknown;
  error?: { code?: unknown; message?: unknown };
}

/**
 * One browser connection to a ClientSocket, over the official socket.io-client.
 * Made by {@link connect}.
 */
export class ClientSocketConnection {
  /** The ClientSocket id, from the endpoint. */
  readonly socketId: string | null;
  private currentState: ConnectionState = 'connecting';
  private finalReason: FinalReason | null = null;
  private expiry: Date | null = null;
  private lastRenewal = 0;
  private keepaliveOn = true;
  /** `closed` reason announced by the server for the disconnect that follows it. */
  private announced: ServerCloseReason | null = null;
  private resumeTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly socket: Socket;
  private readonly timer: KeepaliveTimer;
  private readonly waiters = new Set<() => void>();
  private readonly pingIntervalMs: number;
  private readonly ackTimeoutMs: number;
  private readonly reconnectionDelayMs: number;
  private readonly randomizationFactor: number;
  private readonly onVisible = (): void => {
    if (document.visibilityState === 'visible' && Date.now() - this.lastRenewal >= this.pingIntervalMs) this.keepalive();
  };

  constructor(
    endpoint: string,
    private readonly handlers: ConnectHandlers = {},
    options: ConnectOptions = {},
  ) {
    this.socketId = socketIdOf(endpoint);
    this.pingIntervalMs = options.pingIntervalMs ?? 30_000;
    this.ackTimeoutMs = options.ackTimeoutMs ?? 10_000;
    this.reconnectionDelayMs = options.reconnectionDelayMs ?? 1000;
    this.randomizationFactor = options.randomizationFactor ?? 0.5;
    this.socket = io(endpoint, {
      // Each connection is its own ClientSocket; sharing a manager would share one handshake query.
      forceNew: true,
      reconnectionDelay: this.reconnectionDelayMs,
      reconnectionDelayMax: options.reconnectionDelayMaxMs ?? 30_000,
      randomizationFactor: this.randomizationFactor,
      reconnectionAttempts: options.reconnectionAttempts ?? Infinity,
      ...options.socketOptions,
    });
    this.socket.on('connect', () => {
      this.setState('connected', {});
      // The handshake renewed the socket, but only a ping ack tells the page until when.
      this.keepalive();
    });
    this.socket.on('message', (message: unknown) => this.handlers.message?.(message));
    this.socket.on('closed', (event: { reason?: unknown } | undefined) => this.onClosedEvent(event));
    this.socket.on('disconnect', (reason) => this.onDisconnect(reason));
    this.socket.on('connect_error', (err: Error) => this.onConnectError(err));
    this.socket.io.on('reconnect_attempt', (attempt) => {
      if (this.currentState !== 'closed') this.setState('reconnecting', { reason: 'retrying', attempt });
    });
    this.socket.io.on('reconnect_failed', () => this.finish('reconnect_failed'));
    this.timer = startKeepaliveTimer(this.pingIntervalMs, () => this.keepalive(), options.timer ?? 'auto');
    if (typeof document !== 'undefined') document.addEventListener('visibilitychange', this.onVisible);
  }

  /** Current lifecycle state. */
  get state(): ConnectionState {
    return this.currentState;
  }

  /** Why the connection ended, once `state` is `closed`. */
  get closeReason(): FinalReason | null {
    return this.finalReason;
  }

  /** The socket's expiry as of the last ping ack; null before the first. */
  get expiresAt(): Date | null {
    return this.expiry;
  }

  /** Which clock drives the keep-alive: `worker` unless it had to fall back. */
  get timerKind(): TimerKind {
    return this.timer.kind;
  }

  /**
   * Sends a message for the socket's receiver workflow and waits for the gateway's ack.
   * Resolves only on `{ok: true}`; every other outcome rejects with a {@link SendError}:
   * the gateway's code (`no_receiver`, `payload_too_large`, `rate_limited`,
   * `unavailable`), or `timeout`, `not_connected`, `closed`.
   * While the connection is (re)connecting the call waits for it, up to `ackTimeoutMs`.
   *
   * @param message - a string or any JSON value
   * @returns the ack `{ok: true, id}`, `id` being the queued job
   * @example
   * const { id } = await connection.send({ text: 'hello' });
   */
  async send(message: unknown): Promise<MessageAck> {
    const ack = await this.request('message', message);
    return { ok: true, id: String(ack.id) };
  }

  /**
   * Renews the socket now (the keep-alive does this on its own).
   * @returns the new expiry
   * @throws SendError as {@link send}
   */
  async ping(): Promise<Date> {
    const ack = await this.request('ping');
    const expiresAt = new Date(String(ack.expiresAt));
    this.lastRenewal = Date.now();
    if (!Number.isNaN(expiresAt.getTime())) {
      this.expiry = expiresAt;
      this.handlers.expiresAt?.(expiresAt);
    }
    return expiresAt;
  }

  /**
   * Switches the keep-alive pings off or back on (on again pings at once).
   * Off, the socket lapses after its renewal increment unless the page sends
   * messages, and the connection then ends with `expired`: a way to let a
   * session run out on purpose.
   */
  setKeepalive(on: boolean): void {
    this.keepaliveOn = on;
    if (on) this.keepalive();
  }

  /** Disconnects for good (reason `client`). The socket itself lives on until it expires. */
  close(): void {
    this.finish('client');
  }

  private async request(event: 'message' | 'ping', ...args: unknown[]): Promise<Ack> {
    await this.whenConnected();
    let ack: Ack | undefined;
    try {
      ack = (await this.socket.timeout(this.ackTimeoutMs).emitWithAck(event, ...args)) as Ack | undefined;
    } catch {
      throw new SendError('timeout', `no ack to ${event} within ${this.ackTimeoutMs} ms`);
    }
    if (ack?.ok === true) return ack;
    const code = typeof ack?.error?.code === 'string' ? ack.error.code : 'unavailable';
    throw new SendError(code, typeof ack?.error?.message === 'string' ? ack.error.message : code);
  }

  /**
   * Emitting only while connected keeps socket.io-client from buffering a
   * packet across a reconnection, which could deliver it after its ack timed out.
   */
  private whenConnected(): Promise<void> {
    if (this.currentState === 'connected') return Promise.resolve();
    if (this.currentState === 'closed') return Promise.reject(new SendError('closed', `connection closed: ${this.finalReason ?? ''}`));
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (this.currentState === 'connected') done(resolve);
        else if (this.currentState === 'closed') done(() => reject(new SendError('closed', `connection closed: ${this.finalReason ?? ''}`)));
      };
      const timeout = setTimeout(() => done(() => reject(new SendError('not_connected', `not connected within ${this.ackTimeoutMs} ms`))), this.ackTimeoutMs);
      const done = (settle: () => void): void => {
        clearTimeout(timeout);
        this.waiters.delete(check);
        settle();
      };
      this.waiters.add(check);
    });
  }

  private keepalive(): void {
    if (this.currentState !== 'connected' || !this.keepaliveOn) return;
    // A failed ping is not fatal: the next tick retries, and a lost connection shows as a state change.
    this.ping().catch(() => undefined);
  }

  private onClosedEvent(event: { reason?: unknown } | undefined): void {
    const reason = event?.reason;
    if (reason !== 'expired' && reason !== 'deleted' && reason !== 'shutdown') return;
    this.announced = reason;
    this.handlers.closed?.({ reason });
  }

  private onDisconnect(reason: Socket.DisconnectReason): void {
    if (this.currentState === 'closed') return;
    const announced = this.announced;
    this.announced = null;
    if (announced && FINAL_SERVER_REASONS.has(announced)) {
      this.finish(announced);
      return;
    }
    if (reason === 'io server disconnect') {
      // socket.io-client does not come back by itself after a server-side
      // disconnect. A draining gateway (`shutdown`) wants its clients on
      // another node; a disconnect whose `closed` event got lost is retried
      // too, and a socket that is really gone then ends with `socket_not_found`.
      this.setState('reconnecting', { reason: announced ?? reason });
      this.resumeTimer = setTimeout(() => {
        this.resumeTimer = undefined;
        if (this.currentState !== 'closed') this.socket.connect();
      }, this.jittered(this.reconnectionDelayMs));
      return;
    }
    this.setState('reconnecting', { reason: announced ?? reason });
  }

  private onConnectError(err: Error): void {
    if (this.currentState === 'closed') return;
    if (REFUSALS.has(err.message) || !this.socket.active) {
      this.finish(err.message);
      return;
    }
    this.setState('reconnecting', { reason: err.message });
  }

  /** Full jitter around `ms`: uniform in `ms·(1±randomizationFactor)`. */
  private jittered(ms: number): number {
    return Math.max(0, Math.round(ms * (1 + this.randomizationFactor * (2 * Math.random() - 1))));
  }

  private finish(reason: FinalReason): void {
    if (this.currentState === 'closed') return;
    this.finalReason = reason;
    this.timer.stop();
    clearTimeout(this.resumeTimer);
    if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', this.onVisible);
    this.setState('closed', { reason });
    this.socket.disconnect();
  }

  private setState(state: ConnectionState, detail: StateDetail): void {
    const same = state === this.currentState && state !== 'reconnecting';
    this.currentState = state;
    if (!same) this.handlers.state?.(state, detail);
    for (const check of [...this.waiters]) check();
  }
}

function socketIdOf(endpoint: string): string | null {
  try {
    return new URL(endpoint, typeof location === 'undefined' ? undefined : location.href).searchParams.get('socketId');
  } catch {
    return null;
  }
}

/**
 * Connects a browser to a ClientSocket and keeps it alive: pings every
 * `pingIntervalMs` from a clock that hidden tabs do not throttle, reconnects
 * with jittered exponential backoff after a network loss or a gateway going
 * away, and ends for good when the socket expires, is deleted or is refused.
 *
 * @param endpoint - the socket's `endpoint`, as the server handed it over
 * @param handlers - callbacks for pushed messages, state changes, `closed` events and renewals
 * @param options - timings and socket.io-client options
 * @returns the connection: `send`, `ping`, `close`, `state`, `expiresAt`
 * @example
 * const conn = ClientSocket.connect(endpoint, {
 *   message: (m) => console.log('pushed', m),
 *   state: (s, d) => console.log(s, d.reason ?? ''),
 *   expiresAt: (t) => console.log('renewed until', t),
 * });
 * const { id } = await conn.send({ text: 'hi' });
 */
export function connect(endpoint: string, handlers: ConnectHandlers = {}, options: ConnectOptions = {}): ClientSocketConnection {
  return new ClientSocketConnection(endpoint, handlers, options);
}
