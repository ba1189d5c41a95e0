/**
 * What `npm run bench` makes of its runs: the median of each figure over the repetitions, one table with
 * ratios to each peer, and the targets checked against the figures. Pure (no I/O).
 */
import type { TargetName } from './peers.js';

/** The figures of one run that the table shows (all medians later). */
export interface RunFigures {
  /** Deliveries/s (chat) or requests/s (echo). */
  rate: number;
  lossPct: number;
  lost: number;
  duplicates: number;
  corrupt: number;
  p50Ms: number;
  p99Ms: number;
  /** Server CPU-seconds per million deliveries (or requests); two nodes: theirs, Redis's and PostgreSQL's. */
  cpuPerMillion?: number;
  /** Two nodes: Redis's part of `cpuPerMillion`. */
  redisCpuPerMillion?: number;
  /** Several processes: each one's CPU-seconds per million deliveries (node A, node B, Redis, PostgreSQL). */
  partsCpuPerMillion?: number[];
  /** Server resident memory at the end (MiB). */
  rssMiB?: number;
  /** Server memory growth per connected client (KiB). */
  kibPerConnection?: number;
  /** Seconds to connect and join every client, and the server's CPU-seconds meanwhile. */
  connectSeconds?: number;
  joinCpuSeconds?: number;
  connected: number;
  generatorSaturated: boolean;
}

export interface Run {
  scenario: number;
  /** Step label inside a scenario, e.g. the offered deliveries/s. */
  step: string;
  /** Offered load (deliveries/s) for chart axes; 0 when not meaningful. */
  offered: number;
  target: TargetName;
  rep: number;
  figures?: RunFigures;
  error?: string;
}

