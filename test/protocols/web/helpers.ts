import { once } from 'node:events';
import { after, before } from 'node:test';
import WebSocket from 'ws';
import { startChatServer, type ChatServer, type StartOptions } from '../../../src/server/chat-server.js';
import type { ChatConfigInput } from '../../../src/server/config.js';

/** A chat server with only the web door (and the others `extra` opens), on free ports, history in memory. */
export async function webServer(
  extra: ChatConfigInput = {},
  options: StartOptions = {},
): Promise<{ server: ChatServer; port: number; url: string; ircPort: number | undefined }> {
  const server = await startChatServer(
    {
      line: null,
      irc: null,
      http: { host: '127.0.0.1', port: 0 },
      dataDir: ':memory:',
      ...extra,
    },
    options,
  );
  const port = server.address('http')!.port;
  return { server, port, url: `ws://127.0.0.1:${port}`, ircPort: server.address('irc')?.port };
}

/** The IRC door on a free port, for `webServer` / `webAndIrc`. */
export const IRC_DOOR = { host: '127.0.0.1', port: 0 } as const;

/** What `webAndIrc` gives a describe block; the fields are set before its first test. */
export interface WebAndIrc {
  server: ChatServer;
  /** The web door's `ws://` address. */
  url: string;
  /** The IRC door's port. */
  ircPort: number;
  /** The connections the tests open, closed after them. */
  open: Array<{ close(): unknown }>;
}

/**
 * For a describe block: a chat server with the web and IRC doors (and `extra`), started before its tests
 * with the start options `options()` gives (e.g. an account store it fills); after them, the connections
 * pushed to `open` are closed, then the server.
 */
export function webAndIrc(
  extra: ChatConfigInput = {},
  options: () => StartOptions | Promise<StartOptions> = () => ({}),
): WebAndIrc {
  const doors = { open: [] } as unknown as WebAndIrc;
  before(async () => {
    const started = await webServer({ irc: IRC_DOOR, ...extra }, await options());
    doors.server = started.server;
    doors.url = started.url;
    doors.ircPort = started.ircPort!;
  });
  after(async () => {
    for (const c of doors.open) await c.close();
    await doors.server.close();
  });
  return doors;
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
