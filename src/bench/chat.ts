/**
 * `tomada bench chat` as a library: N clients in one room, S of them sending at a rate, every client
 * counting what it receives; with `procs > 1` the clients are spread over child processes (worker.ts)
 * so the generator is not the bottleneck. Bounded: a hard time cap ends the run whatever the server does.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ClientGroup, type GroupOptions, type GroupStats } from './clients.js';
import { nowUs } from './clock.js';
import { processCpuSeconds, processMemory, processTreeCpuSeconds } from './procstat.js';
import { buildChatReport, type ChatReport, type ServerFigures } from './report.js';
import type { ProtoName } from './protocols.js';

export interface ChatBenchOptions {
  proto: ProtoName;
  host: string;
  port: number;
  clients: number;
  senders: number;
  /** Messages per second per sender. */
  rate: number;
  size: number;
  durationSec: number;
  /** Seconds of sending before the measurement starts (not counted). */
  warmupSec?: number;
  procs: number;
  serverPid?: number;
  /** A second node of the same network (see {@link GroupOptions.alsoPort}). */
  alsoPort?: number;
  /**
   * More processes whose CPU and memory count with the server's (the other node, Redis, PostgreSQL): the
   * report's server figures are the sum.
   */
  alsoPids?: number[];
  connectConcurrency: number;
  /** Register only, join no room (idle connections). */
  noJoin?: boolean;
  /** The room the clients talk in (default #bench). */
  room?: string;
  connectTimeoutMs: number;
  /** Longest wait for in-flight deliveries after sending stops. */
  drainMs: number;
}

/** How far ahead of the start message the senders begin (the start must reach every process first). */
const START_LEAD_MS = 100;

export type ChatPhase = 'connect' | 'warmup' | 'run' | 'drain' | 'done';

export interface ChatProgress {
  phase: ChatPhase;
  connected: number;
  clients: number;
  sent: number;
  received: number;
  elapsedSec: number;
}

/** The same operations on a group in this process or in a child process. */
interface GroupHandle {
  ready: Promise<void>;
  counts(): { sent: number; received: number; connected: number };
  start(startUs: number, countFromUs: number): void;
  stopSending(): void;
  finish(): Promise<GroupStats>;
  close(): Promise<void>;
}

function localGroup(opts: GroupOptions, onConnect: () => void): GroupHandle {
  const g = new ClientGroup(opts);
  return {
    ready: g.connectAll(onConnect),
    counts: () => ({ sent: g.stats.sent, received: g.stats.received, connected: g.connected }),
    start: (t, from) => g.start(t, from),
    stopSending: () => g.stopSending(),
    finish: () => {
      g.endMeasure();
      return Promise.resolve(g.snapshot());
    },
    close: () => g.close(),
  };
}

/** Messages between the coordinator and a worker (worker.ts). */
export type ToWorker =
  | { type: 'init'; opts: GroupOptions }
  | { type: 'start'; startUs: number; countFromUs: number }
  | { type: 'stop' }
  | { type: 'finish' }
  | { type: 'close' };
export type FromWorker =
  | { type: 'connected'; connected: number }
  | { type: 'ready' }
  | { type: 'counts'; sent: number; received: number; connected: number }
  | { type: 'stats'; stats: GroupStats }
  | { type: 'closed' };

function workerPath(): string {
  const here = fileURLToPath(import.meta.url);
  const ext = here.endsWith('.ts') ? '.ts' : '.js';
  const p = here.replace(/chat\.(ts|js)$/, `worker${ext}`);
  if (!existsSync(p)) throw new Error(`bench worker not found: ${p}`);
  return p;
}

