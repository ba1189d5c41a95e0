/**
 * How the chat bench speaks to a server: one small adapter per protocol. An adapter knows the handshake
 * (from connect to "in the room"), the bytes around a payload when sending, and what to answer to
 * non-payload lines (PING). Finding payloads in received bytes is the same for every protocol (the
 * payload ends the line, see payload.ts), so adapters never touch the hot path. Over TCP (`line`, `irc`)
 * a line is a line; over a WebSocket (`ws`) a line is the chat text inside one JSON message, which the
 * adapter finds with {@link ChatProtocol.messageText} (two byte searches, no JSON parsing).
 */
import { APELIDO, CONNECTED } from '../codec/tutorial.js';

/** What a handshake step asks of the client. */
export interface HandshakeIo {
  send(text: string): void;
  /** The client is registered and in the room. */
  ready(): void;
  /** The server refused (e.g. nickname taken, banned); the text says why. */
  fail(reason: string): void;
  /** Register only, stay out of any room (`--no-join`: idle connections without a join storm). */
  readonly noJoin: boolean;
  /** The room the bench talks in (`--room`): its own, never the server's default room and history. */
  readonly room: string;
}

export interface ChatProtocol {
  readonly name: ProtoName;
  /** `tcp`: a byte stream of lines. `ws`: a WebSocket to `/ws`, one protocol message per WebSocket message. */
  readonly transport: 'tcp' | 'ws';
  /**
   * The server sends each sender its own message back (the web door does, with its `ref`). Such copies
   * are no delivery: the report expects each message at every OTHER client.
   */
  readonly echoesOwn: boolean;
  /** Called once the connection is up (TCP connected, WebSocket open). */
  connected(nick: string, io: HandshakeIo): void;
  /**
   * Raw bytes before the client saw its first whole line (the line door's `APELIDO` prompt has no line
   * ending). Returns true when the bytes were consumed.
   */
  rawBeforeLines?(text: string, nick: string, io: HandshakeIo): boolean;
  /** A whole line that is not a bench payload, while registering or after. */
  line(text: string, nick: string, io: HandshakeIo, registered: boolean): void;
  /**
   * Whether a registered client must see this non-payload line (`buf[start]` is its first byte). The
   * hot path asks this before building a string: join notices and the like cost no allocation.
   */
  wantsAfterRegistration(buf: Buffer, start: number, end: number): boolean;
  /**
   * `ws` only: where the chat text of a received WebSocket message `buf[start, end)` (by default the
   * whole buffer) starts, as an index into `buf` (the text ends at the next `"`), or -1 when the message
   * is not a chat message (it then goes to {@link line} while registering).
   */
  messageText?(buf: Buffer, start?: number, end?: number): number;
  /** Bytes before / after the payload of one sent message (`ws`: one WebSocket message each). */
  readonly sendPrefix: Buffer;
  readonly sendSuffix: Buffer;
}

/** The tutorial's chat protocol (tomada's line door). Wire strings are fixed: never translated. */
export const lineProtocol: ChatProtocol = {
  name: 'line',
  transport: 'tcp',
  echoesOwn: false,
  connected() {
    /* the server speaks first: APELIDO */
  },
  rawBeforeLines(text, nick, io) {
    if (!text.includes(APELIDO)) return false;
    io.send(`${nick}\n`);
    return true;
  },
  line(text, _nick, io, registered) {
    if (registered) return;
    if (!text.includes(CONNECTED)) {
      // "* You are in #bench (…)" / "! You are already in #bench.": in the room, its replay is behind us.
      if (io.room !== '' && /^[*!] /.test(text) && text.includes(` ${io.room}`)) io.ready();
      return;
    }
    // tomada's line door puts every client in its default room: `/join` moves it to the bench's own,
    // `/part` leaves it (servers without rooms, like the tutorial's: `--room ''` and no --no-join).
    if (io.noJoin) {
      io.send('/part\n');
      io.ready();
    } else if (io.room !== '') io.send(`/join ${io.room}\n`);
    else io.ready();
  },
  wantsAfterRegistration: () => false,
  sendPrefix: Buffer.alloc(0),
  sendSuffix: Buffer.from('\n'),
};

export const BENCH_CHANNEL = '#bench';

/** IRC (RFC 2812 registration, one channel). */
export const ircProtocol: ChatProtocol = {
  name: 'irc',
  transport: 'tcp',
  echoesOwn: false,
  connected(nick, io) {
    io.send(`NICK ${nick}\r\nUSER u 0 * :tomada bench\r\n`);
  },
  line(text, nick, io, registered) {
    if (text.startsWith('PING')) {
      io.send(`PONG${text.slice(4)}\r\n`);
      return;
    }
    if (registered) return;
    // ":server 001 nick :Welcome" → join; ":server 366 nick #bench :End of NAMES" → in the room.
    const m = /^(?::\S+ )?(\d{3}|ERROR)\b ?(.*)$/.exec(text);
    if (!m) return;
    const code = m[1]!;
    if (io.noJoin) {
      // Registered once the welcome burst ends (end of MOTD, or no MOTD).
      if (code === '376' || code === '422') io.ready();
    } else if (code === '001') io.send(`JOIN ${io.room}\r\n`);
    else if (code === '366') io.ready();
    else if (code === 'ERROR') io.fail(text);
    else if (code === '433' || code === '432' || code === '465' || code === '471' || code === '474') io.fail(text);
  },
  // Only PING needs an answer once registered (no string is built for anything else).
  wantsAfterRegistration: (buf, start, end) =>
    end - start >= 4 &&
    buf[start] === 0x50 &&
    buf[start + 1] === 0x49 &&
    buf[start + 2] === 0x4e &&
    buf[start + 3] === 0x47,
  sendPrefix: Buffer.from(`PRIVMSG ${BENCH_CHANNEL} :`),
  sendSuffix: Buffer.from('\r\n'),
};

