import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { markdownReport } from './markdown.js';
import type { BenchResult } from './result-types.js';
import { latencyChart } from './svg-chart.js';

export interface WrittenReport {
  json: string;
  markdown: string;
  svg: string;
}

/** File stem of a run: its start time, sortable and safe in file names (`2025-01-31T12-00-00Z`). */
export function stamp(iso: string): string {
  return iso.replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
}

/** Writes `<stamp>.json`, `<stamp>.md` and `<stamp>.svg` into `dir`. */
export function writeReport(result: BenchResult, dir: string): WrittenReport {
  mkdirSync(dir, { recursive: true });
  const stem = stamp(result.startedAt);
  const files = { json: join(dir, `${stem}.json`), markdown: join(dir, `${stem}.md`), svg: join(dir, `${stem}.svg`) };
  const caption = `${result.profile} run ${result.startedAt}, ${result.machine.cpus} cores, everything on one machine`;
  writeFileSync(files.svg, latencyChart(result.scenarios.unicast?.series ?? [], result.scenarios.inbound?.series ?? [], caption));
  writeFileSync(files.markdown, markdownReport(result, `${stem}.svg`));
  writeFileSync(files.json, `${JSON.stringify(result, null, 2)}\n`);
  return files;
}
