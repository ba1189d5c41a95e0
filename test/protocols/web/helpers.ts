import { once } from 'node:events';
import WebSocket from 'ws';
import { startChatServer, type ChatServer } from '../../../src/server/chat-server.js';
import type { ChatConfigInput } from '../../../src/server/config.js';

/** A chat server with only the web door, on a free port, history in memory. */
export async function webServer(
  extra: ChatConfigInput = {},
): Promise<{ server: ChatServer; port: number; url: string }> {
  const server = await startChatServer({
    line: null,
    irc: null,
    http: { host: '127.0.0.1', port: 0 },
    dataDir: ':memory:',
    ...extra,
  });
  const port = server.address('http')!.port;
  return { server, port, url: `ws://127.0.0.1:${port}` };
}

export type Json = Record<string, unknown> & { type: string };

/** A WebSocket client of the JSON protocol that keeps every message and can wait for one. */
export class JsonClient {
  readonly received: Json[] = [];
  closeCode: number | undefined;
  readonly closed: Promise<number>;
  #waiters: Array<() => void> = [];

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      this.received.push(JSON.parse(data.toString('utf8')) as Json);
      this.#wake();
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code) => {
        this.closeCode = code;
        this.#wake();
        resolve(code);
      }),
    );
    ws.on('error', () => undefined);
  }

  static async open(url: string, options: WebSocket.ClientOptions = {}): Promise<JsonClient> {
    const ws = new WebSocket(`${url}/ws`, options);
    const c = new JsonClient(ws);
    await once(ws, 'open');
    return c;
  }

  /** Opens, says hello and joins `room` (default #geral); returns the client once `joined` arrived. */
  static async chat(
    url: string,
    nick: string,
    room = '#geral',
    extra: Record<string, unknown> = {},
  ): Promise<JsonClient> {
    const c = await JsonClient.open(url);
    c.send({ type: 'hello', nick, ...extra });
    await c.next((m) => m.type === 'welcome');
    c.send({ type: 'join', room });
    await c.next((m) => m.type === 'joined' && m.room === room);
    return c;
  }

  send(msg: Record<string, unknown>): void {
    this.ws.send(JSON.stringify(msg));
  }

  #wake(): void {
    const w = this.#waiters;
    this.#waiters = [];
    for (const f of w) f();
  }

  /** Waits for (and consumes) the first message matching `pred`. */
  async next(pred: (m: Json) => boolean, ms = 5000): Promise<Json> {
    const deadline = Date.now() + ms;
    for (;;) {
      const i = this.received.findIndex(pred);
      if (i !== -1) return this.received.splice(i, 1)[0]!;
      if (this.closeCode !== undefined)
        throw new Error(`closed (${this.closeCode}) before the message came; got ${JSON.stringify(this.received)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; got ${JSON.stringify(this.received)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async close(): Promise<void> {
    if (this.closeCode !== undefined) return;
    this.ws.close();
    await this.closed;
  }
}
