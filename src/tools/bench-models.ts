import { spawn } from 'node:child_process';
import net from 'node:net';
import type { Model } from './server.js';

export interface ModelsBenchOptions {
  models: readonly Model[];
  /** Clients running at once (closed loop: each sends its next request when it got the last answer). */
  connections: number;
  /** How long each model is loaded, in ms. */
  durationMs: number;
  workMs: number;
  threads: number;
  workers: number;
  /** How to run `tomada` (default: this very program, same Node flags). */
  command?: { file: string; args: string[] };
  /** Called before each model starts (progress). */
  onModel?(model: Model): void;
}

export interface ModelResult {
  model: Model;
  requests: number;
  errors: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Most requests the server was handling at the same moment (counted by the server). */
  maxConcurrent: number;
}

/** What `echo serve --stats-json` prints when it stops. */
export interface StatsLine {
  requests: number;
  maxConcurrent: number;
}

/** The value at quantile `q` (0..1) of sorted `values` (nearest rank), 0 when empty. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

/**
 * One request as in the tutorial's single-thread loop: connect, send, read the answer, close. A new
 * connection per request, so the `sequential` model can serve the next client once one is done.
 */
function oneRequest(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.setNoDelay(true);
    const timer = setTimeout(() => s.destroy(new Error('timeout')), 10_000);
    s.once('connect', () => s.write('ping'));
    s.once('data', () => {
      clearTimeout(timer);
      s.end();
      resolve();
    });
    s.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    s.once('end', () => s.destroy());
  });
}

async function load(port: number, connections: number, durationMs: number) {
  const latencies: number[] = [];
  let errors = 0;
  const start = performance.now();
  const end = start + durationMs;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        try {
          await oneRequest(port);
          latencies.push(performance.now() - t0);
        } catch {
          errors++;
        }
      }
    }),
  );
  return { latencies, errors, elapsedMs: performance.now() - start };
}

/** Runs `echo serve` under one model as a child process, loads it, stops it and reads its statistics. */
async function benchOne(model: Model, o: ModelsBenchOptions): Promise<ModelResult> {
  const command = o.command ?? { file: process.execPath, args: [...process.execArgv, process.argv[1]!] };
  const child = spawn(
    command.file,
    [
      ...command.args,
      '--lang',
      'en',
      'echo',
      'serve',
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--quiet',
      '--stats-json',
      '--model',
      model,
      '--work-ms',
      String(o.workMs),
      // Each model gets only the flag it uses (the others are refused).
      ...(model === 'threads' ? ['--threads', String(o.threads)] : []),
      ...(model === 'processes' ? ['--workers', String(o.workers)] : []),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let errText = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => (errText += d));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.on('data', (d: string) => {
        out += d;
        const m = /listening on \S*?:(\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      void exited.then(() => reject(new Error(`server (${model}) exited: ${errText.trim()}`)));
    });
    const r = await load(port, o.connections, o.durationMs);
    child.kill('SIGTERM');
    await exited;
    const statsLine = out.split('\n').find((l) => l.startsWith('{"requests"'));
    const stats = statsLine ? (JSON.parse(statsLine) as StatsLine) : { requests: 0, maxConcurrent: 0 };
    const sorted = r.latencies.sort((a, b) => a - b);
    return {
      model,
      requests: sorted.length,
      errors: r.errors,
      requestsPerSecond: (sorted.length * 1000) / r.elapsedMs,
      p50Ms: quantile(sorted, 0.5),
      p99Ms: quantile(sorted, 0.99),
      maxConcurrent: stats.maxConcurrent,
    };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

/** Loads each model in turn with the same client load. */
export async function runModelsBench(o: ModelsBenchOptions): Promise<ModelResult[]> {
  const results: ModelResult[] = [];
  for (const model of o.models) {
    o.onModel?.(model);
    results.push(await benchOne(model, o));
  }
  return results;
}

/** Lays rows out as a plain-text table (first row: headers; numbers right-aligned). */
export function formatTable(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r, ri) =>
    r
      .map((cell, i) => (i === 0 || ri === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}
