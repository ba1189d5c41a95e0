import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real `redis-server` for the tests, on a free loopback port, in a temporary directory, with nothing
 * saved to disk (`--save '' --appendonly no`). Redis cannot listen on port 0 and tell us the port, so a
 * free one is found by binding a server to port 0 and closing it; if someone takes it meanwhile, the
 * start is tried again on another. `stop()` ends it by its PID; `start()` again runs it on the same
 * port (the restart tests), with its data gone as after a real crash without persistence.
 */
export class RedisServer {
  readonly dir = mkdtempSync(join(tmpdir(), 'tomada-redis-'));
  #child: ChildProcess | undefined;
  port = 0;

  /** `tls`: a certificate and key (PEM files): the server then speaks TLS only (`rediss://`). */
  constructor(readonly options: { tls?: { cert: string; key: string } } = {}) {}

  /** Whether the machine has `redis-server` (scripts/setup-test-deps.sh installs it). */
  static available(): boolean {
    return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
  }

  get url(): string {
    return this.options.tls ? `rediss://localhost:${this.port}` : `redis://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** Starts on a fresh free port, or on the same port again when it ran before. */
  async start(): Promise<void> {
    this.port = await runOnFreePort(this.port, 'Address already in use', (port) => this.#run(port));
  }

  async #run(port: number): Promise<void> {
    const t = this.options.tls;
    const listen = t
      ? ['--port', '0', '--tls-port', String(port), '--tls-cert-file', t.cert, '--tls-key-file', t.key]
      : ['--port', String(port)];
    // Clients are not asked for certificates; Redis wants a CA file all the same.
    const ca = t ? ['--tls-ca-cert-file', t.cert, '--tls-auth-clients', 'no'] : [];
    const child = spawn(
      'redis-server',
      [...listen, ...ca, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    const ready = new Promise<void>((resolve, reject) => {
      const onData = (d: Buffer) => {
        output += d.toString();
        if (output.includes('Ready to accept connections')) resolve();
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${output}`)));
    });
    this.#child = child;
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    try {
      await ready;
    } finally {
      clearTimeout(timer);
    }
    if (!(await ping(port, t !== undefined)))
      throw new Error(`redis-server on ${port} does not answer PING: ${output}`);
  }

  /** Ends the server by its PID (SIGKILL: a crash, nothing flushed) and waits until it has exited. */
  async stop(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await gone;
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A loopback port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Whether a Redis answers `PING` on `port` now. */
function ping(port: number, secure = false): Promise<boolean> {
  return new Promise((resolve) => {
    // The certificate is the test's own: what is checked here is that Redis answers.
    const s = secure
      ? tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false })
      : net.connect({ host: '127.0.0.1', port });
    let got = '';
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.once('error', () => done(false));
    s.on('data', (d: Buffer) => {
      got += d.toString();
      if (got.includes('\r\n')) done(got.startsWith('+PONG'));
    });
    s.once(secure ? 'secureConnect' : 'connect', () => s.write('PING\r\n'));
  });
}

/**
 * Runs a server with `run(port)` on `port` (a server started again keeps its port) or, when `port` is 0,
 * on a free port; when another process took that port between the probe and the server's bind (an error
 * containing `busy`), tries another one, five times at most. Resolves with the port the server got.
 */
export async function runOnFreePort(port: number, busy: string, run: (port: number) => Promise<void>): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const candidate = port || (await freePort());
    try {
      await run(candidate);
      return candidate;
    } catch (err) {
      if (port || attempt >= 4 || !String(err).includes(busy)) throw err;
    }
  }
}
