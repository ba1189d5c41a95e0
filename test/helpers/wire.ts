import net from 'node:net';
import { once } from 'node:events';

/**
 * A raw TCP peer for tests: everything received is kept as text, and `waitFor` waits for a pattern to
 * appear after the last match (so the same line is not matched twice).
 */
export class WireClient {
  readonly socket: net.Socket;
  received = '';
  #cursor = 0;
  #waiters: Array<() => void> = [];
  closed = false;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      this.received += d;
      this.#wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.#wake();
    });
    socket.on('error', () => undefined);
  }

  static async connect(port: number, host = '127.0.0.1'): Promise<WireClient> {
    const s = net.connect({ host, port });
    await once(s, 'connect');
    return new WireClient(s);
  }

  #wake(): void {
    const w = this.#waiters;
    this.#waiters = [];
    for (const f of w) f();
  }

  /** Waits for `pattern` in what arrived since the last successful wait; returns the match. */
  async waitFor(pattern: RegExp | string, ms = 5000): Promise<string> {
    const deadline = Date.now() + ms;
    for (;;) {
      const rest = this.received.slice(this.#cursor);
      const idx = typeof pattern === 'string' ? rest.indexOf(pattern) : rest.search(pattern);
      if (idx !== -1) {
        const m = typeof pattern === 'string' ? pattern : rest.slice(idx).match(pattern)![0];
        this.#cursor += idx + m.length;
        return m;
      }
      if (this.closed) throw new Error(`closed before ${String(pattern)}; received: ${JSON.stringify(this.received)}`);
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`timed out waiting for ${String(pattern)}; received: ${JSON.stringify(this.received)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Waits for the peer to close the connection. */
  async waitClosed(ms = 5000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!this.closed) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`still open; received: ${JSON.stringify(this.received)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** What arrived after the last match. */
  get unread(): string {
    return this.received.slice(this.#cursor);
  }

  send(data: string | Buffer): void {
    this.socket.write(data);
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Connects to a line door and completes the tutorial handshake. */
export async function lineUser(port: number, nick: string): Promise<WireClient> {
  const c = await WireClient.connect(port);
  await c.waitFor('APELIDO');
  c.send(nick + '\n');
  await c.waitFor('Conectado ao servidor!\n');
  await c.waitFor(/\* (You are in|Você está em) #\S+ .*\n/);
  return c;
}

/** Connects to an IRC door, registers as `nick` and joins #geral. */
export async function ircUser(port: number, nick: string): Promise<WireClient> {
  const c = await WireClient.connect(port);
  c.send(`NICK ${nick}\r\nUSER ${nick} 0 * :IRC user\r\n`);
  await c.waitFor(/ 001 /);
  c.send('JOIN #geral\r\n');
  await c.waitFor(/JOIN :?#geral\r\n/);
  return c;
}
