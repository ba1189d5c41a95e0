import net from 'node:net';
import readline from 'node:readline';
import { plainText } from '../core/names.js';
import { TimeoutError } from '../errors.js';
import { LANGS, t, type Lang, type Translate } from '../i18n/index.js';
import { endRow } from './width.js';
import { CatchUp, STAMPED } from './catch-up.js';

// The tutorial's handshake word and greeting (wire strings, never translated).
import { APELIDO, CONNECTED } from '../codec/tutorial.js';

/** `terminated`: the line came with its LF (tomada's doors do so; the tutorial's Python server never). */
export type Inbound = { type: 'askNick' } | { type: 'line'; text: string; terminated: boolean };

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
      out.push(line === APELIDO ? { type: 'askNick' } : { type: 'line', text: line, terminated: true });
    }
    if (this.#rest === APELIDO) {
      this.#rest = '';
      out.push({ type: 'askNick' });
    } else if (this.#rest.endsWith(APELIDO)) {
      out.push({ type: 'line', text: this.#rest.slice(0, -APELIDO.length), terminated: false }, { type: 'askNick' });
      this.#rest = '';
    }
    return out;
  }

  /** What is left without a line ending (shown after a pause). */
  flush(): Inbound[] {
    const rest = this.#rest;
    this.#rest = '';
    return rest === '' ? [] : [{ type: 'line', text: rest, terminated: false }];
  }
}

const COLORS = [31, 32, 33, 34, 35, 36, 91, 92, 93, 94, 95, 96];

/** A stable colour per nickname. */
export function nickColor(nick: string): number {
  let h = 0;
  for (const ch of nick) h = (h * 31 + ch.codePointAt(0)!) >>> 0;
  return COLORS[h % COLORS.length]!;
}

/**
 * The line door's greeting after joining (the room's topic, who is there) in every language but `lang`:
 * the client hides these until the server has switched to its language, which then says them again.
 */
export function foreignGreeting(lang: Lang): RegExp[] {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return LANGS.filter((l) => l !== lang).flatMap((l) =>
    ['chat.joined', 'chat.topic'].map(
      (key) => new RegExp('^' + escape(t(l, key)).replace(/\\\{\w+\\\}/g, '.*?') + '$', 's'),
    ),
  );
}

/** Seconds before reconnect attempt `n` (0, 1, …): 1, 2, 4 … 30, ±20 % so clients do not come back in step. */
export function backoffSecs(n: number, random = Math.random()): number {
  return Math.min(30, 2 ** n) * (0.8 + random * 0.4);
}

/**
 * How many times a nickname refused on the way back in is tried again at {@link heldRetrySecs}'s short
 * pace (about 30 s in all, well past the lease that frees a dead node's names), before the usual back-off.
 */
const HELD_TRIES = 15;

/** Seconds before trying again a nickname refused on the way back in: 1, then 2 (±20 %). */
export function heldRetrySecs(n: number, random = Math.random()): number {
  return backoffSecs(Math.min(n, 1), random);
}

export { unseen } from './catch-up.js';

export interface ChatClientOptions {
  host: string;
  port: number;
  nick: string;
  /** The name came from `--nick` or there is no terminal: a refused name ends the client (exit 1). */
  nickFixed?: boolean;
  reconnect: boolean;
  timeoutMs: number;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Where the one line of a failure goes (standard error). */
  errOutput?: NodeJS.WritableStream;
  tr: Translate;
  /** The person's language: a tomada server is asked for its texts in it. */
  lang?: Lang;
  /** Time stamps, colours, the room in the prompt (a terminal); plain lines otherwise (scripts). */
  interactive: boolean;
  color: boolean;
}

/**
 * The tutorial's "Cliente de Chat", made right: answers `APELIDO` with the nickname (no line ending, as
 * the tutorial's client does), sends each typed line as `<nick>: <text>`, prints what arrives above the
 * line being typed, and reconnects with back-off when asked, back to the room the person was in, showing
 * only what they missed. Resolves with the exit status.
 */
