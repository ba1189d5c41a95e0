/**
 * The SVG chart of `npm run bench`: scenario 1's server CPU per million deliveries and p99 latency at
 * each offered load (one line per server), and scenario 3's memory per idle connection (bars). Pure:
 * rows in, SVG text out; no dependencies.
 */
import type { TargetName } from './peers.js';
import { label, type Row } from './summary.js';

const COLORS: Record<TargetName, string> = {
  'tomada-line': '#d62728',
  'tomada-irc': '#ff7f0e',
  'tomada-ws': '#9467bd',
  'tomada-2nodes': '#8c564b',
  'tomada-2nodes-spread': '#bcbd22',
  ngircd: '#1f77b4',
  inspircd: '#2ca02c',
  'node-bare': '#7f7f7f',
  'tomada-echo': '#d62728',
  'node-echo': '#7f7f7f',
};

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

interface Panel {
  x: number;
  y: number;
  w: number;
  h: number;
}

function niceMax(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function axes(out: string[], p: Panel, title: string, yMax: number, yLabel: string, xLabels: string[]): void {
  out.push(`<text x="${p.x + p.w / 2}" y="${p.y - 10}" text-anchor="middle" font-weight="bold">${esc(title)}</text>`);
  out.push(`<rect x="${p.x}" y="${p.y}" width="${p.w}" height="${p.h}" fill="none" stroke="#999"/>`);
  for (let i = 0; i <= 4; i++) {
    const v = (yMax * i) / 4;
    const y = p.y + p.h - (p.h * i) / 4;
    out.push(`<line x1="${p.x}" x2="${p.x + p.w}" y1="${y}" y2="${y}" stroke="#eee"/>`);
    out.push(`<text x="${p.x - 6}" y="${y + 4}" text-anchor="end">${+v.toPrecision(3)}</text>`);
  }
  out.push(
    `<text transform="translate(${p.x - 42} ${p.y + p.h / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>`,
  );
  xLabels.forEach((l, i) => {
    const x = p.x + ((i + 0.5) * p.w) / xLabels.length;
    out.push(`<text x="${x}" y="${p.y + p.h + 16}" text-anchor="middle">${esc(l)}</text>`);
  });
}

function linePanel(
  out: string[],
  p: Panel,
  rows: Row[],
  title: string,
  yLabel: string,
  f: (r: Row) => number | undefined,
): void {
  const steps = [...new Map(rows.map((r) => [r.step, r.offered])).entries()].sort((a, b) => a[1] - b[1]);
  const targets = [...new Set(rows.map((r) => r.target))];
  const vals = rows.map(f).filter((v): v is number => v !== undefined && Number.isFinite(v));
  const yMax = niceMax(Math.max(0, ...vals));
  axes(
    out,
    p,
    title,
    yMax,
    yLabel,
    steps.map(([s]) => s),
  );
  for (const t of targets) {
    const pts: string[] = [];
    steps.forEach(([s], i) => {
      const r = rows.find((x) => x.target === t && x.step === s);
      const v = r && f(r);
      if (v === undefined || !Number.isFinite(v)) return;
      const x = p.x + ((i + 0.5) * p.w) / steps.length;
      const y = p.y + p.h - (p.h * v) / yMax;
      pts.push(`${x.toFixed(1)},${y.toFixed(1)}`);
      out.push(`<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="3" fill="${COLORS[t]}"/>`);
    });
    if (pts.length > 1)
      out.push(`<polyline points="${pts.join(' ')}" fill="none" stroke="${COLORS[t]}" stroke-width="2"/>`);
  }
}

function barPanel(
  out: string[],
  p: Panel,
  rows: Row[],
  title: string,
  yLabel: string,
  f: (r: Row) => number | undefined,
): void {
  const vals = rows.map(f).filter((v): v is number => v !== undefined && Number.isFinite(v));
  const yMax = niceMax(Math.max(0, ...vals));
  axes(out, p, title, yMax, yLabel, []);
  const bw = p.w / Math.max(1, rows.length);
  rows.forEach((r, i) => {
    const v = f(r);
    const x = p.x + i * bw + bw * 0.15;
    out.push(
      `<text x="${x + bw * 0.35}" y="${p.y + p.h + 16}" text-anchor="middle">${esc(label(r.target).replace('tomada ', 't. '))}</text>`,
    );
    if (v === undefined || !Number.isFinite(v)) return;
    const h = (p.h * v) / yMax;
    out.push(
      `<rect x="${x.toFixed(1)}" y="${(p.y + p.h - h).toFixed(1)}" width="${(bw * 0.7).toFixed(1)}" height="${h.toFixed(1)}" fill="${COLORS[r.target]}"/>`,
    );
    out.push(
      `<text x="${x + bw * 0.35}" y="${(p.y + p.h - h - 4).toFixed(1)}" text-anchor="middle">${v.toFixed(1)}</text>`,
    );
  });
}

export function chart(rows: readonly Row[], subtitle: string): string {
  const W = 1200;
  const H = 420;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">tomada vs ngIRCd vs InspIRCd vs a bare Node loop</text>`,
    `<text x="${W / 2}" y="40" text-anchor="middle" fill="#555">${esc(subtitle)}</text>`,
  ];
  const s1 = rows.filter((r) => r.scenario === 1 && r.median);
  const s3 = rows.filter((r) => r.scenario === 3 && r.median);
  linePanel(
    out,
    { x: 70, y: 80, w: 330, h: 260 },
    s1,
    '1. server CPU-s per million deliveries',
    'CPU-s / M deliveries',
    (r) => r.median?.cpuPerMillion,
  );
  linePanel(out, { x: 480, y: 80, w: 330, h: 260 }, s1, '1. p99 delivery latency', 'ms', (r) => r.median?.p99Ms);
  barPanel(
    out,
    { x: 890, y: 80, w: 290, h: 260 },
    s3,
    `3. memory per idle connection`,
    'KiB / connection',
    (r) => r.median?.kibPerConnection,
  );
  out.push(`<text x="70" y="${80 + 260 + 36}">offered deliveries/s →</text>`);
  const legend = [...new Set(rows.filter((r) => r.scenario !== 4).map((r) => r.target))];
  legend.forEach((t, i) => {
    const x = 70 + i * 180;
    out.push(`<rect x="${x}" y="${H - 24}" width="14" height="14" fill="${COLORS[t]}"/>`);
    out.push(`<text x="${x + 20}" y="${H - 12}">${esc(label(t))}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
