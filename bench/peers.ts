/**
 * The servers `npm run bench` runs side by side: tomada (line door and IRC door of one `chat serve` with
 * every door on), ngIRCd and InspIRCd (Debian packages, each with its own config in a temporary folder,
 * loopback only, flood limits raised — see BENCH-NOTES), the bare Node broadcast loop and, for the echo
 * scenario, tomada's echo server and a bare Node echo. Each server is a child process pinned to one core
 * (taskset), so its CPU and memory can be read from /proc/<pid> (Linux only).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTwoNodes } from './cluster.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TOMADA = path.join(ROOT, 'dist', 'cli', 'main.js');

export type TargetName =
  | 'tomada-line'
  | 'tomada-irc'
  | 'tomada-ws'
  | 'tomada-2nodes'
  | 'tomada-2nodes-spread'
  | 'ngircd'
  | 'inspircd'
  | 'node-bare'
  | 'tomada-echo'
  | 'node-echo';

export interface TargetInfo {
  name: TargetName;
  label: string;
  proto: 'line' | 'irc' | 'ws' | 'tcp';
  /** Connects in flight at once (ngIRCd's listen backlog is 10). */
  connectConcurrency: number;
}

export const TARGETS: Record<TargetName, TargetInfo> = {
  'tomada-line': { name: 'tomada-line', label: 'tomada (line door)', proto: 'line', connectConcurrency: 50 },
  'tomada-irc': { name: 'tomada-irc', label: 'tomada (IRC door)', proto: 'irc', connectConcurrency: 50 },
  'tomada-ws': {
    name: 'tomada-ws',
    label: 'tomada (web door, JSON over WebSocket)',
    proto: 'ws',
    connectConcurrency: 50,
  },
  'tomada-2nodes': {
    name: 'tomada-2nodes',
    label: 'tomada, two nodes on Redis and PostgreSQL (line door)',
    proto: 'line',
    connectConcurrency: 50,
  },
  'tomada-2nodes-spread': {
    name: 'tomada-2nodes-spread',
    label: 'tomada, two nodes, node B, Redis and PostgreSQL on the generator’s core',
    proto: 'line',
    connectConcurrency: 50,
  },
  ngircd: { name: 'ngircd', label: 'ngIRCd', proto: 'irc', connectConcurrency: 10 },
  inspircd: { name: 'inspircd', label: 'InspIRCd', proto: 'irc', connectConcurrency: 1000 },
  'node-bare': { name: 'node-bare', label: 'bare Node broadcast', proto: 'line', connectConcurrency: 50 },
  'tomada-echo': { name: 'tomada-echo', label: 'tomada echo serve', proto: 'tcp', connectConcurrency: 10 },
  'node-echo': { name: 'node-echo', label: 'bare Node echo', proto: 'tcp', connectConcurrency: 10 },
};

export interface RunningPeer {
  target: TargetInfo;
  pid: number;
  port: number;
  /** A second node of the network (the two-node target): the generator splits the listeners over both. */
  alsoPort?: number;
  /** Processes whose CPU counts with `pid`'s (the other node, Redis, PostgreSQL). */
  alsoPids?: number[];
  stop(): Promise<void>;
}

/** `taskset -c CPU` in front of a command when taskset exists and the machine has that CPU. */
export function pinned(cpu: number | undefined, cmd: string, args: string[]): [string, string[]] {
  if (cpu === undefined || !hasTaskset()) return [cmd, args];
  return ['taskset', ['-c', String(cpu), cmd, ...args]];
}

let tasksetCache: boolean | undefined;
export function hasTaskset(): boolean {
  tasksetCache ??= spawnSync('taskset', ['--version'], { stdio: 'ignore' }).status === 0;
  return tasksetCache;
}

/** A free loopback port (for servers that cannot be told to use port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts connections on the port. */
async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}) before listening`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port });
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listening on 127.0.0.1:${port} after ${timeoutMs} ms`);
}

/**
 * Resolves with the first match of `re` in the server's log file. Servers write their output to a file,
 * never to a pipe: a pipe nobody drains (while the parent waits) would block a server that logs every
 * connection.
 */
