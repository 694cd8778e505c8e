import client, { Registry } from 'prom-client';

export { client as prom };
export type { Registry };

/**
 * A Prometheus registry for one process, with Node's default metrics
 * (event loop lag, heap, GC, handles) and `role`/`node` labels on every series.
 */
export function createMetricsRegistry(opts: { role: string; node: string }): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ role: opts.role, node: opts.node });
  client.collectDefaultMetrics({ register: registry });
  return registry;
}

/** Renders `registry` for a `/metrics` answer: [contentType, body]. */
export async function renderMetrics(registry: Registry): Promise<[string, string]> {
  return [registry.contentType, await registry.metrics()];
}
