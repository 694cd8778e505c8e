import type { ClientSocket } from './client-socket.js';
import { ClientSocketError } from './errors.js';
import { LIMITS } from './limits.js';
import type { Message } from './message.js';

/** Extra creation options beyond the seed's positional arguments. */
export interface CreateOptions {
  /** IP of the browser session being served; binds a secure socket up front. */
  clientIp?: string | null;
}

/** Everything `createClientSocket` accepts, named. */
export interface CreateSocketRequest {
  channel: string;
  secure?: boolean;
  renewalIncrement?: number;
  receiverWorkflow?: string | null;
  clientIp?: string | null;
}

/** Options of {@link ClientSocketManager.getSockets}. */
export interface GetSocketsOptions {
  channel?: string;
  /** Page size, 1-1000. @default 100 */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

/** The pal's sockets as a data view (the seed's `SystemDataView`). */
export interface SystemDataView<Row = ClientSocket> {
  columns: string[];
  rows: Row[];
  total: number;
  nextCursor: string | null;
}

/**
 * The seed's ClientSocketManager, for one pal. Two implementations share this
 * contract and one conformance suite: over HTTP (`@clientsocket/sdk`) for pal
 * servers, and in-cluster (`@clientsocket/store`) for the api and workflows.
 */
export interface ClientSocketManager {
  /** A socket whose inbound messages are refused with `no_receiver` (pings still renew it). */
  createClientSocket(channel: string, secure?: boolean, renewalIncrement?: number, options?: CreateOptions): Promise<ClientSocket>;
  /** A socket whose inbound messages each run `receiverWorkflow` asynchronously. */
  createClientSocket(
    receiverWorkflow: string,
    channel: string,
    secure?: boolean,
    renewalIncrement?: number,
    options?: CreateOptions,
  ): Promise<ClientSocket>;
  /** Named form of both overloads. */
  createClientSocket(request: CreateSocketRequest): Promise<ClientSocket>;
  /** @returns false when there was no such socket (for this pal). */
  deleteClientSocket(socketId: string): Promise<boolean>;
  /** @returns null when there is no such live socket (for this pal). */
  getClientSocket(socketId: string): Promise<ClientSocket | null>;
  getSockets(options?: GetSocketsOptions): Promise<SystemDataView>;
  /** @returns live connections it went to. @throws `not_found` */
  sendMessage(socketId: string, message: Message): Promise<number>;
  /** Pushes to every live socket of the pal in `channel`. @returns live connections it went to. */
  sendChannelMessage(channel: string, message: Message): Promise<number>;
}

/**
 * Resolves the seed's positional overloads into one named request.
 * The workflow form is recognised by its second argument being a string.
 */
export function resolveCreateArgs(args: unknown[]): CreateSocketRequest {
  const [first, second] = args;
  if (args.length === 1 && typeof first === 'object' && first !== null) return first as CreateSocketRequest;
  if (typeof second === 'string') {
    const [receiverWorkflow, channel, secure, renewalIncrement, options] = args as [string, string, boolean?, number?, CreateOptions?];
    return { receiverWorkflow, channel, secure: secure ?? false, renewalIncrement: renewalIncrement ?? LIMITS.renewalDefault, clientIp: options?.clientIp ?? null };
  }
  if (typeof first !== 'string') {
    throw new ClientSocketError('validation_failed', 'channel must be a string', { details: [{ field: 'channel', message: 'must be a string' }] });
  }
  const [channel, secure, renewalIncrement, options] = args as [string, boolean?, number?, CreateOptions?];
  return { channel, secure: secure ?? false, renewalIncrement: renewalIncrement ?? LIMITS.renewalDefault, receiverWorkflow: null, clientIp: options?.clientIp ?? null };
}
