/**
 * Report math for the chat bench: merges what each process counted and derives loss, rates, latency
 * percentiles and the server's cost. Pure.
 */
import { Histogram } from './histogram.js';
import type { GroupStats } from './clients.js';

export interface ServerFigures {
  pid: number;
  /** CPU seconds (user + system) the server used during the measured window. */
  cpuSeconds?: number;
  /** CPU seconds the server used while the clients connected and joined (before the measured window). */
  joinCpuSeconds?: number;
  /** Resident memory before the clients connected, at the end, and its peak (KiB). */
  rssBaseKiB?: number;
  rssKiB?: number;
  peakRssKiB?: number;
  /** With several processes (`--also-pid`): each one's CPU seconds in the measured window, in order. */
  parts?: Array<{ pid: number; cpuSeconds?: number }>;
}

export interface ChatReport {
  kind: 'chat';
  proto: string;
  target: string;
  clients: number;
  connected: number;
  failed: number;
  failures: string[];
  dropped: number;
  senders: number;
  ratePerSender: number;
  size: number;
  /** Seconds of sending (deliveries/s is over this window; the drain only collects what was in flight). */
  seconds: number;
  /** Seconds of sending before the measurement (not counted). */
  warmupSeconds?: number;
  /** Seconds it took every client to connect and join (join storms show here). */
  connectSeconds?: number;
  sent: number;
  expected: number;
  received: number;
  lost: number;
  lossPct: number;
  duplicates: number;
  reordered: number;
  corrupt: number;
  stale: number;
  /** Deliveries of warm-up messages (not counted). */
  warmup: number;
  deliveriesPerSec: number;
  latencyUs: { p50: number; p99: number; max: number; mean: number };
  server?: ServerFigures & { cpuPerMillion?: number; rssPerConnectionKiB?: number };
  generator: {
    procs: number;
    /** Busiest process's event-loop utilisation (0–1) while measuring. */
    elu: number;
    cpuSeconds: number;
    behind: number;
    blockedTicks: number;
    /** True when the generator itself, not the server, limited the figures. */
    saturated: boolean;
  };
}

export interface ReportInput {
  proto: string;
  target: string;
  clients: number;
  senders: number;
  ratePerSender: number;
  size: number;
  seconds: number;
  warmupSeconds?: number;
  connectSeconds?: number;
  groups: GroupStats[];
  server?: ServerFigures;
}

/** An event loop busy this much of the time cannot keep up: its figures are the generator's. */
export const SATURATED_ELU = 0.9;

export function mergeLatency(groups: readonly GroupStats[]): Histogram {
  const h = new Histogram();
  for (const g of groups) h.merge(Histogram.fromJSON(g.latency));
  return h;
}

export function buildChatReport(input: ReportInput): ChatReport {
  const sum = (f: (g: GroupStats) => number) => input.groups.reduce((a, g) => a + f(g), 0);
  const connected = sum((g) => g.connected + g.dropped);
  const sent = sum((g) => g.sent);
  // Every message goes to every other client in the room (the sender does not get its own back).
  const expected = sent * Math.max(0, connected - 1);
  const received = sum((g) => g.received);
  const lost = Math.max(0, expected - received);
  const lat = mergeLatency(input.groups);
  const elu = input.groups.reduce((a, g) => Math.max(a, g.elu), 0);
  const behind = sum((g) => g.behind);
  const report: ChatReport = {
    kind: 'chat',
    proto: input.proto,
    target: input.target,
    clients: input.clients,
    connected,
    failed: sum((g) => g.failed),
    failures: input.groups.flatMap((g) => g.failures).slice(0, 5),
    dropped: sum((g) => g.dropped),
    senders: input.senders,
    ratePerSender: input.ratePerSender,
    size: input.size,
    seconds: input.seconds,
    warmupSeconds: input.warmupSeconds,
    connectSeconds: input.connectSeconds,
    sent,
    expected,
    received,
    lost,
    lossPct: expected > 0 ? (100 * lost) / expected : 0,
    duplicates: sum((g) => g.duplicates),
    reordered: sum((g) => g.reordered),
    corrupt: sum((g) => g.corrupt),
    stale: sum((g) => g.stale),
    warmup: sum((g) => g.warmup),
    deliveriesPerSec: input.seconds > 0 ? received / input.seconds : 0,
    latencyUs: {
      p50: lat.percentile(50),
      p99: lat.percentile(99),
      max: lat.max,
      mean: lat.count > 0 ? lat.sum / lat.count : 0,
    },
    generator: {
      procs: input.groups.length,
      elu,
      cpuSeconds: sum((g) => g.cpuSeconds),
      behind,
      blockedTicks: sum((g) => g.blockedTicks),
      saturated: elu >= SATURATED_ELU || behind > sent * 0.01,
    },
  };
  if (input.server) {
    const s = input.server;
    report.server = { ...s };
    if (s.cpuSeconds !== undefined && received > 0) report.server.cpuPerMillion = s.cpuSeconds / (received / 1e6);
    if (s.rssKiB !== undefined && s.rssBaseKiB !== undefined && connected > 0) {
      report.server.rssPerConnectionKiB = (s.rssKiB - s.rssBaseKiB) / connected;
    }
  }
  return report;
}
