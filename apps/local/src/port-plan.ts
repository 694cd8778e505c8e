import { ConfigError, type Config } from '@clientsocket/config';
import { pickPort, portInUse } from './ports.js';

/** The port of every app process, fixed for the launcher's lifetime so a restart comes back on the same URL. */
export interface PortPlan {
  api: number;
  /** Gateway `i` (gateway-`i+1`) listens on `gateways[i]`. */
  gateways: number[];
  /** Worker `i` serves /metrics on `workers[i]`. */
  workers: number[];
}

interface Family {
  variable: 'API_PORT' | 'GATEWAY_PORT' | 'METRICS_PORT';
  base: number;
  names: string[];
}

/**
 * Lays out the ports: API_PORT; GATEWAY_PORT+0..GATEWAYS-1; METRICS_PORT+0..WORKERS-1.
 * A base of 0 means "any free port" (picked once, here). Refuses, naming the
 * variable, a range past 65535, two processes on one port, or a port already
 * in use on `host`: better a clear message now than a child that restarts forever.
 *
 * @throws ConfigError naming the variable to change
 */
export async function planPorts(config: Pick<Config, 'API_PORT' | 'GATEWAY_PORT' | 'METRICS_PORT' | 'GATEWAYS' | 'WORKERS'>, host: string): Promise<PortPlan> {
  const families: Family[] = [
    { variable: 'GATEWAY_PORT', base: config.GATEWAY_PORT, names: Array.from({ length: config.GATEWAYS }, (_, i) => `gateway-${i + 1}`) },
    { variable: 'API_PORT', base: config.API_PORT, names: ['api'] },
    { variable: 'METRICS_PORT', base: config.METRICS_PORT, names: Array.from({ length: config.WORKERS }, (_, i) => `worker-${i + 1}`) },
  ];
  const owner = new Map<number, { variable: string; name: string }>();
  const assigned = new Map<string, number[]>();
  for (const f of families) {
    if (f.base === 0) continue;
    const last = f.base + f.names.length - 1;
    if (last > 65535) {
      const count = f.variable === 'GATEWAY_PORT' ? 'GATEWAYS' : f.variable === 'METRICS_PORT' ? 'WORKERS' : '';
      throw new ConfigError(f.variable, String(f.base), `ports ${f.base}..${last} (${count}=${f.names.length}) go past 65535`);
    }
    const ports = f.names.map((_, i) => f.base + i);
    ports.forEach((port, i) => {
      const other = owner.get(port);
      if (other) throw new ConfigError(f.variable, String(f.base), `port ${port} (${f.names[i]}) is also ${other.variable}'s port for ${other.name}; choose ranges that do not overlap`);
      owner.set(port, { variable: f.variable, name: f.names[i]! });
    });
    assigned.set(f.variable, ports);
  }
  for (const f of families) {
    if (f.base !== 0) continue;
    const ports: number[] = [];
    for (const name of f.names) {
      const port = await pickPort(host, new Set(owner.keys()));
      owner.set(port, { variable: f.variable, name });
      ports.push(port);
    }
    assigned.set(f.variable, ports);
  }
  for (const f of families) {
    if (f.base === 0) continue;
    for (const [i, port] of (assigned.get(f.variable) ?? []).entries()) {
      if (await portInUse(host, port)) {
        throw new ConfigError(f.variable, String(f.base), `port ${port} (${f.names[i]}) is already in use on ${host}; stop what holds it or set ${f.variable} to another port (0: any free port)`);
      }
    }
  }
  return { api: assigned.get('API_PORT')![0]!, gateways: assigned.get('GATEWAY_PORT')!, workers: assigned.get('METRICS_PORT')! };
}
