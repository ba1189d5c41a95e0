import net from 'node:net';
import tls from 'node:tls';
import type { ChatServer, StartOptions } from '../../../src/server/chat-server.js';
import { inMemoryServer } from '../../helpers/chat-server.js';
import type { ChatConfigInput } from '../../../src/server/config.js';

/** A raw IRC connection for tests: what the server sent, line by line, and waiting for a line. */
export class RawClient {
  readonly socket: net.Socket;
  readonly lines: string[] = [];
  buffer = '';
  closed = false;
  #cursor = 0;
  #waiters: Array<() => void> = [];
  readonly ready: Promise<void>;

  /** `tls`: over TLS (options such as a client certificate may be given). */
  constructor(port: number, options: { tls?: boolean | tls.ConnectionOptions } = {}) {
    const more = typeof options.tls === 'object' ? options.tls : {};
    this.socket = options.tls
      ? tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false, ...more })
      : net.connect({ host: '127.0.0.1', port });
    this.ready = new Promise((resolve, reject) => {
      this.socket.once(options.tls ? 'secureConnect' : 'connect', () => resolve());
      this.socket.once('error', reject);
    });
    this.socket.on('error', () => undefined);
    this.socket.setEncoding('utf8');
    this.socket.on('data', (d: string) => {
      this.buffer += d;
      let i;
      while ((i = this.buffer.indexOf('\n')) !== -1) {
        this.lines.push(this.buffer.slice(0, i).replace(/\r$/, ''));
        this.buffer = this.buffer.slice(i + 1);
      }
      this.#wake();
    });
    this.socket.on('close', () => {
      this.closed = true;
      this.#wake();
    });
  }

  #wake(): void {
    const w = this.#waiters;
    this.#waiters = [];
    for (const f of w) f();
  }

  send(...lines: string[]): void {
    this.socket.write(lines.map((l) => l + '\r\n').join(''));
  }

  /**
   * Waits for the next line (after the last one matched) that matches `pattern`; returns it. Lines
   * skipped over are kept in `lines`.
   */
  async expect(pattern: RegExp, ms = 5000): Promise<string> {
    const deadline = Date.now() + ms;
    for (;;) {
      while (this.#cursor < this.lines.length) {
        const line = this.lines[this.#cursor++]!;
        if (pattern.test(line)) return line;
      }
      if (this.closed) throw new Error(`closed before ${pattern}; got:\n${this.lines.join('\n')}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timeout waiting for ${pattern}; got:\n${this.lines.join('\n')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Lines received since `from` (an index into `lines`). */
  since(from: number): string[] {
    return this.lines.slice(from);
  }

  /** Everything up to the line matching `end`, from the current position, as an array. */
  async collect(end: RegExp, ms = 5000): Promise<string[]> {
    const start = this.#cursor;
    await this.expect(end, ms);
    return this.lines.slice(start, this.#cursor);
  }

  async waitClosed(ms = 5000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!this.closed) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('connection still open');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.socket.destroy();
  }

  /** Registers with NICK/USER and waits for the end of the MOTD. */
  static async register(port: number, nick: string, caps: string[] = []): Promise<RawClient> {
    const c = new RawClient(port);
    await c.ready;
    if (caps.length > 0) c.send('CAP LS 302', `CAP REQ :${caps.join(' ')}`);
    c.send(`NICK ${nick}`, `USER ${nick} 0 * :Real ${nick}`);
    if (caps.length > 0) {
      await c.expect(/ CAP \S+ ACK /);
      c.send('CAP END');
    }
    await c.expect(/ (376|422) /);
    return c;
  }
}

/** A chat server in this process with the line and IRC doors on free ports (and the start `options`). */
export async function startTestServer(
  extra: ChatConfigInput = {},
  options: StartOptions = {},
): Promise<{ server: ChatServer; port: number }> {
  const server = await inMemoryServer({ http: null, ...extra }, options);
  // With `irc: null` there is no IRC listener: port 0 then (the caller must not leave the server open).
  return { server, port: server.address('irc')?.port ?? 0 };
}
