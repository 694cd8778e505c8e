/**
 * The two URLs handed to a browser for one socket, from the gateways' public
 * origin (`PUBLIC_GATEWAY_URL`): a Socket.IO endpoint that `io(endpoint)`
 * accepts as is, and a native WebSocket URL on path `/ws`.
 *
 * @example
 * buildEndpoints('https://gw.example.com', id)
 * // { endpoint: 'https://gw.example.com/?socketId=…', wsEndpoint: 'wss://gw.example.com/ws?socketId=…' }
 */
export function buildEndpoints(publicGatewayUrl: string, socketId: string): { endpoint: string; wsEndpoint: string } {
  const base = new URL(publicGatewayUrl);
  const path = base.pathname.replace(/\/+$/, '');
  const endpoint = new URL(`${path}/`, base);
  endpoint.searchParams.set('socketId', socketId);
  const ws = new URL(`${path}/ws`, base);
  ws.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
  ws.searchParams.set('socketId', socketId);
  return { endpoint: endpoint.toString(), wsEndpoint: ws.toString() };
}
