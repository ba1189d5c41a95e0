/**
 * `npm run bench`: tomada side by side with ngIRCd, InspIRCd and a bare Node broadcast loop, on this
 * machine, in one run anyone can repeat (issue 6).
 *
 *   npm run bench                      # the full run (several minutes)
 *   npm run bench -- --quick           # shorter runs, fewer load steps (what the README shows)
 *   npm run bench -- --only 1,3 --reps 5 --duration 5 --targets tomada-line,inspircd --no-install
 *
 * Scenario 1 also runs `tomada-2nodes` (bench/cluster.ts): two nodes on Redis and PostgreSQL, their CPU
 * summed with Redis's and PostgreSQL's, against the single node of the same run; `tomada-2nodes-spread`
 * the same with node B, Redis and PostgreSQL on the generator's core (each node a core, as on two machines).
 *
 * Environment overrides (flags win): BENCH_REPS, BENCH_DURATION, BENCH_RATES (offered deliveries/s of
 * scenario 1, comma-separated), BENCH_S2_CLIENTS, BENCH_IDLE (idle connections of scenario 3),
 * BENCH_PROCS (generator processes).
 *
 * Every server gets a fresh process per run, pinned to CPU 0 with taskset; the generator (`tomada bench`)
 * is pinned to CPU 1. Runs are interleaved (rep → scenario → step → server, the server order rotating
 * each rep) and each figure is the median over the reps. Server CPU and memory come from /proc: Linux
 * only. Results: bench/results/latest.{json,md,svg}.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chart } from './chart.js';
import { hasTaskset, pinned, ROOT, startTarget, TARGETS, type RunningPeer, type TargetName } from './peers.js';
import { label, SCENARIO_TITLES, summarise, table, verdicts, type Run, type RunFigures } from './summary.js';
import type { ChatReport } from '../src/bench/report.js';
import type { EchoReport } from '../src/bench/echo.js';

const TOMADA = path.join(ROOT, 'dist', 'cli', 'main.js');
const RESULTS = path.join(ROOT, 'bench', 'results');
const SERVER_CPU = 0;
const GENERATOR_CPU = 1;
/** Clients connected and closed before scenario 3 measures its base (see there). */
const IDLE_WARMUP = 200;

interface Config {
  quick: boolean;
  reps: number;
  durationSec: number;
  rates: number[];
  s2Clients: number;
  idle: number;
  procs: number;
  only: Set<number>;
  targets: TargetName[];
  install: boolean;
}

const CHAT_TARGETS: TargetName[] = ['tomada-line', 'tomada-irc', 'tomada-ws', 'ngircd', 'inspircd', 'node-bare'];
/** Scenario 1 only: two nodes on Redis and PostgreSQL, against the single node (tomada-line) of the same run. */
const CLUSTER_TARGETS: TargetName[] = ['tomada-2nodes', 'tomada-2nodes-spread'];
const ECHO_TARGETS: TargetName[] = ['tomada-echo', 'node-echo'];

