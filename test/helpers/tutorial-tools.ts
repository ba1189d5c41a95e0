/**
 * Shared by the tutorial tools' end-to-end tests (split in two files so that neither nears the per-file
 * timeout on a loaded machine): tomada as a process or in-process, raw TCP servers, UDP peers, and the
 * processes and sockets they leave, stopped after each file.
 */
import { after } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { once } from 'node:events';
import net from 'node:net';
import { PassThrough } from 'node:stream';
import { CliProcess, ensureStopped } from './cli.js';
import { run } from '../../src/cli/program.js';

export const procs: CliProcess[] = [];
export const cleanups: Array<() => unknown> = [];
after(async () => {
  for (const p of procs) await ensureStopped(p);
  for (const c of cleanups) await c();
});

/** Starts a `tomada` server on 127.0.0.1, port chosen by the system; resolves with the port it logged. */
export async function serve(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ proc: CliProcess; port: number }> {
  const proc = new CliProcess([...args, '--host', '127.0.0.1', '--port', '0'], env);
  procs.push(proc);
  const label = env.LANG?.startsWith('pt') ? 'escutando em' : 'listening on';
  return { proc, port: await proc.listeningPort(label) };
}

/** Runs `tomada ARGS` as its own process to completion. */
export async function tomada(args: string[], input = '', env: NodeJS.ProcessEnv = {}) {
  const p = new CliProcess(args, env);
  procs.push(p);
  p.write(input);
  p.endInput();
  const timer = setTimeout(() => p.child.kill('SIGKILL'), 30_000);
  const code = await p.exited;
  clearTimeout(timer);
  return { code, stdout: p.stdout, stderr: p.stderr };
}

/** Runs the CLI inside this process (same code as the binary, without the start-up cost) for client and usage cases. */
export async function inProcess(args: string[], input = '') {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  stdin.end(input);
  const code = await run(['--lang', 'en', ...args], { stdout, stderr, stdin, env: { LANG: 'C.UTF-8' } });
  return { code, stdout: out, stderr: err };
}

/** A port nobody listens on (bound by the system, then released). */
export async function freePort(): Promise<number> {
  const s = net.createServer();
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** A throwaway TCP server on 127.0.0.1 doing `onConnection` to each client. */
export async function rawServer(onConnection: (s: net.Socket) => void): Promise<number> {
  const open = new Set<net.Socket>();
  const srv = net.createServer((s) => {
    open.add(s);
    s.on('close', () => open.delete(s));
    onConnection(s);
  });
  srv.on('error', () => undefined);
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  cleanups.push(() => {
    for (const s of open) s.destroy(); // a socket nobody reads never sees its peer's FIN
    return new Promise<void>((resolve) => srv.close(() => resolve()));
  });
  return (srv.address() as net.AddressInfo).port;
}

/** Exactly one line on stderr, and no stack trace. */
export function oneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 1, `expected one line, got: ${stderr}`);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(stderr, /^\s+at /m);
}

/** A UDP socket collecting what it receives. */
export async function udpPeer(address = '127.0.0.1', port = 0) {
  const socket = dgram.createSocket('udp4');
  const inbox: Buffer[] = [];
  let wake: (() => void) | undefined;
  socket.on('message', (m) => {
    inbox.push(m);
    wake?.();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', (err) => {
      socket.close();
      reject(err);
    });
    socket.bind(port, address, () => resolve());
  });
  cleanups.push(() => socket.close());
  return {
    socket,
    inbox,
    send: (data: string | Buffer, to: number) =>
      new Promise<void>((resolve, reject) =>
        socket.send(data, to, '127.0.0.1', (err) => (err ? reject(err) : resolve())),
      ),
    /** Waits until `n` datagrams have arrived in all. */
    async received(n: number, ms = 5000): Promise<Buffer[]> {
      const deadline = Date.now() + ms;
      while (inbox.length < n) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`got ${inbox.length} of ${n} datagrams`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, left);
          wake = () => {
            clearTimeout(t);
            resolve();
          };
        });
      }
      return inbox.slice(0, n);
    },
  };
}
