import net from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import { LineSplitter } from '../codec/line.js';
import { PeerClosedError, TimeoutError } from '../errors.js';
import type { LiveTerminal } from './terminal.js';

/**
 * Connects over TCP, rejecting with {@link TimeoutError} (`connect`) after `timeoutMs`, or with the
 * system's error (ECONNREFUSED, ENOTFOUND…, which carry the address) when the connection fails.
 */
export function connectTcp(host: string, port: number, timeoutMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port, allowHalfOpen: true });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new TimeoutError('connect', timeoutMs, host, port));
    }, timeoutMs);
    socket.once('error', (err) => {
      clearTimeout(timer);
      socket.destroy();
      reject(Object.assign(err, { hostname: (err as { hostname?: string }).hostname ?? host }));
    });
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      socket.setNoDelay(true);
      resolve(socket);
    });
  });
}

/**
 * The "Cliente Básico": reads everything the server sends until it closes the connection (the tutorial
 * server sends its welcome and closes). Rejects with {@link TimeoutError} (`read`) when the server keeps
 * quiet for `timeoutMs`, and with {@link PeerClosedError} when it closes without sending anything.
 */
export function receiveAll(socket: net.Socket, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(new TimeoutError('read', timeoutMs));
    });
    socket.on('data', (d: Buffer) => parts.push(d));
    socket.on('error', (err) => {
      socket.destroy();
      reject(err);
    });
    socket.on('end', () => {
      socket.end();
      socket.setTimeout(0);
      if (parts.length === 0) reject(new PeerClosedError());
      else resolve(Buffer.concat(parts));
    });
  });
}

export interface EchoClientOptions {
  socket: net.Socket;
  terminal: LiveTerminal;
  /** Send each line with LF (for `echo serve --lines`); default: without, as the tutorial's client. */
  lines: boolean;
  /** On a pipe, how long to wait for each answer before failing. */
  timeoutMs: number;
}

/** Words that end the echo client (the tutorial's `sair`, and `quit`), in any case. */
export const QUIT_WORDS = ['sair', 'quit'];

/**
 * The "Cliente Echo", non-blocking as chapter 4's client: whatever the server sends is printed as it
 * arrives (on a terminal, above the line being typed). On a pipe it sends a line, waits for its answer
 * (bounded by `timeoutMs`), and so on; it ends on `sair`/`quit` or end of input. Resolves when done;
 * rejects with {@link PeerClosedError} if the server closes first, or the socket's error.
 */
export async function runEchoClient(options: EchoClientOptions): Promise<void> {
  const { socket, terminal } = options;
  let answers = 0;
  let failure: Error | undefined;
  let quitting = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };

  const splitter = options.lines ? new LineSplitter({ maxLength: 1 << 20 }) : undefined;
  const decoder = new StringDecoder('utf8');
  socket.on('data', (d: Buffer) => {
    if (splitter) {
      splitter.push(d, (line) => {
        answers++;
        terminal.print(line);
      });
    } else {
      const text = decoder.write(d);
      if (text !== '') terminal.print(text.endsWith('\n') ? text.slice(0, -1) : text);
      answers++;
    }
    notify();
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', (err) => {
    failure ??= err;
    notify();
  });
  socket.on('end', () => {
    const rest = splitter?.flush();
    if (rest !== undefined) terminal.print(rest);
    if (!quitting) failure ??= new PeerClosedError();
    socket.end();
    notify();
    terminal.close();
  });

  const waitForAnswers = async (count: number) => {
    const deadline = Date.now() + options.timeoutMs;
    while (answers < count && !failure) {
      const left = deadline - Date.now();
      if (left <= 0) throw new TimeoutError('read', options.timeoutMs);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  };

  let sent = 0;
  terminal.prompt();
  try {
    for await (const line of terminal.lines()) {
      if (failure) break;
      if (QUIT_WORDS.includes(line.trim().toLowerCase())) break;
      if (!options.lines && line === '') {
        terminal.prompt(); // the tutorial's client would send nothing and wait forever
        continue;
      }
      socket.write(options.lines ? line + '\n' : line);
      sent++;
      if (!terminal.interactive) await waitForAnswers(sent);
      terminal.prompt();
    }
  } finally {
    quitting = true;
    terminal.close();
    if (!socket.destroyed) socket.end();
    const timer = setTimeout(() => socket.destroy(), 1000);
    await closed;
    clearTimeout(timer);
  }
  if (failure) throw failure;
}
