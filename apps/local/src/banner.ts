import type { ClusterPlan } from './cluster-plan.js';

/** Where Redis came from, for the banner. */
export interface RedisNote {
  url: string;
  source: string;
}

/**
 * The text printed once every process is up: the URLs, the API key and a
 * curl line that can be pasted as is. Labels are stable (`API`, `Gateway N`,
 * `API key`, …) because people and tests read them.
 */
export function formatBanner(plan: ClusterPlan, redis: RedisNote, logsDir: string): string {
  const { urls } = plan;
  const key = plan.demoKey?.key ?? '$API_KEY';
  const rows: Array<[string, string]> = [
    ['Redis', `${redis.url} (${redis.source})`],
    ['API', urls.api],
    ...urls.gateways.map((u, i): [string, string] => [`Gateway ${i + 1}`, u]),
    ['Public gateway', `${urls.publicGateway} (PUBLIC_GATEWAY_URL, in every endpoint)`],
    ['Demo', `${urls.api}/demo`],
    ['Admin', `${urls.api}/admin`],
    ['Metrics', [`${urls.api}/metrics`, ...urls.gateways.map((u) => `${u}/metrics`), ...urls.workerMetrics].join(' ')],
    ['Logs', logsDir],
    plan.demoKey ? ['API key', `${plan.demoKey.key} (pal "${plan.demoKey.pal}")`] : ['API keys', `from API_KEYS (pals: ${plan.givenPals.join(', ')}); set API_KEY to one of them`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return [
    '',
    'ClientSocket local cluster is up.',
    '',
    ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`),
    '',
    'Create a socket whose messages the echo workflow answers:',
    '',
    `  curl -s -X POST ${urls.api}/v1/sockets \\`,
    `    -H "Authorization: Bearer ${key}" -H 'Content-Type: application/json' \\`,
    `    -d '{"channel":"hello","receiverWorkflow":"echo"}'`,
    '',
    "Connect a browser with socket.io-client: io(endpoint) using the answer's endpoint.",
    'Ctrl-C stops everything.',
    '',
  ].join('\n');
}
