import { io, type Socket } from 'socket.io-client';
import { nowMs, summarize } from '../stats/latency.js';
import { paced } from './pacer.js';
import type { ClosedEvent, ConnectReport, ConnectTarget, PingOnceReport, PingStatsReport, ReceiveReport, SendReport, SeqReport, TimedPayload } from './protocol.js';

interface Recorder {
  latencies: number[];
  /** Per sequence number: deliveries and the latest latency. */
  bySeq: Map<number, { n: number; first: number; last: number }>;
  waiters: Array<() => void>;
}

interface Conn {
  key: string;
  socket: Socket;
  pingTimer?: NodeJS.Timeout;
}

function isTimed(value: unknown): value is TimedPayload {
  return typeof value === 'object' && value !== null && typeof (value as TimedPayload).t === 'number' && typeof (value as TimedPayload).s === 'string';
}

/**
 * The browser side of the bench: many socket.io-client connections in one
 * process. Every `message` they receive that carries a send time is filed
 * under its tag with its end-to-end latency.
 */
export class ClientPool {
  private conns: Conn[] = [];
  private readonly recorders = new Map<string, Recorder>();
  private closed: ClosedEvent[] = [];
  private pingAcks: number[] = [];
  private pingErrors = 0;
  private nextConn = 0;

  private recorder(tag: string): Recorder {
    let r = this.recorders.get(tag);
    if (!r) this.recorders.set(tag, (r = { latencies: [], bySeq: new Map(), waiters: [] }));
    return r;
  }

  private onMessage(payload: unknown): void {
    if (!isTimed(payload)) return;
    const at = nowMs();
    const latency = at - payload.t;
    const r = this.recorder(payload.s);
    r.latencies.push(latency);
    const seq = r.bySeq.get(payload.q);
    if (seq) {
      seq.n++;
      seq.last = latency;
    } else r.bySeq.set(payload.q, { n: 1, first: latency, last: latency });
    if (r.waiters.length) for (const w of r.waiters.splice(0)) w();
  }

