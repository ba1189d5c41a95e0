/**
 * The two-node row of `npm run bench` (issue 12): two `tomada chat serve` processes of one network on a
 * real Redis (`--cluster`) and a real PostgreSQL (`--store`), all pinned to the server's core like the
 * single node they are compared with. Redis and PostgreSQL are the tests' own (test/cluster/redis.ts,
 * test/storage/postgres.ts: temporary directories, free ports, stopped by PID).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RedisServer } from '../test/cluster/redis.js';
import { PostgresServer } from '../test/storage/postgres.js';

export interface TwoNodes {
  /** Node A (the senders' node): its pid and line port. */
  pid: number;
  port: number;
  /** Node B's line port. */
  alsoPort: number;
  /** Node B, Redis, PostgreSQL's postmaster (its backends are counted with it): summed with node A. */
  alsoPids: number[];
  stop(): Promise<void>;
}

interface Spawn {
  pinned(cpu: number | undefined, cmd: string, args: string[]): [string, string[]];
  waitForLog(child: ChildProcess, log: string, re: RegExp, timeoutMs: number): Promise<RegExpExecArray>;
  stopper(child: ChildProcess): () => Promise<void>;
  /** `chat serve` with the bench's limits, every door on loopback port 0, and `extra`. */
  serveArgs(dataDir: string, extra: string[]): string[];
}

/** Moves a running process and its children to `cpu` (children forked from now on follow). */
function pin(pid: number | undefined, cpu: number | undefined): void {
  if (pid === undefined || cpu === undefined) return;
  spawnSync('taskset', ['-apc', String(cpu), String(pid)], { stdio: 'ignore' });
  // PostgreSQL's background processes (writer, checkpointer…) are forked before this.
  const children = spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
    .stdout.split(/\s+/)
    .filter(Boolean);
  for (const child of children) spawnSync('taskset', ['-apc', String(cpu), child], { stdio: 'ignore' });
}

/** Node A on `cpu`; node B, Redis and PostgreSQL on `otherCpu` (the same core, or the generator's). */
export async function startTwoNodes(
  cpu: number | undefined,
  otherCpu: number | undefined,
  s: Spawn,
): Promise<TwoNodes> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tomada-bench-2nodes-'));
  const redis = new RedisServer();
  const pg = new PostgresServer();
  const children: ChildProcess[] = [];
  const stop = async () => {
    // BENCH_KEEP_LOGS=DIR keeps the nodes' logs (e.g. with BENCH_SERVER_NODE_FLAGS=--trace-gc-nvp) and
    // what Redis counted of each command.
    const keep = process.env.BENCH_KEEP_LOGS;
    if (keep && redis.pid !== undefined) {
      mkdirSync(keep, { recursive: true });
      const stats = spawnSync('redis-cli', ['-u', redis.url, 'INFO', 'commandstats'], { encoding: 'utf8' });
      writeFileSync(path.join(keep, `redis-${Date.now()}.txt`), stats.stdout ?? '');
    }
    await Promise.all(children.map((c) => s.stopper(c)()));
    await Promise.all([redis.dispose(), pg.dispose()]);
    if (keep) {
      mkdirSync(keep, { recursive: true });
      for (const n of ['a', 'b']) {
        const f = path.join(dir, `${n}.log`);
        if (existsSync(f)) copyFileSync(f, path.join(keep, `${n}-${Date.now()}.log`));
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await Promise.all([redis.start(), pg.start()]);
    pin(redis.pid, otherCpu);
    pin(pg.pid, otherCpu);
    const store = await pg.createDatabase();
    const network = `bench${process.pid}`;
    const node = async (name: string, on: number | undefined) => {
      const log = path.join(dir, `${name}.log`);
      const fd = openSync(log, 'a');
      let child: ChildProcess;
      try {
        const [c, a] = s.pinned(
          on,
          process.execPath,
          s.serveArgs(path.join(dir, name), [
            '--network',
            network,
            '--cluster',
            redis.url,
            '--store',
            store,
            ...(process.env.BENCH_2NODES_EXTRA?.split(' ').filter(Boolean) ?? []),
            '--node-name',
            name,
          ]),
        );
        child = spawn(c, a, { stdio: ['ignore', fd, fd] });
      } finally {
        closeSync(fd);
      }
      children.push(child);
      const m = await s.waitForLog(child, log, /line door listening on [^"]*:(\d+)/, 30_000);
      return { pid: child.pid!, port: Number(m[1]) };
    };
    const a = await node('a', cpu);
    const b = await node('b', otherCpu);
    return { pid: a.pid, port: a.port, alsoPort: b.port, alsoPids: [b.pid, redis.pid!, pg.pid!], stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
