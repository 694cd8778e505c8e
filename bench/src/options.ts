import { resolve } from 'node:path';
import { REPO_ROOT } from './procs/server-process.js';

export const SCENARIOS = ['ceiling', 'cost', 'unicast', 'inbound', 'broadcast', 'expiry', 'connections', 'pubsub'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

/** Sizes of one run. `quick` proves the harness in under a minute; `full` is the report. */
export interface BenchOptions {
  profile: 'quick' | 'full';
  outDir: string;
  only: ReadonlySet<ScenarioName>;
  /** Length of a renewal minute for the cluster under test (long-lived sockets use 30 of them and ping). */
  renewalMinuteMs: number;
  /** How often connected clients ping, as browsers do. */
  pingIntervalMs: number;
  unicast: { sockets: number; rates: number[]; sideRates: number[]; stepMs: number; maxInFlight: number };
  inbound: { sockets: number; fixedRates: number[]; searchRates: number[]; stepMs: number };
  broadcast: { sizes: number[]; sends: number };
  connections: { steps: number[]; holdMs: number };
  cost: { windowMs: number; rate: number; sockets: number };
  pubsub: { gatewayCounts: number[]; pushes: number };
  expiry: { noiseKeys: number; sockets: number };
  ceiling: { requests: number; clients: number };
}

const QUICK: Omit<BenchOptions, 'outDir' | 'only'> = {
  profile: 'quick',
  renewalMinuteMs: 2000,
  pingIntervalMs: 30000,
  unicast: { sockets: 100, rates: [250, 1000], sideRates: [1000], stepMs: 1000, maxInFlight: 256 },
  inbound: { sockets: 50, fixedRates: [100, 500], searchRates: [], stepMs: 1000 },
  broadcast: { sizes: [1, 100], sends: 5 },
  connections: { steps: [1000], holdMs: 1000 },
  cost: { windowMs: 800, rate: 300, sockets: 50 },
  pubsub: { gatewayCounts: [2, 1], pushes: 20 },
  expiry: { noiseKeys: 100_000, sockets: 50 },
  ceiling: { requests: 20_000, clients: 50 },
};

const FULL: Omit<BenchOptions, 'outDir' | 'only'> = {
  profile: 'full',
  renewalMinuteMs: 5000,
  pingIntervalMs: 30000,
  unicast: { sockets: 200, rates: [250, 500, 1000, 2000, 3000, 4000], sideRates: [1000, 2000, 4000, 8000, 16000], stepMs: 3000, maxInFlight: 512 },
  inbound: { sockets: 100, fixedRates: [100, 500, 1000], searchRates: [1500, 2000, 3000, 4000, 6000], stepMs: 3000 },
  broadcast: { sizes: [1, 100, 1000], sends: 10 },
  connections: { steps: [1000, 5000, 10000, 20000], holdMs: 4000 },
  cost: { windowMs: 3000, rate: 300, sockets: 100 },
  pubsub: { gatewayCounts: [2, 4, 1], pushes: 100 },
  expiry: { noiseKeys: 100_000, sockets: 200 },
  ceiling: { requests: 100_000, clients: 50 },
};

const USAGE = `usage: npm run bench [-- --quick] [--only a,b] [--out dir]
  --quick        small sizes, under a minute (what CI runs)
  --only LIST    scenarios to run, of: ${SCENARIOS.join(', ')}
  --out DIR      where results go (default bench/results)`;

/** Parses the command line. @throws with the usage text on a bad argument */
export function parseOptions(argv: readonly string[]): BenchOptions {
  let quick = false;
  let outDir = resolve(REPO_ROOT, 'bench/results');
  let only: Set<ScenarioName> = new Set(SCENARIOS);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.includes('=') ? (arg.split(/=(.*)/s, 2) as [string, string]) : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    if (flag === '--quick') quick = true;
    else if (flag === '--out') outDir = resolve(process.cwd(), value());
    else if (flag === '--only') {
      const names = value().split(',').map((s) => s.trim()).filter(Boolean);
      const bad = names.filter((n) => !(SCENARIOS as readonly string[]).includes(n));
      if (bad.length) throw new Error(`unknown scenario ${bad.join(', ')}\n${USAGE}`);
      only = new Set(names as ScenarioName[]);
    } else if (flag === '--help' || flag === '-h') throw new Error(USAGE);
    else throw new Error(`unknown argument ${arg}\n${USAGE}`);
  }
  return { ...(quick ? QUICK : FULL), outDir, only };
}
