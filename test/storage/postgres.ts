import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { runOnFreePort } from '../cluster/redis.js';

/** Debian's PostgreSQL binaries (initdb, postgres), newest version first; undefined when not installed. */
function binDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(root, versions[0], 'bin');
}

const READY_MS = 20_000;

/**
 * A real PostgreSQL for the tests, in a temporary directory, on a free loopback port (`-k` puts its
 * socket in that directory too). PostgreSQL refuses to run as root: as root it runs as the `postgres`
 * user that Debian's package creates (`runuser -u postgres --`), otherwise as oneself. Trust
 * authentication, user `tomada`. `stop()` ends it by the PID in `postmaster.pid`; `start()` again runs
 * it on the same port and data (the restart tests).
 */
export class PostgresServer {
  readonly dir = mkdtempSync(join(tmpdir(), 'tomada-pg-'));
  readonly data = join(this.dir, 'data');
  readonly bin = binDir();
  #child: ChildProcess | undefined;
  #dbs = 0;
  port = 0;

  /**
   * `tls`: a certificate and key (PEM files): the server then takes TLS connections only (`hostssl`),
   * and {@link url} asks for them, verifying the certificate against itself (`sslrootcert`).
   */
  constructor(readonly options: { tls?: { cert: string; key: string } } = {}) {}

  /** Whether the machine has PostgreSQL (scripts/setup-test-deps.sh installs it). */
  static available(): boolean {
    return binDir() !== undefined;
  }

  /** A URL for `db` on this server (user `tomada`; the password is not checked). */
  url(db = 'postgres', password?: string): string {
    const tls = this.options.tls ? `?sslmode=verify-full&sslrootcert=${encodeURIComponent(this.options.tls.cert)}` : '';
    return `postgres://tomada${password ? `:${password}` : ''}@127.0.0.1:${this.port}/${db}${tls}`;
  }

  /** The PID of the postmaster (from its lock file), while it runs. */
  get pid(): number | undefined {
    if (!this.#child) return undefined;
    try {
      return Number(readFileSync(join(this.data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    } catch {
      return undefined;
    }
  }

  /** Runs a command as the server's user (the `postgres` user when we are root). */
  #argv(cmd: string, args: string[]): [string, string[]] {
    const path = join(this.bin!, cmd);
    return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', path, ...args]] : [path, args];
  }

  async start(): Promise<void> {
    if (!this.bin)
      throw new Error('PostgreSQL is not installed (no /usr/lib/postgresql/*/bin): run scripts/setup-test-deps.sh');
    if (!existsSync(this.data)) {
      this.#initdb();
      if (this.options.tls) this.#tlsOnly(this.options.tls);
    }
    this.port = await runOnFreePort(this.port, 'already in use', (port) => this.#run(port));
  }

  #initdb(): void {
    if (process.getuid?.() === 0) {
      const id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
      const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
      if (id.status !== 0) throw new Error('running as root and there is no `postgres` user to run PostgreSQL as');
      chownSync(this.dir, Number(id.stdout.trim()), Number(gid.stdout.trim()));
    }
    const [cmd, args] = this.#argv('initdb', [
      '-D',
      this.data,
      '-U',
      'tomada',
      '--auth=trust',
      '-E',
      'UTF8',
      '--no-sync',
    ]);
    const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0) throw new Error(`initdb failed (${r.status}): ${r.stderr || String(r.error)}`);
  }

  /** The certificate and key in the data directory, owned by the server's user (it refuses a key others can read), and TLS only. */
  #tlsOnly(files: { cert: string; key: string }): void {
    for (const [from, name] of [
      [files.cert, 'server.crt'],
      [files.key, 'server.key'],
    ] as const) {
      const to = join(this.data, name);
      copyFileSync(from, to);
      chmodSync(to, 0o600);
      if (process.getuid?.() === 0) this.#chownToServer(to);
    }
    const hba = join(this.data, 'pg_hba.conf');
    writeFileSync(hba, 'local all all trust\nhostssl all all 127.0.0.1/32 trust\nhostssl all all ::1/128 trust\n');
    if (process.getuid?.() === 0) this.#chownToServer(hba);
  }

  #chownToServer(path: string): void {
    const id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    chownSync(path, Number(id.stdout.trim()), Number(gid.stdout.trim()));
  }

  async #run(port: number): Promise<void> {
    const [cmd, args] = this.#argv('postgres', [
      '-D',
      this.data,
      '-p',
      String(port),
      '-k',
      this.dir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=off',
      ...(this.options.tls ? ['-c', 'ssl=on'] : []),
    ]);
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const ready = new Promise<void>((resolve, reject) => {
      const onData = (d: Buffer) => {
        output += d.toString();
        if (output.includes('ready to accept connections')) resolve();
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', (code) => reject(new Error(`postgres exited (${code}): ${output}`)));
    });
    this.#child = child;
    const timer = setTimeout(() => child.kill('SIGKILL'), READY_MS);
    try {
      await ready;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Creates an empty database and returns its URL. */
  async createDatabase(password?: string): Promise<string> {
    const name = `t${++this.#dbs}`;
    const client = new pg.Client({ connectionString: this.url('postgres'), connectionTimeoutMillis: 5000 });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE ${name}`);
    } finally {
      await client.end();
    }
    return this.url(name, password);
  }

  /**
   * Ends the server by its PID and waits until it has gone. SIGQUIT is PostgreSQL's immediate shutdown:
   * no checkpoint, clients cut off, recovery on the next start — a crash, but one that takes the
   * server's own children with it so it can start again at once.
   */
  async stop(signal: NodeJS.Signals = 'SIGQUIT'): Promise<void> {
    const child = this.#child;
    const pid = this.pid;
    this.#child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((r) => child.once('exit', r));
    const timer = setTimeout(() => child.kill('SIGKILL'), READY_MS);
    // The postmaster is runuser's child when we are root: signal it, runuser exits after it.
    if (pid) process.kill(pid, signal);
    else child.kill(signal);
    await gone;
    clearTimeout(timer);
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The rows `sql` gives on the database at `url` (a connection of its own, closed after). */
export async function rows<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const c = new pg.Client(url);
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}
