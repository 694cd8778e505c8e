import type { LoadSeries } from './result-types.js';

interface Panel {
  title: string;
  series: readonly LoadSeries[];
}

const COLORS: Record<string, string> = {
  'ours/api': '#1f6feb',
  'ours/sdk': '#8250df',
  'ours/socket.io': '#1f6feb',
  'baseline/http': '#bf8700',
  'baseline/emitter': '#cf222e',
  'baseline/socket.io': '#bf8700',
};

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** 1, 2, 5 × powers of ten covering [lo, hi]. */
function ticks(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (v >= lo * 0.999 && v <= hi * 1.001) out.push(v);
    }
  }
  return out;
}

const label = (v: number): string => (v >= 1000 ? `${v / 1000}k` : v >= 1 ? String(v) : String(Number(v.toPrecision(2))));

/** One log-log panel: offered load → p99 (solid) and p50 (dashed) latency per series. */
function panel(p: Panel, x0: number, width: number, height: number): string {
  const m = { left: 56, right: 12, top: 34, bottom: 44 };
  const w = width - m.left - m.right;
  const h = height - m.top - m.bottom;
  const steps = p.series.flatMap((s) => s.steps);
  const parts: string[] = [`<g transform="translate(${x0},0)">`, `<text x="${width / 2}" y="20" text-anchor="middle" font-weight="600">${esc(p.title)}</text>`];
  if (!steps.length) {
    parts.push(`<text x="${width / 2}" y="${height / 2}" text-anchor="middle" fill="#666">not run</text></g>`);
    return parts.join('');
  }
  const xs = steps.map((s) => s.offeredPerSec);
  const ys = steps.flatMap((s) => [s.latencyMs.p50, s.latencyMs.p99]).filter((v) => v > 0);
  const [xlo, xhi] = [Math.min(...xs) / 1.3, Math.max(...xs) * 1.3];
  const [ylo, yhi] = [Math.max(0.1, Math.min(...ys) / 1.5), Math.max(...ys) * 1.5];
  const sx = (v: number): number => m.left + (w * Math.log(v / xlo)) / Math.log(xhi / xlo);
  const sy = (v: number): number => m.top + h - (h * Math.log(Math.max(v, ylo) / ylo)) / Math.log(yhi / ylo);
  parts.push(`<rect x="${m.left}" y="${m.top}" width="${w}" height="${h}" fill="none" stroke="#999"/>`);
  for (const t of ticks(xlo, xhi)) {
    parts.push(`<line x1="${sx(t)}" x2="${sx(t)}" y1="${m.top}" y2="${m.top + h}" stroke="#eee"/><text x="${sx(t)}" y="${m.top + h + 16}" text-anchor="middle" font-size="11">${label(t)}</text>`);
  }
  for (const t of ticks(ylo, yhi)) {
    parts.push(`<line x1="${m.left}" x2="${m.left + w}" y1="${sy(t)}" y2="${sy(t)}" stroke="#eee"/><text x="${m.left - 6}" y="${sy(t) + 4}" text-anchor="end" font-size="11">${label(t)}</text>`);
  }
  parts.push(`<text x="${m.left + w / 2}" y="${height - 8}" text-anchor="middle" font-size="12">offered load (msg/s, log)</text>`);
  parts.push(`<text transform="translate(14,${m.top + h / 2}) rotate(-90)" text-anchor="middle" font-size="12">latency (ms, log)</text>`);
  // The legend sits over the plot's top-left corner; a light backing keeps both readable.
  const legendWidth = Math.max(...p.series.map((s) => s.label.length)) * 6 + 40;
  const legend: string[] = [`<rect x="${m.left + 4}" y="${m.top + 3}" width="${legendWidth}" height="${p.series.length * 15 + 6}" fill="#fff" fill-opacity="0.85" stroke="#ddd"/>`];
  p.series.forEach((s, i) => {
    const color = COLORS[`${s.system}/${s.path}`] ?? '#555';
    for (const [key, dash] of [['p99', ''], ['p50', ' stroke-dasharray="5,4"']] as const) {
      const pts = s.steps.map((st) => `${sx(st.offeredPerSec).toFixed(1)},${sy(st.latencyMs[key]).toFixed(1)}`);
      parts.push(`<polyline fill="none" stroke="${color}" stroke-width="2"${dash} points="${pts.join(' ')}"/>`);
    }
    for (const st of s.steps) {
      parts.push(`<circle cx="${sx(st.offeredPerSec)}" cy="${sy(st.latencyMs.p50)}" r="3" fill="#fff" stroke="${color}"/>`);
      const marker = st.saturated ? `<text x="${sx(st.offeredPerSec)}" y="${sy(st.latencyMs.p99) - 6}" text-anchor="middle" font-size="12" fill="${color}">✕</text>` : `<circle cx="${sx(st.offeredPerSec)}" cy="${sy(st.latencyMs.p99)}" r="3" fill="${color}"/>`;
      parts.push(marker);
    }
    const ly = m.top + 18 + i * 15;
    legend.push(`<line x1="${m.left + 8}" x2="${m.left + 28}" y1="${ly - 4}" y2="${ly - 4}" stroke="${color}" stroke-width="2"/><text x="${m.left + 32}" y="${ly}" font-size="11">${esc(s.label)}</text>`);
  });
  parts.push(...legend, '</g>');
  return parts.join('');
}

/**
 * The report's chart: latency against offered load for unicast push and the
 * inbound round trip, ours and the baseline's. Solid p99, dashed p50, ✕ where
 * a step saturated. Hand-written SVG: no plotting dependency for two panels.
 */
export function latencyChart(unicast: readonly LoadSeries[], inbound: readonly LoadSeries[], caption: string): string {
  const width = 1000;
  const height = 420;
  const half = width / 2;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height + 24}" viewBox="0 0 ${width} ${height + 24}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    panel({ title: 'Unicast push: send → client', series: unicast }, 0, half, height),
    panel({ title: 'Inbound: client → workflow/echo → client', series: inbound }, half, half, height),
    `<text x="${width / 2}" y="${height + 16}" text-anchor="middle" font-size="11" fill="#555">${esc(caption)} · solid p99 (●), dashed p50 (○), ✕ saturated</text>`,
    '</svg>',
  ].join('\n');
}
