import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

/** Linux reports process times in clock ticks; 100 per second on every mainstream kernel config. */
const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system, all threads) a process has used, or null once it is gone. */
export function processCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces; fields are counted after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** Resident set size of a process in bytes, or null once it is gone. */
export function processRssBytes(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmRSS:\s+(\d+) kB/.exec(status);
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Busy and total CPU time of the whole machine (all cores), in ticks. */
function machineTicks(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  const total = v.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** One named process to account CPU for. */
export interface Watched {
  name: string;
  pid: number;
}

/** CPU use over an interval: per process as % of one core, and the machine as % of all cores. */
export interface CpuWindow {
  seconds: number;
  perProcess: Record<string, number>;
  machineBusyPct: number;
  /** CPU used by processes outside the bench (another workload on the machine), % of one core. */
  outsidePct: number;
}

/**
 * Measures CPU over a window from /proc, for any process (redis-server
 * included) without its cooperation. Start it, do the work, call `stop()`.
 */
export class CpuMeter {
  private readonly start = new Map<string, number>();
  private readonly startedAt = performance.now();
  private readonly machineStart = machineTicks();

  constructor(private readonly processes: readonly Watched[]) {
    for (const p of processes) this.start.set(p.name, processCpuSeconds(p.pid) ?? 0);
  }

  stop(): CpuWindow {
    const seconds = (performance.now() - this.startedAt) / 1000;
    const perProcess: Record<string, number> = {};
    for (const p of this.processes) {
      const end = processCpuSeconds(p.pid);
      if (end === null) continue;
      perProcess[p.name] = Math.round((100 * (end - (this.start.get(p.name) ?? 0))) / Math.max(seconds, 0.001));
    }
    const m = machineTicks();
    const total = m.total - this.machineStart.total;
    const busy = m.busy - this.machineStart.busy;
    const machineBusyPct = total > 0 ? Math.round((100 * busy) / total) : 0;
    const ours = Object.values(perProcess).reduce((a, b) => a + b, 0);
    const outsidePct = Math.max(0, Math.round((100 * busy) / TICKS_PER_SECOND / Math.max(seconds, 0.001) - ours));
    return { seconds: Math.round(seconds * 100) / 100, perProcess, machineBusyPct, outsidePct };
  }
}

/**
 * Which of `pids` owns each local TCP port connected to `remotePort`: lets a
 * Redis client address seen by MONITOR be charged to the process that sent it.
 */
export function portOwners(pids: ReadonlyMap<number, string>, remotePort: number): Map<number, string> {
  const inodeToName = new Map<string, string>();
  for (const [pid, name] of pids) {
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m) inodeToName.set(m[1] as string, name);
      } catch {
        /* closed meanwhile */
      }
    }
  }
  const owners = new Map<number, string>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10) continue;
      const localPort = parseInt((cols[1] ?? '').split(':')[1] ?? '', 16);
      const remote = parseInt((cols[2] ?? '').split(':')[1] ?? '', 16);
      const name = inodeToName.get(cols[9] ?? '');
      if (remote === remotePort && name) owners.set(localPort, name);
    }
  }
  return owners;
}