/** Any JSON protocol message of type `message` (the key cannot occur inside a JSON string: quotes are escaped). */
const WS_TYPE_MESSAGE = Buffer.from('"type":"message"');
const QUOTE = 0x22;
/** How tomada writes it: first (checked byte by byte, cheaper than a search). */
const WS_MESSAGE_START = Buffer.from('{"type":"message"');
const WS_TEXT = Buffer.from('"text":"');
const WS_TEXT_LAST = WS_TEXT.length - 1;
/** Horspool's skip table for {@link WS_TEXT}: how far the search may jump on seeing a byte. */
const WS_TEXT_SKIP = new Uint8Array(256).fill(WS_TEXT.length);
for (let i = 0; i < WS_TEXT_LAST; i++) WS_TEXT_SKIP[WS_TEXT[i]!] = WS_TEXT_LAST - i;

/**
 * The first `"text":"` in `buf[from, end)`, or -1: a Boyer-Moore-Horspool search in JavaScript, a few
 * times cheaper than `Buffer.indexOf` for a key about a hundred bytes into a message (a native call and
 * a searcher set up per call), and it stops at `end`.
 */
function indexOfText(buf: Buffer, from: number, end: number): number {
  for (let i = from + WS_TEXT_LAST; i < end; i += WS_TEXT_SKIP[buf[i]!]!) {
    if (buf[i] !== QUOTE) continue;
    let k = 1;
    while (k <= WS_TEXT_LAST && buf[i - k] === WS_TEXT[WS_TEXT_LAST - k]) k++;
    if (k > WS_TEXT_LAST) return i - WS_TEXT_LAST;
  }
  return -1;
}

/**
 * tomada's web door: the JSON protocol over a WebSocket on `/ws` (`hello` → `welcome`, `join` →
 * `joined`, `message` → everyone's `message`). Received chat messages look like
 * `{"type":"message","time":…,"message":{"id":"7",…,"text":"<payload>",…}}`: the payload is the text
 * between `"text":"` and the next `"` (payloads are plain ASCII, never escaped in JSON).
 */
export const wsProtocol: ChatProtocol = {
  name: 'ws',
  transport: 'ws',
  echoesOwn: true,
  connected(nick, io) {
    io.send(JSON.stringify({ type: 'hello', nick }));
  },
  line(text, _nick, io, registered) {
    if (registered) return;
    let m: { type?: string; code?: string; text?: string; reason?: string };
    try {
      m = JSON.parse(text) as typeof m;
    } catch {
      return;
    }
    if (m.type === 'welcome') {
      if (io.noJoin) io.ready();
      else io.send(JSON.stringify({ type: 'join', room: io.room }));
    } else if (m.type === 'joined') io.ready();
    else if (m.type === 'error' || m.type === 'bye') {
      io.fail(`${m.code ?? m.type}: ${m.text ?? m.reason ?? ''}`);
    }
  },
  // The server pings with WebSocket pings (the client answers them, see ws-wire.ts): nothing to answer here.
  wantsAfterRegistration: () => false,
  messageText(buf, start = 0, end = buf.length) {
    const n = WS_MESSAGE_START.length;
    let first = end - start >= n;
    for (let i = 0; first && i < n; i++) if (buf[start + i] !== WS_MESSAGE_START[i]) first = false;
    // Any other key order is valid JSON too: search for the type then, within the message only (the
    // buffer may hold much more, e.g. the rest of a read).
    if (!first && buf.subarray(start, end).indexOf(WS_TYPE_MESSAGE) === -1) return -1;
    const at = indexOfText(buf, first ? start + n : start, end);
    return at === -1 ? -1 : at + WS_TEXT.length;
  },
  sendPrefix: Buffer.from(`{"type":"message","target":"${BENCH_CHANNEL}","text":"`),
  sendSuffix: Buffer.from('"}'),
};

export type ProtoName = 'line' | 'irc' | 'ws';

/** The adapter for a `--proto` value, talking in `room`. */
export function chatProtocol(name: ProtoName, room = BENCH_CHANNEL): ChatProtocol {
  if (room === BENCH_CHANNEL) return baseProtocol(name);
  const base = baseProtocol(name);
  const sendPrefix =
    name === 'irc'
      ? Buffer.from(`PRIVMSG ${room} :`)
      : name === 'ws'
        ? Buffer.from(`{"type":"message","target":${JSON.stringify(room)},"text":"`)
        : base.sendPrefix;
  return { ...base, sendPrefix };
}

function baseProtocol(name: ProtoName): ChatProtocol {
  switch (name) {
    case 'line':
      return lineProtocol;
    case 'irc':
      return ircProtocol;
    case 'ws':
      return wsProtocol;
  }
}