  async connect(targets: ConnectTarget[], concurrency: number, pingIntervalMs: number, timeoutMs: number): Promise<ConnectReport> {
    const start = nowMs();
    const errors: Record<string, number> = {};
    let connected = 0;
    let failed = 0;
    let next = 0;
    const openOne = (target: ConnectTarget): Promise<void> =>
      new Promise((resolve) => {
        const socket = io(target.url, { transports: ['websocket'], reconnection: false, forceNew: true, timeout: timeoutMs });
        const conn: Conn = { key: target.key, socket };
        socket.on('message', (payload: unknown) => this.onMessage(payload));
        socket.on('closed', (info: { reason?: string } | undefined) => this.closed.push({ key: target.key, reason: String(info?.reason ?? ''), at: nowMs() }));
        socket.once('connect', () => {
          connected++;
          this.conns.push(conn);
          if (pingIntervalMs > 0) this.schedulePings(conn, pingIntervalMs);
          resolve();
        });
        socket.once('connect_error', (err: Error) => {
          failed++;
          errors[err.message] = (errors[err.message] ?? 0) + 1;
          socket.close();
          resolve();
        });
      });
    const lane = async (): Promise<void> => {
      while (next < targets.length) await openOne(targets[next++] as ConnectTarget);
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, targets.length)) }, lane));
    return { connected, failed, errors, durationMs: Math.round(nowMs() - start), open: this.conns.length };
  }

  /** Pings as a browser would: every `intervalMs`, first at a random phase so the load is even. */
  private schedulePings(conn: Conn, intervalMs: number): void {
    const ping = (): void => {
      const sent = nowMs();
      conn.socket.timeout(10000).emit('ping', (err: Error | null, ack?: { ok?: boolean }) => {
        if (err || !ack?.ok) this.pingErrors++;
        else this.pingAcks.push(nowMs() - sent);
      });
    };
    conn.pingTimer = setTimeout(() => {
      ping();
      conn.pingTimer = setInterval(ping, intervalMs);
    }, Math.random() * intervalMs);
  }

  pingStats(): PingStatsReport {
    const out = { pings: this.pingAcks.length + this.pingErrors, errors: this.pingErrors, ackMs: summarize(this.pingAcks) };
    this.pingAcks = [];
    this.pingErrors = 0;
    return out;
  }

  disconnect(): void {
    for (const c of this.conns) {
      clearTimeout(c.pingTimer);
      clearInterval(c.pingTimer);
      c.socket.close();
    }
    this.conns = [];
    this.closed = [];
    this.recorders.clear();
  }

  /** Client → server events at `rate`/s, round-robin over the open connections, each with an ack. */
  async emit(event: 'message' | 'ping', rate: number, durationMs: number, tag: string, maxInFlight: number): Promise<SendReport> {
    const acks: number[] = [];
    const errors: Record<string, number> = {};
    let ok = 0;
    const conns = this.conns;
    if (conns.length === 0) throw new Error('no open connections');
    const run = await paced(rate, durationMs, maxInFlight, (seq) => {
      const conn = conns[this.nextConn++ % conns.length] as Conn;
      const payload: TimedPayload = { t: nowMs(), s: tag, q: seq };
      return new Promise<void>((resolve) => {
        const callback = (err: Error | null, ack?: { ok?: boolean; error?: { code?: string } }): void => {
          if (err) errors.ack_timeout = (errors.ack_timeout ?? 0) + 1;
          else if (ack?.ok) {
            ok++;
            acks.push(nowMs() - payload.t);
          } else {
            const code = ack?.error?.code ?? 'refused';
            errors[code] = (errors[code] ?? 0) + 1;
          }
          resolve();
        };
        if (event === 'message') conn.socket.timeout(10000).emit('message', payload, callback);
        else conn.socket.timeout(10000).emit('ping', callback);
      });
    });
    return { ...run, ok, errors, responseMs: summarize(acks), deliveredReported: 0 };
  }

  /** One ping on every connection: the expiry each ack reports. */
  async pingOnce(): Promise<PingOnceReport> {
    const acks: PingOnceReport['acks'] = [];
    let errors = 0;
    await Promise.all(
      this.conns.map(
        (c) =>
          new Promise<void>((resolve) => {
            c.socket.timeout(10000).emit('ping', (err: Error | null, ack?: { ok?: boolean; expiresAt?: string | number }) => {
              const at = typeof ack?.expiresAt === 'string' ? Date.parse(ack.expiresAt) : Number(ack?.expiresAt);
              if (err || !ack?.ok || !Number.isFinite(at)) errors++;
              else acks.push({ key: c.key, expiresAt: at });
              resolve();
            });
          }),
      ),
    );
    return { acks, errors };
  }

  /**
   * Waits until `expect` messages of `tag` arrived, or none arrived for
   * `settleMs`, or `timeoutMs` passed; then reports and forgets the tag.
   */
  async collect(tag: string, expect: number, timeoutMs: number, settleMs: number): Promise<ReceiveReport> {
    const r = this.recorder(tag);
    const deadline = nowMs() + timeoutMs;
    let lastCount = -1;
    let lastChange = nowMs();
    while (r.latencies.length < expect && nowMs() < deadline) {
      if (r.latencies.length !== lastCount) {
        lastCount = r.latencies.length;
        lastChange = nowMs();
      } else if (nowMs() - lastChange > settleMs) break;
      await new Promise((res) => setTimeout(res, 20));
    }
    this.recorders.delete(tag);
    const completion = [...r.bySeq.values()].map((s) => s.last);
    return { received: r.latencies.length, latencyMs: summarize(r.latencies), distinct: r.bySeq.size, completionMs: summarize(completion) };
  }

  /** Waits for `expect` deliveries of one sequence number of `tag` (one broadcast). */
  async awaitSeq(tag: string, q: number, expect: number, timeoutMs: number): Promise<SeqReport> {
    const r = this.recorder(tag);
    const deadline = nowMs() + timeoutMs;
    while ((r.bySeq.get(q)?.n ?? 0) < expect && nowMs() < deadline) {
      await new Promise<void>((res) => {
        const t = setTimeout(res, Math.max(1, deadline - nowMs()));
        r.waiters.push(() => {
          clearTimeout(t);
          res();
        });
      });
    }
    const s = r.bySeq.get(q);
    return { received: s?.n ?? 0, firstMs: s?.first ?? 0, lastMs: s?.last ?? 0 };
  }

  closedEvents(): ClosedEvent[] {
    return this.closed;
  }
}