function usage(msg: string): never {
  process.stderr.write(`bench: ${msg}\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): Config {
  const env = process.env;
  const quick = argv.includes('--quick');
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    if (i === -1) return undefined;
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) usage(`${flag} needs a value`);
    return v;
  };
  const int = (flag: string, envName: string, def: number, min: number): number => {
    const raw = value(flag) ?? env[envName];
    if (raw === undefined || raw === '') return def;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) usage(`${flag} (${envName}) must be an integer ≥ ${min}: ${raw}`);
    return n;
  };
  const known = new Set([
    '--quick',
    '--no-install',
    '--reps',
    '--duration',
    '--only',
    '--targets',
    '--rates',
    '--procs',
    '--idle',
    '--s2-clients',
  ]);
  for (const a of argv)
    if (a.startsWith('--') && !known.has(a)) usage(`unknown option ${a} (see the top of bench/run.ts)`);
  const ratesRaw = value('--rates') ?? env.BENCH_RATES;
  const rates = ratesRaw
    ? ratesRaw.split(',').map((s) => Number(s.trim()))
    : quick
      ? [40_000, 400_000, 1_200_000]
      : [40_000, 200_000, 400_000, 800_000, 1_200_000];
  if (rates.some((r) => !Number.isFinite(r) || r <= 0)) usage(`--rates must be positive numbers: ${ratesRaw}`);
  const onlyRaw = value('--only');
  const only = new Set(onlyRaw ? onlyRaw.split(',').map(Number) : [1, 2, 3, 4]);
  const targetsRaw = value('--targets');
  const targets = (
    targetsRaw ? targetsRaw.split(',') : [...CHAT_TARGETS, ...CLUSTER_TARGETS, ...ECHO_TARGETS]
  ) as TargetName[];
  for (const t of targets) if (!(t in TARGETS)) usage(`unknown target ${t}; known: ${Object.keys(TARGETS).join(', ')}`);
  return {
    quick,
    reps: int('--reps', 'BENCH_REPS', 3, 1),
    durationSec: int('--duration', 'BENCH_DURATION', quick ? 2 : 5, 1),
    rates,
    s2Clients: int('--s2-clients', 'BENCH_S2_CLIENTS', 1000, 2),
    idle: int('--idle', 'BENCH_IDLE', 10_000, 1),
    procs: int('--procs', 'BENCH_PROCS', 1, 1),
    only,
    targets,
    install: !argv.includes('--no-install'),
  };
}

/** The machine the figures belong to. */
interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  tomada: string;
  ngircd: string;
  inspircd: string;
  pinning: string;
  date: string;
}

function machine(): Machine {
  const cpuModel = os.cpus()[0]?.model ?? '?';
  const version = (cmd: string, args: string[]) => {
    const r = spawnSync(cmd, args, { encoding: 'utf8' });
    return (r.stdout || r.stderr || '').split('\n')[0]?.trim() || 'not installed';
  };
  const tomadaVersion = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string })
    .version;
  return {
    cpu: cpuModel,
    cores: os.cpus().length,
    memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    tomada: tomadaVersion,
    ngircd: version('ngircd', ['--version']),
    inspircd: version('inspircd', ['--version']),
    pinning: hasTaskset()
      ? `server on CPU ${SERVER_CPU}, generator on CPU ${GENERATOR_CPU} (taskset)`
      : 'none (no taskset)',
    date: new Date().toISOString(),
  };
}

/** Runs `tomada bench …  --json` pinned to the generator's core; bounded by `capMs`. */
function generator(args: string[], capMs: number): Promise<ChatReport | EchoReport> {
  const [cmd, a] = pinned(os.cpus().length > 1 ? GENERATOR_CPU : undefined, process.execPath, [
    TOMADA,
    'bench',
    ...args,
    '--json',
  ]);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, a, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), capMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) {
        reject(new Error(err.trim().split('\n')[0] || `generator exited with ${code}`));
        return;
      }
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as ChatReport | EchoReport);
      } catch {
        reject(new Error(`generator printed no report: ${out.slice(0, 200)}`));
      }
    });
  });
}

function chatFigures(r: ChatReport, redisPid?: number): RunFigures {
  // Redis's share of the summed CPU (the generator reports each process's part).
  const parts = r.server?.parts;
  const redis = redisPid !== undefined ? parts?.find((p) => p.pid === redisPid)?.cpuSeconds : undefined;
  const total = r.server?.cpuSeconds;
  const perM = r.server?.cpuPerMillion;
  // Where the CPU went (two nodes): each process's share of the per-million figure.
  const partsCpuPerMillion =
    parts && total && perM !== undefined ? parts.map((p) => ((p.cpuSeconds ?? 0) * perM) / total) : undefined;
  return {
    redisCpuPerMillion: redis !== undefined && total && perM !== undefined ? (perM * redis) / total : undefined,
    ...(partsCpuPerMillion ? { partsCpuPerMillion } : {}),
    rate: r.deliveriesPerSec,
    lossPct: r.lossPct,
    lost: r.lost,
    duplicates: r.duplicates,
    corrupt: r.corrupt,
    p50Ms: r.latencyUs.p50 / 1000,
    p99Ms: r.latencyUs.p99 / 1000,
    cpuPerMillion: r.server?.cpuPerMillion,
    rssMiB: r.server?.rssKiB !== undefined ? r.server.rssKiB / 1024 : undefined,
    kibPerConnection: r.server?.rssPerConnectionKiB,
    connectSeconds: r.connectSeconds,
    joinCpuSeconds: r.server?.joinCpuSeconds,
    connected: r.connected,
    generatorSaturated: r.generator.saturated,
  };
}

function echoFigures(r: EchoReport): RunFigures {
  return {
    rate: r.requestsPerSec,
    lossPct: 0,
    lost: r.lost,
    duplicates: 0,
    corrupt: 0,
    p50Ms: r.latencyUs.p50 / 1000,
    p99Ms: r.latencyUs.p99 / 1000,
    cpuPerMillion: r.server?.cpuPerMillion,
    rssMiB: r.server?.peakRssKiB !== undefined ? r.server.peakRssKiB / 1024 : undefined,
    connected: r.connections,
    generatorSaturated: r.generator.saturated,
  };
}

interface Job {
  scenario: number;
  step: string;
  offered: number;
  targets: TargetName[];
  run(peer: RunningPeer): Promise<RunFigures>;
}

const fmtRate = (n: number) => (n >= 1e6 ? `${+(n / 1e6).toFixed(2)}M/s` : `${Math.round(n / 1000)}k/s`);

function jobs(c: Config): Job[] {
  const chatTargets = CHAT_TARGETS.filter((t) => c.targets.includes(t));
  const echoTargets = ECHO_TARGETS.filter((t) => c.targets.includes(t));
  const chat = (
    peer: RunningPeer,
    o: { clients: number; senders: number; rate: number; duration: number; noJoin?: boolean },
  ) => {
    const connectTimeout = Math.ceil(30 + o.clients / 50);
    const args = [
      'chat',
      '--proto',
      peer.target.proto,
      '--port',
      String(peer.port),
      '--clients',
      String(o.clients),
      '--senders',
      String(o.senders),
      '--rate',
      String(o.rate),
      '--size',
      '100',
      '--duration',
      String(o.duration),
      '--procs',
      String(c.procs),
      '--server-pid',
      String(peer.pid),
      '--connect-concurrency',
      String(peer.target.connectConcurrency),
      '--connect-timeout',
      String(connectTimeout),
    ];
    // Chat scenarios send for a second first, not counted (both sides' code compiled, buffers grown);
    // idle connections send nothing (scenario 3 warms up with clients of its own instead).
    if (o.noJoin) args.push('--no-join', '--warmup', '0');
    // The bare broadcast server has no rooms: a `/join` would be a message there.
    if (peer.target.name === 'node-bare') args.push('--room', '');
    // Two nodes: the listeners alternate between them, the senders on the first; every process counted.
    if (peer.alsoPort !== undefined) args.push('--also-port', String(peer.alsoPort));
    if (peer.alsoPids?.length) args.push('--also-pid', peer.alsoPids.join(','));
    // The two-node peer lists Redis second among its other processes (bench/cluster.ts).
    const redisPid = peer.target.name.startsWith('tomada-2nodes') ? peer.alsoPids?.[1] : undefined;
    return generator(args, (connectTimeout + o.duration + 30) * 1000).then((r) =>
      chatFigures(r as ChatReport, redisPid),
    );
  };
  const out: Job[] = [];
  if (c.only.has(1)) {
    for (const offered of c.rates) {
      // 20 senders, each message delivered to the 199 others.
      const rate = Math.max(1, Math.round(offered / (20 * 199)));
      out.push({
        scenario: 1,
        step: fmtRate(offered),
        offered,
        targets: [...chatTargets, ...CLUSTER_TARGETS.filter((t) => c.targets.includes(t))],
        run: (peer) => chat(peer, { clients: 200, senders: 20, rate, duration: c.durationSec }),
      });
    }
  }
  if (c.only.has(2)) {
    out.push({
      scenario: 2,
      step: `${c.s2Clients} clients`,
      offered: 100 * (c.s2Clients - 1),
      targets: chatTargets,
      run: (peer) => chat(peer, { clients: c.s2Clients, senders: 10, rate: 10, duration: c.durationSec }),
    });
  }
  if (c.only.has(3)) {
    out.push({
      scenario: 3,
      step: `${c.idle.toLocaleString('en-US')} idle`,
      offered: 0,
      targets: chatTargets,
      // Registered, in no room: 10,000 clients joining one room is a quadratic storm of join notices
      // (scenario 2 measures joins), not an idle server.
      // A few hundred clients come and go first, not counted: what the first connections cost once (code
      // compiled, caches grown) is not a cost per connection. Every target gets the same warm-up.
      run: async (peer) => {
        await chat(peer, { clients: IDLE_WARMUP, senders: 0, rate: 0, duration: 1, noJoin: true });
        return chat(peer, { clients: c.idle, senders: 0, rate: 0, duration: 1, noJoin: true });
      },
    });
  }
  if (c.only.has(4)) {
    out.push({
      scenario: 4,
      step: '10 conns',
      offered: 0,
      targets: echoTargets,
      run: async (peer) => {
        const args = ['echo', '--port', String(peer.port), '--connections', '10', '--size', '1024'];
        args.push('--duration', String(c.durationSec), '--server-pid', String(peer.pid));
        return echoFigures((await generator(args, (c.durationSec + 30) * 1000)) as EchoReport);
      },
    });
  }
  return out.filter((j) => j.targets.length > 0);
}

function installPeers(): void {
  const r = spawnSync('bash', [path.join(ROOT, 'bench', 'install-peers.sh')], { stdio: 'inherit' });
  if (r.status !== 0) process.stderr.write('bench: could not install ngircd/inspircd; their rows will fail\n');
}

/** The server being measured, stopped if the run is interrupted (no stray servers left behind). */
let current: RunningPeer | undefined;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    process.stderr.write(`bench: ${sig}, stopping\n`);
    void (current?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  });
}

async function main(): Promise<void> {
  const c = parseArgs(process.argv.slice(2));
  if (process.platform !== 'linux') process.stderr.write('bench: server CPU and memory come from /proc: Linux only\n');
  if (c.install) installPeers();
  const m = machine();
  const say = (s: string) => process.stdout.write(`${s}\n`);
  say(`machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}`);
  say(`peers: ${m.ngircd}; ${m.inspircd}; pinning: ${m.pinning}`);
  say(
    `mode: ${c.quick ? 'quick' : 'full'}, ${c.reps} reps, ${c.durationSec} s per run, generator procs ${c.procs}; ` +
      `scenario 1 steps ${c.rates.map(fmtRate).join(', ')}`,
  );
  const all = jobs(c);
  const total = all.reduce((a, j) => a + j.targets.length, 0) * c.reps;
  const runs: Run[] = [];
  const t0 = Date.now();
  let n = 0;
  for (let rep = 0; rep < c.reps; rep++) {
    for (const job of all) {
      // Rotate the server order each rep so no server always runs first (warm caches, thermal state).
      const order = job.targets.map((_, i) => job.targets[(i + rep) % job.targets.length]!);
      for (const target of order) {
        n++;
        const run: Run = { scenario: job.scenario, step: job.step, offered: job.offered, target, rep };
        let peer: RunningPeer | undefined;
        try {
          peer = await startTarget(target, os.cpus().length > 1 ? { cpu: SERVER_CPU, otherCpu: GENERATOR_CPU } : {});
          current = peer;
          run.figures = await job.run(peer);
        } catch (e) {
          run.error = (e as Error).message.split('\n')[0];
        } finally {
          current = undefined;
          await peer?.stop();
        }
        runs.push(run);
        const f = run.figures;
        say(
          `[${n}/${total} ${((Date.now() - t0) / 1000).toFixed(0)} s] ${job.scenario}. ${job.step} ${label(target)} rep ${rep + 1}: ` +
            (f
              ? `${Math.round(f.rate)}/s, lost ${f.lost}, p99 ${f.p99Ms.toFixed(1)} ms, ` +
                `${f.cpuPerMillion?.toFixed(2) ?? '–'} CPU-s/M` +
                (f.partsCpuPerMillion ? ` (${f.partsCpuPerMillion.map((x) => x.toFixed(2)).join(' + ')})` : '') +
                `, RSS ${f.rssMiB?.toFixed(1) ?? '–'} MiB` +
                (f.generatorSaturated ? ' (generator saturated)' : '')
              : `failed: ${run.error}`),
        );
      }
    }
  }
  const rows = summarise(runs);
  const lines: string[] = [];
  for (const s of [1, 2, 3, 4]) if (rows.some((r) => r.scenario === s)) lines.push(`- ${s}: ${SCENARIO_TITLES[s]}`);
  const tbl = table(rows);
  const v = verdicts(rows);
  const verdictLines = v.map(
    (x) => `- ${x.met === undefined ? 'not measured' : x.met ? 'MET' : 'MISSED'}: ${x.target}: ${x.evidence}`,
  );
  const machineLine =
    `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB RAM, ${m.os}, Node ${m.node}, ${m.ngircd}, ${m.inspircd}; ` +
    `${m.pinning}; ${c.quick ? 'quick mode' : 'full run'}: median of ${c.reps} runs of ${c.durationSec} s each (chat: after 1 s of warm-up, not counted), ${m.date}`;
  const md = [
    `Machine: ${machineLine}`,
    '',
    'Scenarios:',
    ...lines,
    '',
    ...tbl,
    '',
    '"cost vs peers" divides tomada\'s server CPU-seconds per million deliveries (scenario 3: KiB per',
    "connection) by each peer's: below 1 is cheaper. Loss, duplicates and corruption are the worst run, not the median.",
    '',
    'Targets:',
    ...verdictLines,
    '',
  ];
  say('');
  for (const l of md) say(l);
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(path.join(RESULTS, 'latest.md'), md.join('\n'));
  writeFileSync(
    path.join(RESULTS, 'latest.json'),
    JSON.stringify({ machine: m, config: { ...c, only: [...c.only] }, rows, verdicts: v, runs }, null, 2) + '\n',
  );
  writeFileSync(
    path.join(RESULTS, 'latest.svg'),
    chart(rows, `${m.cpu}, ${m.cores} cores, Node ${m.node}; median of ${c.reps}; ${m.date.slice(0, 10)}`),
  );
  say(
    `results: ${path.relative(process.cwd(), RESULTS)}/latest.{md,json,svg} (${((Date.now() - t0) / 1000).toFixed(0)} s)`,
  );
}

await main();