export interface Row {
  scenario: number;
  step: string;
  offered: number;
  target: TargetName;
  runs: number;
  errors: string[];
  median?: RunFigures;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function medianOf(figs: readonly RunFigures[], f: (x: RunFigures) => number | undefined): number | undefined {
  const vals = figs.map(f).filter((v): v is number => v !== undefined && Number.isFinite(v));
  return vals.length > 0 ? median(vals) : undefined;
}

/** One row per (scenario, step, target), in the order first seen; each figure is its own median. */
export function summarise(runs: readonly Run[]): Row[] {
  const rows = new Map<string, Row & { figs: RunFigures[] }>();
  for (const r of runs) {
    const key = `${r.scenario}|${r.step}|${r.target}`;
    let row = rows.get(key);
    if (!row) {
      row = { scenario: r.scenario, step: r.step, offered: r.offered, target: r.target, runs: 0, errors: [], figs: [] };
      rows.set(key, row);
    }
    row.runs++;
    if (r.figures) row.figs.push(r.figures);
    if (r.error) row.errors.push(r.error);
  }
  const out: Row[] = [];
  for (const { figs, ...row } of rows.values()) {
    if (figs.length > 0) {
      row.median = {
        rate: medianOf(figs, (f) => f.rate)!,
        lossPct: medianOf(figs, (f) => f.lossPct)!,
        // Faults are not medians: any loss, duplicate or corruption in any run must show.
        lost: Math.max(...figs.map((f) => f.lost)),
        duplicates: Math.max(...figs.map((f) => f.duplicates)),
        corrupt: Math.max(...figs.map((f) => f.corrupt)),
        p50Ms: medianOf(figs, (f) => f.p50Ms)!,
        p99Ms: medianOf(figs, (f) => f.p99Ms)!,
        cpuPerMillion: medianOf(figs, (f) => f.cpuPerMillion),
        redisCpuPerMillion: medianOf(figs, (f) => f.redisCpuPerMillion),
        rssMiB: medianOf(figs, (f) => f.rssMiB),
        kibPerConnection: medianOf(figs, (f) => f.kibPerConnection),
        connectSeconds: medianOf(figs, (f) => f.connectSeconds),
        joinCpuSeconds: medianOf(figs, (f) => f.joinCpuSeconds),
        connected: Math.min(...figs.map((f) => f.connected)),
        generatorSaturated: figs.some((f) => f.generatorSaturated),
      };
    }
    out.push(row);
  }
  return out;
}

const CHAT_DOORS = ['tomada-line', 'tomada-irc', 'tomada-ws'] as const;
export const PEERS: readonly TargetName[] = ['inspircd', 'ngircd', 'node-bare'];
const TOMADA: readonly TargetName[] = [
  'tomada-line',
  'tomada-irc',
  'tomada-ws',
  'tomada-2nodes',
  'tomada-2nodes-spread',
  'tomada-echo',
];

/** The figure a scenario is judged by (lower is better): CPU per million, or memory per connection. */
export function costOf(row: Row): number | undefined {
  if (!row.median) return undefined;
  return row.scenario === 3 ? row.median.kibPerConnection : row.median.cpuPerMillion;
}

/** tomada's cost divided by each peer's, in the same scenario and step. */
export function ratios(rows: readonly Row[], row: Row): Array<{ peer: TargetName; ratio: number }> {
  if (!TOMADA.includes(row.target)) return [];
  const mine = costOf(row);
  if (mine === undefined) return [];
  const peers: readonly TargetName[] = row.scenario === 4 ? ['node-echo'] : PEERS;
  const out: Array<{ peer: TargetName; ratio: number }> = [];
  for (const peer of peers) {
    const other = rows.find((r) => r.scenario === row.scenario && r.step === row.step && r.target === peer);
    const theirs = other && costOf(other);
    if (theirs !== undefined && theirs > 0) out.push({ peer, ratio: mine / theirs });
  }
  return out;
}

const SHORT: Record<TargetName, string> = {
  'tomada-line': 'tomada line',
  'tomada-irc': 'tomada IRC',
  'tomada-ws': 'tomada web',
  'tomada-2nodes': 'tomada 2 nodes',
  'tomada-2nodes-spread': 'tomada 2 nodes, spread',
  ngircd: 'ngIRCd',
  inspircd: 'InspIRCd',
  'node-bare': 'bare Node',
  'tomada-echo': 'tomada echo',
  'node-echo': 'bare Node echo',
};
export const label = (t: TargetName) => SHORT[t];

export const SCENARIO_TITLES: Record<number, string> = {
  1: '200 clients, 20 senders, 100 B',
  2: '1,000 clients in one room, 10 senders × 10 msg/s',
  3: 'idle connections',
  4: 'echo, 10 connections, 1 KiB, closed loop',
};

const num = (v: number | undefined, d: number) => (v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(d));
const big = (v: number | undefined) =>
  v === undefined || !Number.isFinite(v) ? '–' : Math.round(v).toLocaleString('en-US');

/** The one table, in Markdown (it reads well on a terminal too). */
export function table(rows: readonly Row[]): string[] {
  const lines = [
    '| scenario | server | deliveries/s (echo: req/s) | loss | p50 ms | p99 ms | server CPU-s / M | RSS MiB | KiB / conn | join s | cost vs peers |',
    '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|---|',
  ];
  for (const row of rows) {
    const m = row.median;
    const scen = `${row.scenario}. ${row.step}`;
    if (!m) {
      lines.push(`| ${scen} | ${label(row.target)} | failed: ${row.errors[0] ?? '?'} | | | | | | | | |`);
      continue;
    }
    const faults = m.duplicates + m.corrupt > 0 ? ` (dup ${m.duplicates}, corrupt ${m.corrupt})` : '';
    const loss = m.lost === 0 ? '0' : `${num(m.lossPct, m.lossPct < 0.01 ? 4 : 2)} %`;
    const r = ratios(rows, row)
      .map((x) => `×${x.ratio.toFixed(2)} ${label(x.peer)}`)
      .join(', ');
    const sat = m.generatorSaturated ? ' (gen. saturated)' : '';
    lines.push(
      `| ${scen} | ${label(row.target)} | ${big(m.rate)}${sat} | ${loss}${faults} | ${num(m.p50Ms, 2)} | ${num(m.p99Ms, 1)} | ` +
        `${num(m.cpuPerMillion, 2)} | ${num(m.rssMiB, 1)} | ${num(m.kibPerConnection, 1)} | ${num(m.connectSeconds, 1)} | ${r} |`,
    );
  }
  return lines;
}

export interface Verdict {
  target: string;
  met: boolean | undefined;
  evidence: string;
}

/** The offered rate (deliveries/s) of scenario 1 at which issue 6 sets the latency target. */
const LATENCY_TARGET_RATE = 40_000;

/** The targets, checked against the medians. `undefined` means the runs cannot tell. */
export function verdicts(rows: readonly Row[]): Verdict[] {
  const find = (scenario: number, target: TargetName, step?: string) =>
    rows.find((r) => r.scenario === scenario && r.target === target && (step === undefined || r.step === step));
  const out: Verdict[] = [];
  const s1 = rows.filter((r) => r.scenario === 1);
  const steps = [...new Set(s1.map((r) => r.step))];
  const top = s1.reduce<Row | undefined>((a, r) => (!a || r.offered > a.offered ? r : a), undefined)?.step;
  // The latency target is at 40k deliveries/s (issue 6): a run without that step cannot tell (judged at
  // the lowest step, a run of 400k/s alone was reported as missing a 10-ms target set for 40k/s).
  const low = s1.find((r) => r.offered === LATENCY_TARGET_RATE)?.step;
  for (const door of ['tomada-line', 'tomada-irc'] as const) {
    if (top === undefined) break;
    const mine = find(1, door, top)?.median?.cpuPerMillion;
    const insp = find(1, 'inspircd', top)?.median?.cpuPerMillion;
    out.push({
      target: `CPU per million deliveries ≤ 0.8 × InspIRCd's, ${label(door)} (at ${top})`,
      met: mine !== undefined && insp !== undefined ? mine <= 0.8 * insp : undefined,
      evidence:
        mine !== undefined && insp !== undefined
          ? `${mine.toFixed(2)} vs ${insp.toFixed(2)} CPU-s/M (×${(mine / insp).toFixed(2)}; limit ${(0.8 * insp).toFixed(2)})`
          : 'not measured',
    });
  }
  if (steps.length > 0) {
    for (const door of CHAT_DOORS) {
      const p99 = low !== undefined ? find(1, door, low)?.median?.p99Ms : undefined;
      out.push({
        target: `p99 latency ≤ 10 ms at 40k/s with 200 clients, ${label(door)}`,
        met: p99 !== undefined ? p99 <= 10 : undefined,
        evidence:
          p99 !== undefined ? `p99 ${p99.toFixed(1)} ms` : low === undefined ? 'not run at 40k/s' : 'not measured',
      });
    }
  }
  // The CPU target names the line and IRC doors; latency, memory and integrity hold for every door.
  for (const idle of rows.filter((r) => r.scenario === 3 && (CHAT_DOORS as readonly TargetName[]).includes(r.target))) {
    const m = idle.median;
    out.push({
      target: `${idle.step} in ≤ 150 MiB RSS, ${label(idle.target)}`,
      met: m?.rssMiB !== undefined && m.connected > 0 ? m.rssMiB <= 150 : undefined,
      evidence: m
        ? `${num(m.rssMiB, 1)} MiB for ${m.connected} connections (${num(m.kibPerConnection, 1)} KiB each)`
        : 'failed',
    });
  }
  // Issue 17: every door near the bare Node loop when idle, and the line echo near the bare echo.
  for (const idle of rows.filter((r) => r.scenario === 3 && (CHAT_DOORS as readonly TargetName[]).includes(r.target))) {
    const k = idle.median?.kibPerConnection;
    out.push({
      target: `≤ 6 KiB per idle connection, ${label(idle.target)}`,
      met: k !== undefined && idle.median!.connected > 0 ? k <= 6 : undefined,
      evidence: k !== undefined ? `${k.toFixed(2)} KiB` : 'not measured',
    });
  }
  // Issue 12: two nodes (the listeners split over them, the senders on one) against the single node:
  // everything on the server's core, and spread (node B, Redis and PostgreSQL on the generator's).
  for (const name of ['tomada-2nodes', 'tomada-2nodes-spread'] as const) {
    const two = top !== undefined ? (find(1, name, '400k/s') ?? find(1, name, top)) : undefined;
    if (!two) continue;
    const who = name === 'tomada-2nodes' ? 'two nodes' : 'two nodes spread';
    const one = find(1, 'tomada-line', two.step)?.median;
    const m = two.median;
    const at = `at ${two.step}`;
    out.push({
      target: `${who} ≤ 1.3 × the single node's CPU per delivery (nodes + Redis + PostgreSQL), ${at}`,
      met:
        m?.cpuPerMillion !== undefined && one?.cpuPerMillion !== undefined
          ? m.cpuPerMillion <= 1.3 * one.cpuPerMillion
          : undefined,
      evidence:
        m?.cpuPerMillion !== undefined && one?.cpuPerMillion !== undefined
          ? `${m.cpuPerMillion.toFixed(2)} vs ${one.cpuPerMillion.toFixed(2)} CPU-s/M (×${(m.cpuPerMillion / one.cpuPerMillion).toFixed(2)})`
          : 'not measured',
    });
    out.push({
      target: `Redis ≤ 0.05 CPU-seconds per million deliveries (${who}), ${at}`,
      met: m?.redisCpuPerMillion !== undefined ? m.redisCpuPerMillion <= 0.05 : undefined,
      evidence: m?.redisCpuPerMillion !== undefined ? `${m.redisCpuPerMillion.toFixed(3)} CPU-s/M` : 'not measured',
    });
    out.push({
      target: `${who}: p99 ≤ 2 × the single node's, ${at}`,
      // Nothing delivered has no latency to compare: not met (the loss target says why).
      met: m && one ? m.rate > 0 && m.p99Ms <= 2 * one.p99Ms : undefined,
      evidence:
        m && one
          ? `p99 ${m.p99Ms.toFixed(1)} vs ${one.p99Ms.toFixed(1)} ms` + (m.rate > 0 ? '' : ' (nothing delivered)')
          : 'not measured',
    });
  }
  const echo = find(4, 'tomada-echo')?.median?.rate;
  const bareEcho = find(4, 'node-echo')?.median?.rate;
  if (echo !== undefined || bareEcho !== undefined) {
    out.push({
      target: '`echo serve --lines --quiet` ≥ 0.9 × the bare Node echo (requests/s)',
      met: echo !== undefined && bareEcho !== undefined ? echo >= 0.9 * bareEcho : undefined,
      evidence:
        echo !== undefined && bareEcho !== undefined
          ? `${big(echo)} vs ${big(bareEcho)} requests/s (×${(echo / bareEcho).toFixed(2)})`
          : 'not measured',
    });
  }
  const mine = rows.filter((r) => TOMADA.includes(r.target) && r.median);
  const faulty = mine.filter((r) => r.median!.lost + r.median!.duplicates + r.median!.corrupt > 0);
  out.push({
    target: 'no loss, duplicates or corruption (tomada, every scenario)',
    met: mine.length > 0 ? faulty.length === 0 : undefined,
    evidence:
      faulty.length === 0
        ? `${mine.length} rows clean`
        : faulty
            .map(
              (r) =>
                `${r.scenario}. ${r.step} ${label(r.target)}: lost ${r.median!.lost}, dup ${r.median!.duplicates}, corrupt ${r.median!.corrupt}${r.median!.generatorSaturated ? ' (generator saturated)' : ''}`,
            )
            .join('; '),
  });
  return out;
}
