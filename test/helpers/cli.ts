import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

/** A running `tomada` process with line-oriented access to its output. */
export class CliProcess {
  readonly child: ChildProcessWithoutNullStreams;
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;
  #waiters: Array<() => void> = [];

  /** Runs `tomada ARGS`, or another program when `command` is given (e.g. python3 for the tutorial's programs). */
  constructor(args: string[], env: NodeJS.ProcessEnv = {}, command?: string) {
    const argv = command ? args : ['--import', 'tsx', MAIN, ...args];
    this.child = spawn(command ?? process.execPath, argv, {
      cwd: ROOT,
      env: { ...process.env, LANG: 'C.UTF-8', LC_ALL: '', LC_MESSAGES: '', FORCE_COLOR: '0', ...env },
    });
    this.child.stdout.setEncoding('utf8');
    this.child.stderr.setEncoding('utf8');
    this.child.stdout.on('data', (d: string) => {
      this.stdout += d;
      this.#wake();
    });
    this.child.stderr.on('data', (d: string) => {
      this.stderr += d;
      this.#wake();
    });
    this.exited = new Promise((resolve) => {
      this.child.on('close', (code) => {
        this.#wake();
        resolve(code);
      });
    });
  }

  #wake(): void {
    const w = this.#waiters;
    this.#waiters = [];
    for (const f of w) f();
  }

  /** Waits until `pattern` matches stdout (or stderr with `stream`), failing after `ms`. */
  async waitFor(pattern: RegExp, stream: 'stdout' | 'stderr' = 'stdout', ms = 15000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + ms;
    for (;;) {
      const m = this[stream].match(pattern);
      if (m) return m;
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        // Output may still be draining after exit: give 'close' a chance.
        await this.exited;
        const m2 = this[stream].match(pattern);
        if (m2) return m2;
        throw new Error(
          `process exited before ${pattern} appeared on ${stream}.\nstdout: ${this.stdout}\nstderr: ${this.stderr}`,
        );
      }
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `timed out waiting for ${pattern} on ${stream}.\nstdout: ${this.stdout}\nstderr: ${this.stderr}`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits for a server's "listening on HOST:PORT" line and returns the port. */
  async listeningPort(label = 'listening on'): Promise<number> {
    const m = await this.waitFor(new RegExp(`${label} \\S*?:(\\d+)`));
    return Number(m[1]);
  }

  write(text: string): void {
    this.child.stdin.write(text);
  }

  endInput(): void {
    this.child.stdin.end();
  }

  /** Sends a signal and waits for the exit status. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}

/** Runs `tomada ARGS` to completion (optionally feeding stdin) and returns status and output. */
export async function runCli(
  args: string[],
  options: { input?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const p = new CliProcess(args, options.env);
  if (options.input !== undefined) p.write(options.input);
  p.endInput();
  const timer = setTimeout(() => p.child.kill('SIGKILL'), options.timeoutMs ?? 30000);
  const code = await p.exited;
  clearTimeout(timer);
  return { code, stdout: p.stdout, stderr: p.stderr };
}

/** Runs one of the tutorial's Python programs from test/python (unbuffered, so output arrives at once). */
export function python(script: string, args: string[]): CliProcess {
  return new CliProcess(['-u', `test/python/${script}`, ...args], {}, 'python3');
}

/** Kills the process if still running (for `after` hooks). */
export async function ensureStopped(p: CliProcess | undefined): Promise<void> {
  if (!p) return;
  if (p.child.exitCode === null && p.child.signalCode === null) {
    p.child.kill('SIGKILL');
    await once(p.child, 'close').catch(() => undefined);
  }
}

/** A door of `serveArgs`: `true` listens on a free port of 127.0.0.1, a string is the address, absent is off. */
type DoorArg = boolean | string | undefined;

/**
 * The arguments of `tomada chat serve` with the doors `doors` opens (the others off) and history in
 * memory, then `more` (e.g. `--store URL`).
 */
export function serveArgs(doors: { line?: DoorArg; irc?: DoorArg; http?: DoorArg }, ...more: string[]): string[] {
  const at = (door: DoorArg): string => (door === true ? '127.0.0.1:0' : door || 'off');
  return [
    'chat',
    'serve',
    '--line',
    at(doors.line),
    '--irc',
    at(doors.irc),
    '--http',
    at(doors.http),
    '--data-dir',
    ':memory:',
    ...more,
  ];
}
