import { prom, type Registry } from '@clientsocket/observability';

/** The gateway's own series, on top of Node's defaults. */
export interface GatewayMetrics {
  connections: prom.Gauge<'transport'>;
  handshakes: prom.Counter<'transport' | 'result'>;
  requests: prom.Counter<'kind' | 'result'>;
}

export function createGatewayMetrics(registry: Registry): GatewayMetrics {
  return {
    connections: new prom.Gauge({ name: 'csc_gateway_connections', help: 'Live client connections on this gateway', labelNames: ['transport'], registers: [registry] }),
    handshakes: new prom.Counter({ name: 'csc_gateway_handshakes_total', help: 'Client handshakes by result', labelNames: ['transport', 'result'], registers: [registry] }),
    requests: new prom.Counter({ name: 'csc_gateway_requests_total', help: 'Client pings and messages by result', labelNames: ['kind', 'result'], registers: [registry] }),
  };
}
