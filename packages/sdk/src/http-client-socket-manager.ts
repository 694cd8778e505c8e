import {
  assertMessage,
  ClientSocket,
  ClientSocketError,
  createSocketSchema,
  isSocketId,
  listSocketsSchema,
  parseInput,
  resolveCreateArgs,
  type ClientSocketData,
  type ClientSocketManager,
  type CreateOptions,
  type CreateSocketRequest,
  type GetSocketsOptions,
  type Message,
  type SystemDataView,
} from '@clientsocket/core';
import { errorFromFailure, errorFromResponse } from './http-errors.js';

/** Options of {@link HttpClientSocketManager}. */
export interface HttpClientSocketManagerOptions {
  /** Origin (and optional base path) of an api node or its load balancer, e.g. `https://cs.example.com`. */
  baseUrl: string;
  /** The pal's API key; every call is made as the pal that owns it. */
  apiKey: string;
  /**
   * How long one call may take, answer body included, before it fails as
   * `unavailable`. The api answers within about 2 s even when Redis is stuck,
   * so this only bounds what lies between (network, proxies).
   * @default 10000
   */
  timeoutMs?: number;
}

/** What a list answer holds before its rows are wrapped. */
interface SystemDataViewJson {
  columns: string[];
  rows: ClientSocketData[];
  total: number;
  nextCursor: string | null;
}

/** Any JSON value, to tell the wire body apart from "no body". */
type Json = NonNullable<unknown>;

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Dot segments are resolved by every WHATWG URL parser (fetch included), even
 * percent-encoded, so `.` and `..` cannot travel as one path segment.
 */
const DOT_SEGMENT = /^(\.|%2e){1,2}$/i;

/**
 * The seed's ClientSocketManager for a pal's own servers, over the HTTP
 * control API. Same contract as the in-cluster manager: the same overloads,
 * the same {@link ClientSocket} objects, and failures as
 * {@link ClientSocketError} with the code the server answered.
 *
 * Inputs the specification fixes (channel, workflow name, renewal, paging) are
 * checked here before any request, with the same schemas and field details the
 * server uses; everything that needs the cluster's own state or settings
 * (existence, tenancy, `MAX_MESSAGE_BYTES`) is left to the server.
 *
 * @example
 * import { HttpClientSocketManager } from '@clientsocket/sdk';
 *
 * const manager = new HttpClientSocketManager({ baseUrl: 'http://127.0.0.1:3000', apiKey: process.env.CS_API_KEY! });
 * const socket = await manager.createClientSocket('echo', 'support-42', true, 5, { clientIp: req.ip });
 * res.json({ endpoint: socket.getEndpoint() });           // the browser runs io(endpoint)
 * await socket.sendMessage({ text: 'hello' });           // resolves to how many connections got it
 */
export class HttpClientSocketManager implements ClientSocketManager {
  private readonly base: string;
  private readonly authorization: string;
  private readonly timeoutMs: number;

