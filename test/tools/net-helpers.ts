import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

/** Connects to 127.0.0.1:port; resolves with the socket once connected. */
export function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
}

/** Collects what arrives on `socket` until at least `bytes` bytes came (or it closed), bounded by `ms`. */
export function readBytes(socket: net.Socket, bytes: number, ms = 5000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let n = 0;
    const done = () => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', done);
      resolve(Buffer.concat(parts));
    };
    const onData = (d: Buffer) => {
      parts.push(d);
      n += d.length;
      if (n >= bytes) done();
    };
    const timer = setTimeout(() => {
      socket.off('data', onData);
      reject(new Error(`timed out after ${ms} ms with ${n} of ${bytes} bytes: ${Buffer.concat(parts).toString()}`));
    }, ms);
    socket.on('data', onData);
    socket.once('close', done);
  });
}

/** Reads until the peer closes, bounded by `ms`. */
export function readToEnd(socket: net.Socket, ms = 5000): Promise<Buffer> {
  return readBytes(socket, Number.MAX_SAFE_INTEGER, ms);
}

/** One tutorial-style exchange: connect, send, read `expect` bytes, close. Resolves with the answer text. */
export async function exchange(port: number, data: string, expectBytes: number): Promise<string> {
  const s = await connect(port);
  s.write(data);
  const answer = await readBytes(s, expectBytes);
  s.destroy();
  return answer.toString('utf8');
}

const PY_DIR = fileURLToPath(new URL('../python/', import.meta.url));

/** A Python program of test/python with output collected; `waitFor` like CliProcess. */
export class PythonProcess {
  readonly child: ChildProcessWithoutNullStreams;
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;

  constructor(file: string, args: string[]) {
    this.child = spawn('python3', ['-u', PY_DIR + file, ...args], {
      env: { ...process.env, PYTHONIOENCODING: 'utf-8' },
    });
    this.child.stdout.setEncoding('utf8');
    this.child.stderr.setEncoding('utf8');
    this.child.stdout.on('data', (d: string) => (this.stdout += d));
    this.child.stderr.on('data', (d: string) => (this.stderr += d));
    this.exited = new Promise((resolve) => this.child.on('close', (code) => resolve(code)));
  }

  async waitFor(pattern: RegExp, ms = 10000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + ms;
    for (;;) {
      const m = this.stdout.match(pattern);
      if (m) return m;
      if (this.child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`python: ${pattern} not seen.\nstdout: ${this.stdout}\nstderr: ${this.stderr}`);
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 50);
        this.child.stdout.once('data', () => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async listeningPort(): Promise<number> {
    return Number((await this.waitFor(/listening on \S*?:(\d+)/))[1]);
  }

  /** Runs to completion with `input` on stdin. */
  async run(input: string, ms = 15000): Promise<number | null> {
    this.child.stdin.end(input);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), ms);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }
}