async function waitForLog(child: ChildProcess, log: string, re: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
  const end = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < end) {
    text = existsSync(log) ? readFileSync(log, 'utf8') : '';
    const m = re.exec(text);
    if (m) return m;
    if (child.exitCode !== null)
      throw new Error(`server exited (${child.exitCode}) before listening: ${text.slice(-300)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`server did not print ${re} in ${timeoutMs} ms: ${text.slice(-300)}`);
}

function stopper(child: ChildProcess, dir?: string): () => Promise<void> {
  return async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await gone;
      clearTimeout(t);
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
}

/** The real pid of a server started through taskset (taskset execs, so it is the same pid). */
function pidOf(child: ChildProcess): number {
  if (child.pid === undefined) throw new Error('server did not start');
  return child.pid;
}

const ngircdConf = (port: number, dir: string) => `[Global]
  Name = bench.ngircd.local
  Info = tomada bench
  Listen = 127.0.0.1
  Ports = ${port}
  MotdPhrase = bench
  PidFile = ${dir}/ngircd.pid
  ServerUID = ${process.getuid?.() ?? 0}
  ServerGID = ${process.getgid?.() ?? 0}
[Limits]
  MaxConnections = 0
  MaxConnectionsIP = 0
  MaxJoins = 0
  MaxNickLength = 30
  MaxPenaltyTime = 0
  PingTimeout = 600
  PongTimeout = 600
[Options]
  DNS = no
  Ident = no
  PAM = no
  OperCanUseMode = yes
  RequireAuthPing = no
`;

const inspircdConf = (port: number, dir: string) => `<config format="xml">
<server name="bench.inspircd.local" description="tomada bench" network="bench">
<admin name="bench" nick="bench" email="bench@localhost">
<bind address="127.0.0.1" port="${port}" type="clients">
<connect name="bench" allow="*" timeout="120" pingfreq="600" threshold="1000000" commandrate="100000000"
         fakelag="no" recvq="67108864" softsendq="67108864" hardsendq="268435456" localmax="1000000"
         globalmax="1000000" limit="1000000" resolvehostnames="no" useident="no" maxchans="100">
<dns server="127.0.0.1" timeout="1">
<pid file="${dir}/inspircd.pid">
<files motd="${dir}/motd">
<channels users="100" opers="100">
<limits maxnick="30" maxchan="64">
<performance clonesonconnect="no" netbuffersize="65536" somaxconn="4096" softlimit="60000" quietbursts="yes">
<options prefixquit="Quit: " syntaxhints="no" announcets="no" hostintopic="yes" pingwarning="15">
<security hideserver="" userstats="Pu" customversion="" flatlinks="no" hidesplits="no" maxtargets="20">
<log method="file" type="* -USERINPUT -USEROUTPUT" level="default" target="${dir}/ircd.log">
`;

export interface StartOptions {
  cpu?: number;
  /** The generator's core (the spread two-node target puts node B, Redis and PostgreSQL there). */
  otherCpu?: number;
  dataDir?: string;
}

/** `chat serve` as the bench runs it: every door on, history on disk, flood limits raised past its rates. */
function serveArgs(dataDir: string, extra: string[]): string[] {
  return [
    // Node's own flags for the servers, e.g. `--cpu-prof --cpu-prof-dir=DIR` to profile them under load
    // (NODE_OPTIONS refuses --cpu-prof, and would profile the generator too).
    ...(process.env.BENCH_SERVER_NODE_FLAGS?.split(' ').filter(Boolean) ?? []),
    TOMADA,
    'chat',
    'serve',
    '--line',
    '127.0.0.1:0',
    '--irc',
    '127.0.0.1:0',
    '--http',
    '127.0.0.1:0',
    '--data-dir',
    dataDir,
    '--max-connections',
    '60000',
    '--max-per-ip',
    '60000',
    '--flood-rate',
    '100000',
    '--flood-burst',
    '100000',
    '--flood-queue',
    '100000',
    '--max-send-queue',
    String(64 * 1024 * 1024),
    '--log-level',
    'info',
    ...extra,
  ];
}

/** Starts one target pinned to `cpu`; resolves when it accepts connections. */
export async function startTarget(name: TargetName, o: StartOptions = {}): Promise<RunningPeer> {
  const target = TARGETS[name];
  const dir = mkdtempSync(path.join(os.tmpdir(), `tomada-bench-${name}-`));
  const node = process.execPath;
  let child: ChildProcess;
  let port: number;
  const log = path.join(dir, 'server.log');
  // Node servers run from the project (to find tsx); the C servers from their temporary folder.
  let spawned: ChildProcess | undefined;
  const spawnPinned = (cmd: string, args: string[], cwd = ROOT) => {
    const [c, a] = pinned(o.cpu, cmd, args);
    const fd = openSync(log, 'a');
    try {
      spawned = spawn(c, a, { cwd, stdio: ['ignore', fd, fd] });
      return spawned;
    } finally {
      closeSync(fd);
    }
  };
  if (name === 'tomada-2nodes' || name === 'tomada-2nodes-spread') {
    rmSync(dir, { recursive: true, force: true });
    // Spread: each node a core, as on two machines (node B, Redis and PostgreSQL share the generator's).
    const others = name === 'tomada-2nodes-spread' ? o.otherCpu : o.cpu;
    const two = await startTwoNodes(o.cpu, others, { pinned, waitForLog, stopper, serveArgs });
    return { target, ...two };
  }
  // A server that does not come up is stopped, not left running (it would keep the bench from exiting).
  try {
    switch (name) {
      case 'tomada-line':
      case 'tomada-irc':
      case 'tomada-ws': {
        // Every door on, history on disk, flood control on with limits raised past the bench's rates.
        // BENCH_SINGLE_EXTRA: more `chat serve` options for the single node (`--coalesce-ms 40`: its turns
        // spaced like the two nodes' flushes, docs/bench.md "seventh sitting").
        const extra = process.env.BENCH_SINGLE_EXTRA?.split(' ').filter(Boolean) ?? [];
        child = spawnPinned(node, serveArgs(o.dataDir ?? path.join(dir, 'data'), extra));
        const door = name === 'tomada-line' ? 'line' : name === 'tomada-irc' ? 'irc' : 'http';
        const m = await waitForLog(child, log, new RegExp(`${door} door listening on [^"]*:(\\d+)`), 15_000);
        port = Number(m[1]);
        break;
      }
      case 'node-bare':
      case 'node-echo': {
        const file = path.join(ROOT, 'bench', 'servers', name === 'node-bare' ? 'broadcast.ts' : 'echo.ts');
        child = spawnPinned(node, ['--import', 'tsx', file, '0']);
        const m = await waitForLog(child, log, /listening on [^\s]*:(\d+)/, 15_000);
        port = Number(m[1]);
        break;
      }
      case 'tomada-echo': {
        child = spawnPinned(node, [
          TOMADA,
          'echo',
          'serve',
          '--host',
          '127.0.0.1',
          '--port',
          '0',
          '--lines',
          '--quiet',
        ]);
        const m = await waitForLog(child, log, /listening on [^\s]*:(\d+)/, 15_000);
        port = Number(m[1]);
        break;
      }
      case 'ngircd': {
        port = await freePort();
        const conf = path.join(dir, 'ngircd.conf');
        writeFileSync(conf, ngircdConf(port, dir));
        child = spawnPinned('ngircd', ['--nodaemon', '--config', conf], dir);
        await waitForPort(port, child, 15_000);
        break;
      }
      case 'inspircd': {
        port = await freePort();
        const conf = path.join(dir, 'inspircd.conf');
        writeFileSync(path.join(dir, 'motd'), 'bench\n');
        writeFileSync(conf, inspircdConf(port, dir));
        const args = ['--config', conf, '--nofork', '--nopid'];
        if (process.getuid?.() === 0) args.push('--runasroot');
        child = spawnPinned('inspircd', args, dir);
        await waitForPort(port, child, 20_000);
        break;
      }
    }
  } catch (err) {
    if (spawned) await stopper(spawned, dir)();
    throw err;
  }
  child.on('error', () => undefined);
  return { target, pid: pidOf(child), port, stop: stopper(child, dir) };
}