function childGroup(opts: GroupOptions, onConnect: () => void): GroupHandle {
  const child: ChildProcess = fork(workerPath(), [], {
    execArgv: process.execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let counts = { sent: 0, received: 0, connected: 0 };
  const waiters = new Map<string, (m: FromWorker) => void>();
  let exited = false;
  const exitWaiters: Array<() => void> = [];
  child.on('message', (m: FromWorker) => {
    if (m.type === 'counts') counts = { sent: m.sent, received: m.received, connected: m.connected };
    else if (m.type === 'connected') onConnect();
    const w = waiters.get(m.type);
    if (w) {
      waiters.delete(m.type);
      w(m);
    }
  });
  child.on('exit', () => {
    exited = true;
    for (const w of exitWaiters) w();
    for (const [, w] of waiters) w({ type: 'closed' });
    waiters.clear();
  });
  child.on('error', () => undefined);
  const wait = (type: FromWorker['type']) => new Promise<FromWorker>((resolve) => waiters.set(type, resolve));
  const send = (m: ToWorker) => {
    if (!exited && child.connected) child.send(m);
  };
  const ready = wait('ready').then(() => undefined);
  send({ type: 'init', opts });
  return {
    ready,
    counts: () => counts,
    start: (t, from) => send({ type: 'start', startUs: t, countFromUs: from }),
    stopSending: () => send({ type: 'stop' }),
    finish: async () => {
      const p = wait('stats');
      send({ type: 'finish' });
      const m = await p;
      if (m.type !== 'stats') throw new Error('bench worker exited before reporting');
      return m.stats;
    },
    close: async () => {
      if (exited) return;
      const gone = new Promise<void>((resolve) => exitWaiters.push(resolve));
      send({ type: 'close' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await gone;
      clearTimeout(timer);
    },
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs one chat bench and returns its report. `onProgress` is called about 10 times a second.
 * `signal` aborts early (the report covers what was measured).
 */
export async function runChatBench(
  o: ChatBenchOptions,
  onProgress?: (p: ChatProgress) => void,
  signal?: AbortSignal,
): Promise<ChatReport> {
  const procs = Math.max(1, Math.min(o.procs, o.clients));
  const nickPrefix = `b${Math.floor(Math.random() * 36 ** 3).toString(36)}x`;
  const pids = o.serverPid !== undefined ? [o.serverPid, ...(o.alsoPids ?? [])] : [];
  // The server's own CPU; the others' (another node, Redis, PostgreSQL) with their children.
  const cpuOf = () => sumOf(pids.map((p, i) => (i === 0 ? processCpuSeconds(p) : processTreeCpuSeconds(p))));
  const memOf = () => {
    const m = pids.map(processMemory);
    return { rss: sumOf(m.map((x) => x?.rss)), peak: sumOf(m.map((x) => x?.peak)) };
  };
  const serverBase: ServerFigures | undefined =
    o.serverPid !== undefined ? { pid: o.serverPid, rssBaseKiB: memOf().rss } : undefined;
  let connectedSoFar = 0;
  const groups: GroupHandle[] = [];
  for (let p = 0; p < procs; p++) {
    const clients: number[] = [];
    for (let i = p; i < o.clients; i += procs) clients.push(i);
    const opts: GroupOptions = {
      proto: o.proto,
      host: o.host,
      port: o.port,
      clients,
      senders: o.senders,
      rate: o.rate,
      size: o.size,
      connectConcurrency: Math.max(1, Math.ceil(o.connectConcurrency / procs)),
      connectTimeoutMs: o.connectTimeoutMs,
      nickPrefix,
      noJoin: o.noJoin,
      room: o.room,
      alsoPort: o.alsoPort,
    };
    const onConnect = () => connectedSoFar++;
    groups.push(procs === 1 ? localGroup(opts, onConnect) : childGroup(opts, onConnect));
  }
  const t0 = Date.now();
  const totals = () => {
    let sent = 0;
    let received = 0;
    for (const g of groups) {
      const c = g.counts();
      sent += c.sent;
      received += c.received;
    }
    return { sent, received };
  };
  let phase: ChatPhase = 'connect';
  let runStart = 0;
  const warmupMs = Math.max(0, (o.warmupSec ?? 0) * 1000);
  const tick = () => {
    const t = totals();
    onProgress?.({
      phase,
      connected: connectedSoFar,
      clients: o.clients,
      ...t,
      elapsedSec:
        phase === 'connect'
          ? (Date.now() - t0) / 1000
          : phase === 'warmup'
            ? Math.max(0, Date.now() - runStart + warmupMs) / 1000
            : Math.max(0, Date.now() - runStart) / 1000,
    });
  };
  const progressTimer = setInterval(tick, 100);
  try {
    const joinCpu0 = cpuOf();
    await Promise.all(groups.map((g) => g.ready));
    const connectSeconds = (Date.now() - t0) / 1000;
    // Let the last joins' notices settle before the clock starts.
    await sleep(200);
    const joinCpu1 = cpuOf();
    const joinCpuSeconds = joinCpu1 !== undefined && joinCpu0 !== undefined ? joinCpu1 - joinCpu0 : undefined;
    // The start lies a little ahead: every group (and process) is listening before the first send.
    const startUs = nowUs() + START_LEAD_MS * 1000;
    runStart = Date.now() + START_LEAD_MS + warmupMs;
    phase = warmupMs > 0 ? 'warmup' : 'run';
    for (const g of groups) g.start(startUs, startUs + warmupMs * 1000);
    while (Date.now() < runStart && !signal?.aborted) await sleep(Math.min(50, runStart - Date.now()));
    const cpu0 = cpuOf();
    const parts0 = pids.map((p, i) => (i === 0 ? processCpuSeconds(p) : processTreeCpuSeconds(p)));
    phase = 'run';
    const endAt = runStart + o.durationSec * 1000;
    while (Date.now() < endAt && !signal?.aborted) await sleep(Math.min(100, endAt - Date.now()));
    for (const g of groups) g.stopSending();
    const sendSeconds = (Date.now() - runStart) / 1000;
    phase = 'drain';
    // Wait for what is in flight: until nothing more arrives for a while, or the drain cap.
    const drainEnd = Date.now() + o.drainMs;
    let last = totals().received;
    let quietSince = Date.now();
    while (Date.now() < drainEnd && !signal?.aborted) {
      await sleep(50);
      const now = totals().received;
      if (now !== last) {
        last = now;
        quietSince = Date.now();
      } else if (Date.now() - quietSince > 300) break;
    }
    const stats = await Promise.all(groups.map((g) => g.finish()));
    let server: ServerFigures | undefined;
    if (serverBase && o.serverPid !== undefined) {
      const cpu1 = cpuOf();
      const mem = memOf();
      const parts1 = pids.map((p, i) => (i === 0 ? processCpuSeconds(p) : processTreeCpuSeconds(p)));
      const parts = pids.map((pid, i) => {
        const a = parts0[i];
        const b = parts1[i];
        return { pid, cpuSeconds: a !== undefined && b !== undefined ? b - a : undefined };
      });
      server = {
        ...serverBase,
        cpuSeconds: cpu0 !== undefined && cpu1 !== undefined ? cpu1 - cpu0 : undefined,
        joinCpuSeconds,
        rssKiB: mem?.rss,
        peakRssKiB: mem?.peak,
        ...(pids.length > 1 ? { parts } : {}),
      };
    }
    phase = 'done';
    tick();
    // Deliveries/s over the sending window (the drain only collects what was in flight).
    return buildChatReport({
      proto: o.proto,
      target: `${o.host}:${o.port}`,
      clients: o.clients,
      senders: o.senders,
      ratePerSender: o.rate,
      size: o.size,
      seconds: sendSeconds,
      warmupSeconds: warmupMs / 1000,
      connectSeconds,
      groups: stats,
      server,
    });
  } finally {
    clearInterval(progressTimer);
    await Promise.all(groups.map((g) => g.close()));
  }
}

/** The sum, or undefined when any part is unknown (or there is none). */
function sumOf(values: Array<number | undefined>): number | undefined {
  if (values.length === 0 || values.some((v) => v === undefined)) return undefined;
  return values.reduce<number>((a, v) => a + v!, 0);
}