  /**
   * @param options where the api is and which pal to act as
   * @throws ClientSocketError `validation_failed` for a base URL that is not http(s), an unusable key or timeout
   */
  constructor(options: HttpClientSocketManagerOptions) {
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch {
      throw invalidOption('baseUrl', 'must be an absolute http:// or https:// URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalidOption('baseUrl', 'must be an absolute http:// or https:// URL');
    if (url.search || url.hash) throw invalidOption('baseUrl', 'must not carry a query or fragment');
    this.base = url.toString().replace(/\/+$/, '');

    // The server takes the key as one Bearer token; anything fetch cannot put in a header would otherwise surface as a network error.
    if (typeof options.apiKey !== 'string' || !/^[\x21-\x7e]+$/.test(options.apiKey)) {
      throw invalidOption('apiKey', 'must be a non-empty API key of visible ASCII characters');
    }
    this.authorization = `Bearer ${options.apiKey}`;

    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw invalidOption('timeoutMs', 'must be a whole number of milliseconds, at least 1');
    this.timeoutMs = timeoutMs;
  }

  /**
   * Creates a socket whose inbound client messages are refused with `no_receiver`
   * (pings still renew it).
   *
   * @param channel 1-255 printable characters
   * @param secure bind the socket to one client IP (`options.clientIp`, else the first connection's) @default false
   * @param renewalIncrement minutes each client request renews it by, 1-30 @default 1
   * @param options `clientIp`: the IP of the browser session being served
   * @throws ClientSocketError `validation_failed` (details per field), `unauthorized`, `rate_limited`, `unavailable`
   *
   * @example
   * const socket = await manager.createClientSocket('notifications', false, 5);
   */
  createClientSocket(channel: string, secure?: boolean, renewalIncrement?: number, options?: CreateOptions): Promise<ClientSocket>;
  /**
   * Creates a socket whose inbound client messages each run `receiverWorkflow`
   * asynchronously, once per message.
   *
   * @param receiverWorkflow name of a workflow served by the cluster's workers, 1-255 of `[A-Za-z0-9._-]`
   *
   * @example
   * const socket = await manager.createClientSocket('chat', 'room-7', true, 1, { clientIp: '203.0.113.9' });
   */
  createClientSocket(receiverWorkflow: string, channel: string, secure?: boolean, renewalIncrement?: number, options?: CreateOptions): Promise<ClientSocket>;
  /**
   * Named form of both overloads.
   *
   * @example
   * const socket = await manager.createClientSocket({ channel: 'room-7', receiverWorkflow: 'chat', renewalIncrement: 2 });
   */
  createClientSocket(request: CreateSocketRequest): Promise<ClientSocket>;
  async createClientSocket(...args: unknown[]): Promise<ClientSocket> {
    const request = resolveCreateArgs(args);
    parseInput(createSocketSchema, request);
    const data = await this.call<ClientSocketData>('POST', '/v1/sockets', request);
    return this.wrap(data);
  }

  /**
   * Deletes a socket; its live connections get `closed {reason: "deleted"}` and are disconnected.
   *
   * @returns true when it was deleted, false when this pal has no such socket
   * @throws ClientSocketError `unauthorized`, `rate_limited`, `unavailable`
   *
   * @example
   * if (!(await manager.deleteClientSocket(id))) log.info('already gone');
   */
  async deleteClientSocket(socketId: string): Promise<boolean> {
    if (!isSocketId(socketId)) return false;
    try {
      await this.call('DELETE', `/v1/sockets/${socketId}`);
      return true;
    } catch (err) {
      if (err instanceof ClientSocketError && err.code === 'not_found') return false;
      throw err;
    }
  }

  /**
   * Reads a live socket now (connections, message count, last access).
   *
   * @returns the socket, or null when this pal has no such live socket
   * @throws ClientSocketError `unauthorized`, `rate_limited`, `unavailable`
   *
   * @example
   * const socket = await manager.getClientSocket(id);
   * console.log(socket?.getMessageCount());
   */
  async getClientSocket(socketId: string): Promise<ClientSocket | null> {
    if (!isSocketId(socketId)) return null;
    try {
      return this.wrap(await this.call<ClientSocketData>('GET', `/v1/sockets/${socketId}`));
    } catch (err) {
      if (err instanceof ClientSocketError && err.code === 'not_found') return null;
      throw err;
    }
  }

  /**
   * One page of the pal's live sockets, oldest first (the seed's `SystemDataView`).
   *
   * @param options `channel` filter, `limit` 1-1000 (default 100), `cursor` from the previous page's `nextCursor`
   * @returns `{columns, rows, total, nextCursor}`; `nextCursor` is null on the last page
   * @throws ClientSocketError `validation_failed` (bad limit or cursor), `unauthorized`, `rate_limited`, `unavailable`
   *
   * @example
   * let cursor: string | undefined;
   * do {
   *   const page = await manager.getSockets({ channel: 'room-7', limit: 500, cursor });
   *   for (const socket of page.rows) console.log(socket.toString());
   *   cursor = page.nextCursor ?? undefined;
   * } while (cursor);
   */
  async getSockets(options: GetSocketsOptions = {}): Promise<SystemDataView> {
    const query = parseInput(listSocketsSchema, options);
    const params = new URLSearchParams({ limit: String(query.limit) });
    if (query.channel !== undefined) params.set('channel', query.channel);
    if (query.cursor !== undefined) params.set('cursor', query.cursor);
    const view = await this.call<SystemDataViewJson>('GET', `/v1/sockets?${params.toString()}`);
    return { columns: view.columns, rows: view.rows.map((row) => this.wrap(row)), total: view.total, nextCursor: view.nextCursor };
  }

  /**
   * Pushes `message` to the browser(s) connected to one socket. Does not renew it.
   *
   * @param message a string or any JSON value, at most the cluster's `MAX_MESSAGE_BYTES` serialized
   * @returns how many live connections it went to (0 while no client is connected)
   * @throws ClientSocketError `not_found`, `payload_too_large`, `validation_failed`, `unauthorized`, `rate_limited`, `unavailable`
   *
   * @example
   * const delivered = await manager.sendMessage(id, { type: 'order-shipped', orderId: 42 });
   */
  async sendMessage(socketId: string, message: Message): Promise<number> {
    assertJsonValue(message);
    if (!isSocketId(socketId)) throw new ClientSocketError('not_found', 'No such socket');
    const { delivered } = await this.call<{ delivered: number }>('POST', `/v1/sockets/${socketId}/messages`, { message });
    return delivered;
  }

  /**
   * Pushes `message` to every live socket of the pal in `channel`.
   *
   * @returns how many live connections it went to
   * @throws ClientSocketError `validation_failed`, `payload_too_large`, `unauthorized`, `rate_limited`, `unavailable`
   *
   * @example
   * await manager.sendChannelMessage('room-7', { from: 'system', text: 'Closing in 5 minutes' });
   */
  async sendChannelMessage(channel: string, message: Message): Promise<number> {
    // Validated as a named field so the details say `channel`, as the server's do.
    parseInput(createSocketSchema.pick({ channel: true }), { channel });
    assertJsonValue(message);
    if (DOT_SEGMENT.test(channel)) {
      throw new ClientSocketError('validation_failed', `Channel ${JSON.stringify(channel)} cannot be addressed by POST /v1/channels/:channel/messages`, {
        details: [{ field: 'channel', message: 'a channel named "." or ".." cannot be part of a URL path' }],
      });
    }
    const { delivered } = await this.call<{ delivered: number }>('POST', `/v1/channels/${encodeURIComponent(channel)}/messages`, { message });
    return delivered;
  }

  private wrap(data: ClientSocketData): ClientSocket {
    return new ClientSocket(data, this);
  }

  /** One API call: the JSON answer, or the server's error as a ClientSocketError. */
  private async call<T>(method: string, path: string, body?: Json): Promise<T> {
    const headers: Record<string, string> = { authorization: this.authorization, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const payload = body === undefined ? undefined : JSON.stringify(body);
    let status: number;
    let text: string;
    try {
      const res = await fetch(`${this.base}${path}`, {
        method,
        headers,
        ...(payload === undefined ? {} : { body: payload }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = res.status;
      text = await res.text();
    } catch (err) {
      throw errorFromFailure(err, this.timeoutMs);
    }
    const parsed = parseJson(text);
    if (status < 200 || status > 299) throw errorFromResponse(status, parsed);
    return parsed as T;
  }
}

function parseJson(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * Refuses what JSON cannot carry (undefined, functions, bigint) before it is
 * silently dropped from the request body; size is the server's to judge.
 */
function assertJsonValue(message: unknown): void {
  try {
    assertMessage(message, Number.POSITIVE_INFINITY);
  } catch (err) {
    if (err instanceof ClientSocketError) throw err;
    // JSON.stringify throws on cycles and on a bigint nested anywhere.
    throw new ClientSocketError('validation_failed', 'message must be a string or a JSON value', {
      details: [{ field: 'message', message: err instanceof Error ? err.message : 'is not serializable as JSON' }],
      cause: err,
    });
  }
}

function invalidOption(field: string, message: string): ClientSocketError {
  return new ClientSocketError('validation_failed', `Invalid HttpClientSocketManager option: ${field} ${message}`, { details: [{ field, message }] });
}
