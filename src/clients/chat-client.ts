import net from 'node:net';
import readline from 'node:readline';
import { TimeoutError } from '../errors.js';
import type { Translate } from '../i18n/index.js';
// The tutorial's handshake word and greeting (wire strings, never translated).
import { APELIDO, CONNECTED } from '../codec/tutorial.js';

export type Inbound = { type: 'askNick' } | { type: 'line'; text: string };

/**
 * What the chat client makes of received bytes. Pure. tomada ends every line with LF; the tutorial's
 * Python server sends each message with no line ending at all, so a piece without LF is shown once the
 * server pauses (`flush`), and `APELIDO` is recognised alone or at the end of what arrived.
 */
export class InboundParser {
  #rest = '';

  push(text: string): Inbound[] {
    const out: Inbound[] = [];
    const parts = (this.#rest + text).split('\n');
    this.#rest = parts.pop()!;
    for (const raw of parts) {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      out.push(line === APELIDO ? { type: 'askNick' } : { type: 'line', text: line });
    }
    if (this.#rest === APELIDO) {
      this.#rest = '';
      out.push({ type: 'askNick' });
    } else if (this.#rest.endsWith(APELIDO)) {
      out.push({ type: 'line', text: this.#rest.slice(0, -APELIDO.length) }, { type: 'askNick' });
      this.#rest = '';
    }
    return out;
  }

  /** What is left without a line ending (shown after a pause). */
  flush(): Inbound[] {
    const rest = this.#rest;
    this.#rest = '';
    return rest === '' ? [] : [{ type: 'line', text: rest }];
  }
}

const COLORS = [31, 32, 33, 34, 35, 36, 91, 92, 93, 94, 95, 96];

/** A stable colour per nickname. */
export function nickColor(nick: string): number {
  let h = 0;
  for (const ch of nick) h = (h * 31 + ch.codePointAt(0)!) >>> 0;
  return COLORS[h % COLORS.length]!;
}

export interface ChatClientOptions {
  host: string;
  port: number;
  nick: string;
  reconnect: boolean;
  timeoutMs: number;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  tr: Translate;
  /** Time stamps and colours (a terminal); plain lines otherwise (scripts). */
  interactive: boolean;
  color: boolean;
}

/**
 * The tutorial's "Cliente de Chat", made right: answers `APELIDO` with the nickname (no line ending, as
 * the tutorial's client does), sends each typed line as `<nick>: <text>`, prints what arrives without
 * breaking the line being typed, and reconnects with back-off when asked. Resolves with the exit status.
 */
export async function runChatClient(o: ChatClientOptions): Promise<number> {
  const address = `${o.host}:${o.port}`;
  const rl = readline.createInterface({
    input: o.input,
    output: o.interactive ? o.output : undefined,
    terminal: o.interactive,
  });
  const pending: string[] = [];
  let socket: net.Socket | undefined;
  let registered = false;
  let inputEnded = false;
  let quitting = false;
  let everConnected = false;

  const show = (text: string) => {
    if (!o.interactive) {
      o.output.write(text + '\n');
      return;
    }
    const d = new Date();
    const time = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
    let body = text;
    if (o.color) {
      body = text.replace(
        /^(\S+)(:\s)/,
        (_m, nick: string, sep: string) => `\x1b[${nickColor(nick)}m${nick}\x1b[0m${sep}`,
      );
      if (text.startsWith('*') || text.startsWith('!')) body = `\x1b[2m${text}\x1b[0m`;
    }
    // Print above the prompt and redraw it with what the person was typing.
    readline.clearLine(o.output, 0);
    readline.cursorTo(o.output, 0);
    o.output.write(`\x1b[2m${time}\x1b[0m ${body}\n`);
    rl.prompt(true);
  };

  const sendPending = () => {
    if (!socket || !registered) return;
    while (pending.length > 0) {
      const line = pending.shift()!;
      socket.write(`${o.nick}: ${line}\n`);
      if (/^\/quit\b/i.test(line)) quitting = true;
    }
    if (inputEnded && !quitting) {
      quitting = true;
      socket.end();
    }
  };

  rl.on('line', (line) => {
    if (line === '') {
      if (o.interactive) rl.prompt();
      return;
    }
    pending.push(line);
    sendPending();
    if (o.interactive) rl.prompt();
  });
  rl.on('close', () => {
    inputEnded = true;
    if (!socket || socket.destroyed) {
      if (!everConnected || !o.reconnect) return;
    }
    sendPending();
  });

  const connectOnce = () =>
    new Promise<'closed' | 'failed'>((resolve, reject) => {
      const parser = new InboundParser();
      let idle: NodeJS.Timeout | undefined;
      const s = net.connect({ host: o.host, port: o.port });
      socket = s;
      registered = false;
      s.setNoDelay(true);
      const timer = setTimeout(() => s.destroy(new TimeoutError('connect', o.timeoutMs, o.host, o.port)), o.timeoutMs);
      s.once('connect', () => {
        clearTimeout(timer);
        everConnected = true;
        if (o.interactive) show(o.tr('chat.client.connected', { address }));
      });
      s.setEncoding('utf8');
      const handle = (items: Inbound[]) => {
        for (const item of items) {
          if (item.type === 'askNick') s.write(o.nick);
          else {
            if (!registered && item.text.includes(CONNECTED)) {
              registered = true;
              queueMicrotask(sendPending);
            }
            show(item.text);
          }
        }
      };
      s.on('data', (text: string) => {
        handle(parser.push(text));
        clearTimeout(idle);
        idle = setTimeout(() => handle(parser.flush()), 50);
      });
      s.on('error', (err) => {
        clearTimeout(timer);
        if (!s.readyState || !everConnected) reject(err);
      });
      s.on('close', () => {
        clearTimeout(timer);
        clearTimeout(idle);
        handle(parser.flush());
        resolve(everConnected ? 'closed' : 'failed');
      });
    });

  let attempt = 0;
  for (;;) {
    let result: 'closed' | 'failed';
    try {
      result = await connectOnce();
      attempt = 0;
    } catch (err) {
      if (!o.reconnect) {
        rl.close();
        throw err;
      }
      result = 'failed';
    }
    if (quitting || (inputEnded && !o.reconnect)) break;
    if (result === 'closed') show(o.tr(o.reconnect ? 'chat.client.dropped' : 'chat.client.closed', { address }));
    if (!o.reconnect) {
      rl.close();
      return 1;
    }
    // Exponential back-off with jitter, capped at 30 s.
    const secs = Math.min(30, 2 ** attempt++) * (0.8 + Math.random() * 0.4);
    show(o.tr('chat.client.retry', { secs: secs.toFixed(1) }));
    await new Promise((r) => setTimeout(r, secs * 1000));
  }
  rl.close();
  return 0;
}
