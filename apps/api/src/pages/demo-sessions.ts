import type { ClientSocketData } from '@clientsocket/core';

/** What the demo page needs to start: its socket and where to load the client from. */
export interface DemoSession {
  socket: ClientSocketData;
  /** `host:port` of the gateway this tab was sent to. */
  gateway: string;
  /** URL of the gateway's single-script browser client. */
  clientScript: string;
}

/**
 * Hands out demo sessions, spreading them over `gatewayUrls` when given.
 * That stands in for a load balancer where there is none (the local
 * cluster): each new tab is sent to the next gateway, or to the one a
 * `?gateway=<index>` asks for, so a chat between two tabs crosses nodes.
 */
export class DemoSessions {
  private next = 0;

  constructor(
    private readonly create: (clientIp: string | null) => Promise<ClientSocketData>,
    private readonly gatewayUrls: readonly string[] = [],
  ) {}

  /**
   * @param clientIp - the browser's IP as the api sees it
   * @param gatewayIndex - which of `gatewayUrls` to use; round-robin when absent or out of range
   */
  async open(clientIp: string | null, gatewayIndex?: number): Promise<DemoSession> {
    const created = await this.create(clientIp);
    const socket = this.routed(created, gatewayIndex);
    const endpoint = new URL(socket.endpoint);
    return { socket, gateway: endpoint.host, clientScript: new URL('client.js', endpoint).toString() };
  }

  private routed(socket: ClientSocketData, gatewayIndex: number | undefined): ClientSocketData {
    const count = this.gatewayUrls.length;
    if (count === 0) return socket;
    const index = gatewayIndex !== undefined && gatewayIndex >= 0 && gatewayIndex < count ? gatewayIndex : this.next++ % count;
    const origin = new URL(this.gatewayUrls[index] as string);
    return { ...socket, endpoint: rehome(socket.endpoint, origin), wsEndpoint: rehome(socket.wsEndpoint, origin) };
  }
}

/** `url` with the scheme (http/ws kept apart), host and port of `origin`. */
function rehome(url: string, origin: URL): string {
  const u = new URL(url);
  const secure = origin.protocol === 'https:';
  u.protocol = u.protocol.startsWith('ws') ? (secure ? 'wss:' : 'ws:') : origin.protocol;
  // Assigning `host` without a port would keep the old port.
  u.hostname = origin.hostname;
  u.port = origin.port;
  return u.toString();
}