export async function runChatClient(o: ChatClientOptions): Promise<number> {
  const address = `${o.host}:${o.port}`;
  const out = o.output as NodeJS.WriteStream;
  const rl = readline.createInterface({
    input: o.input,
    output: o.interactive ? o.output : undefined,
    terminal: o.interactive,
  });
  let nick = o.nick;
  const pending: string[] = [];
  let socket: net.Socket | undefined;
  let registered = false;
  let tomada = false;
  let inputEnded = false;
  let quitting = false;
  let status = 0;
  let everRegistered = false;
  const send = (line: string) => socket?.write(`${line}\n`);
  // Where the person is, and what they have seen there (see catch-up.ts).
  const catchUp = new CatchUp(send);
  let hideLangReply = false;
  const foreign = o.lang ? foreignGreeting(o.lang) : [];
  let attempt = 0;

  const setPrompt = () => {
    if (o.interactive) rl.setPrompt(`${catchUp.room ?? ''}> `);
  };
  setPrompt();
  /** Clears the prompt and what is typed (all its rows), leaving the cursor where it started. */
  const clearInput = () => {
    const { rows } = rl.getCursorPos();
    readline.moveCursor(o.output, 0, -rows);
    readline.cursorTo(o.output, 0);
    readline.clearScreenDown(o.output);
  };
  /** Draws the prompt and typed text again from column 0 of the current row. */
  const redrawInput = () => {
    // readline moves up by the rows it last drew before redrawing; we already cleared them and wrote
    // below, so it must start here (its `prevRows` is the only handle on that).
    (rl as unknown as { prevRows: number }).prevRows = 0;
    rl.prompt(true);
  };
  const clock = () => {
    const d = new Date();
    return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  };
  const format = (text: string) => {
    const stamped = STAMPED.exec(text);
    const time = stamped ? stamped[1]! : clock();
    const plain = stamped ? stamped[2]! : text;
    let body = plain;
    if (o.color) {
      body = plain.replace(
        /^(\S+)(:\s)/,
        (_m, who: string, sep: string) => `\x1b[${nickColor(who)}m${who}\x1b[0m${sep}`,
      );
      if (plain.startsWith('*') || plain.startsWith('!')) body = `\x1b[2m${plain}\x1b[0m`;
    }
    // One time stamp per line: a history line keeps its own.
    return o.color ? `\x1b[2m${time}\x1b[0m ${body}` : `${time} ${body}`;
  };
  const show = (raw: string) => {
    // Whatever server this is, no control character of a sender reaches the terminal (ESC[2K would
    // erase a line and forge another); IRC formatting is dropped, a terminal shows plain text.
    const text = plainText(raw);
    if (!o.interactive) {
      o.output.write(text + '\n');
      return;
    }
    // Print above the prompt: every row of what is being typed is cleared first (a long line wraps),
    // then the prompt and the typed text are drawn again below the message.
    clearInput();
    o.output.write(format(text) + '\n');
    redrawInput();
  };
  const fail = (line: string) => {
    (o.errOutput ?? o.output).write(`tomada: ${o.tr('cli.error.prefix')}: ${line}\n`);
    status = 1;
    quitting = true;
    socket?.destroy();
  };

  const sendPending = () => {
    if (!socket || !registered || (catchUp.resyncing && pending.length > 0)) return;
    while (pending.length > 0) {
      const line = pending.shift()!;
      socket.write(`${o.nick}: ${line}\n`);
      if (/^\/quit\b/i.test(line)) quitting = true;
      else if (/^\/join\s/i.test(line) && tomada) catchUp.askMark();
      else if (/^\/part\b/i.test(line)) {
        catchUp.room = undefined;
        setPrompt();
      } else if (!line.startsWith('/') || line.startsWith('//'))
        catchUp.remember(`${nick}: ${line.replace(/^\/\//, '/')}`, tomada && registered);
    }
    if (inputEnded && !quitting) {
      quitting = true;
      socket.end();
    }
  };

  rl.on('line', (line) => {
    if (o.interactive) {
      // readline has echoed the typed line and moved below it: take it away; the line comes back as
      // one's own message, with time and nick like everyone's.
      readline.moveCursor(o.output, 0, -(endRow(rl.getPrompt() + line, out.columns || 80) + 1));
      readline.cursorTo(o.output, 0);
      readline.clearScreenDown(o.output);
      if (line !== '' && registered && !line.startsWith('/')) o.output.write(format(`${nick}: ${line}`) + '\n');
      else if (line.startsWith('/')) o.output.write(`\x1b[2m${rl.getPrompt()}${line}\x1b[0m\n`);
    }
    if (line !== '') {
      pending.push(line);
      sendPending();
    }
    if (o.interactive) rl.prompt();
  });
  rl.on('close', () => {
    inputEnded = true;
    if (!socket || socket.destroyed) return;
    sendPending();
  });

  const askNickAgain = (reason: string | undefined, s: net.Socket) => {
    if (o.nickFixed || !o.interactive) {
      fail(o.tr('chat.client.nickRefused', { nick, reason: reason?.replace(/^[*!] /, '') ?? '?' }));
      return;
    }
    rl.question(o.tr('chat.client.askNick'), (answer) => {
      nick = answer.trim();
      if (!s.destroyed) s.write(nick);
    });
  };

  const onRegistered = () => {
    registered = true;
    everRegistered = true;
    attempt = 0;
    if (!tomada) return;
    if (o.lang) {
      send(`/lang ${o.lang}`);
      hideLangReply = true;
    }
    catchUp.registered();
  };

  const onLine = (text: string) => {
    const caught = catchUp.line(text);
    if (caught?.kind === 'mark') {
      if (caught.missed) {
        for (const line of caught.missed) show(line);
        queueMicrotask(sendPending);
      }
      if (o.interactive) {
        clearInput();
        setPrompt();
        redrawInput();
      }
    }
    if (caught) return;
    // The answer to the client's own `/lang` (the same catalogue: the same text).
    if (hideLangReply && text === o.tr('chat.lang.set')) {
      hideLangReply = false;
      return;
    }
    // The greeting in the server's language, sent before it read the `/lang`: it comes again in ours.
    if (hideLangReply && foreign.some((re) => re.test(text))) return;
    catchUp.remember(text, tomada && registered);
    show(text);
  };

  /**
   * `held`: the nickname was refused on the way back in. Most often the name is still held by this
   * person's own session on a node that died, which the network frees within seconds (its lease), so it
   * is tried again soon (see {@link heldRetrySecs}).
   */
  const connectOnce = () =>
    new Promise<'closed' | 'failed' | 'held'>((resolve, reject) => {
      const parser = new InboundParser();
      let idle: NodeJS.Timeout | undefined;
      let connected = false;
      let nickSent = false;
      let lastLine: string | undefined;
      let held = false;
      const s = net.connect({ host: o.host, port: o.port });
      socket = s;
      registered = false;
      tomada = false;
      catchUp.reset();
      s.setNoDelay(true);
      const timer = setTimeout(() => s.destroy(new TimeoutError('connect', o.timeoutMs, o.host, o.port)), o.timeoutMs);
      s.once('connect', () => {
        clearTimeout(timer);
        connected = true;
        if (o.interactive) show(o.tr('chat.client.connected', { address }));
      });
      s.setEncoding('utf8');
      const handle = (items: Inbound[]) => {
        for (const item of items) {
          if (quitting && status !== 0) return;
          if (item.type === 'askNick') {
            if (registered) continue;
            if (!nickSent) s.write(nick);
            else if (everRegistered && o.reconnect) {
              held = true;
              if (lastLine !== undefined && !(o.interactive && !o.nickFixed)) show(lastLine);
              s.destroy();
              return;
            } else askNickAgain(lastLine, s);
            nickSent = true;
          } else if (!registered) {
            if (item.text.includes(CONNECTED)) {
              tomada = item.terminated && item.text === CONNECTED;
              show(item.text);
              onRegistered();
              queueMicrotask(sendPending);
            } else {
              // Before registration the server speaks only to refuse a name: said once, above the question.
              lastLine = item.text;
              if (o.interactive && !o.nickFixed) show(item.text);
            }
          } else onLine(item.text);
        }
      };
      s.on('data', (text: string) => {
        handle(parser.push(text));
        clearTimeout(idle);
        idle = setTimeout(() => handle(parser.flush()), 50);
      });
      s.on('error', (err) => {
        clearTimeout(timer);
        if (!connected) reject(err);
      });
      s.on('close', () => {
        clearTimeout(timer);
        clearTimeout(idle);
        handle(parser.flush());
        if (!registered && !quitting && nickSent && lastLine && !everRegistered && status === 0)
          fail(o.tr('chat.client.nickRefused', { nick, reason: lastLine.replace(/^[*!] /, '') }));
        resolve(held ? 'held' : connected ? 'closed' : 'failed');
      });
    });

  const finish = (code: number) => {
    if (o.interactive) clearInput();
    rl.close();
    return code;
  };
  let heldTries = 0;
  for (;;) {
    let result: 'closed' | 'failed' | 'held';
    try {
      result = await connectOnce();
    } catch (err) {
      if (!o.reconnect) {
        finish(0);
        throw err;
      }
      // A refused attempt: the back-off keeps growing (only a registration resets it).
      result = 'failed';
    }
    if (status !== 0) return finish(status);
    if (quitting || (inputEnded && !o.reconnect)) break;
    if (result === 'closed') show(o.tr(o.reconnect ? 'chat.client.dropped' : 'chat.client.closed', { address }));
    if (!o.reconnect) return finish(1);
    if (result !== 'held') heldTries = 0;
    const secs = result === 'held' && heldTries < HELD_TRIES ? heldRetrySecs(heldTries++) : backoffSecs(attempt++);
    show(o.tr('chat.client.retry', { secs: secs.toFixed(1) }));
    await new Promise((r) => setTimeout(r, secs * 1000));
  }
  return finish(0);
}
