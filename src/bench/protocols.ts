/**
 * How the chat bench speaks to a server: one small adapter per protocol. An adapter knows the handshake
 * (from connect to "in the room"), the bytes around a payload when sending, and what to answer to
 * non-payload lines (PING). Finding payloads in received bytes is the same for every protocol (the
 * payload ends the line, see payload.ts), so adapters never touch the hot path.
 */
import { UsageError } from '../errors.js';

/** What a handshake step asks of the client. */
export interface HandshakeIo {
  send(text: string): void;
  /** The client is registered and in the room. */
  ready(): void;
  /** The server refused (e.g. nickname taken, banned); the text says why. */
  fail(reason: string): void;
  /** Register only, stay out of any room (`--no-join`: idle connections without a join storm). */
  readonly noJoin: boolean;
}

export interface ChatProtocol {
  readonly name: 'line' | 'irc';
  /** Called once the TCP connection is up. */
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
  /** Bytes before / after the payload of one sent message. */
  readonly sendPrefix: Buffer;
  readonly sendSuffix: Buffer;
}

/** The tutorial's chat protocol (tomada's line door). Wire strings are fixed: never translated. */
export const lineProtocol: ChatProtocol = {
  name: 'line',
  connected() {
    /* the server speaks first: APELIDO */
  },
  rawBeforeLines(text, nick, io) {
    if (!text.includes('APELIDO')) return false;
    io.send(`${nick}\n`);
    return true;
  },
  line(text, _nick, io, registered) {
    if (registered || !text.includes('Conectado ao servidor!')) return;
    // tomada's line door puts every client in its room; `/part` leaves it (servers without rooms: do
    // not ask for --no-join, the text would be a message).
    if (io.noJoin) io.send('/part\n');
    io.ready();
  },
  wantsAfterRegistration: () => false,
  sendPrefix: Buffer.alloc(0),
  sendSuffix: Buffer.from('\n'),
};

export const BENCH_CHANNEL = '#bench';

/** IRC (RFC 2812 registration, one channel). */
export const ircProtocol: ChatProtocol = {
  name: 'irc',
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
    } else if (code === '001') io.send(`JOIN ${BENCH_CHANNEL}\r\n`);
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

export type ProtoName = 'line' | 'irc' | 'ws';

/** The adapter for a `--proto` value; `ws` waits for the web door's JSON protocol. */
export function chatProtocol(name: ProtoName): ChatProtocol {
  switch (name) {
    case 'line':
      return lineProtocol;
    case 'irc':
      return ircProtocol;
    case 'ws':
      throw new UsageError('bench.usage.wsNotYet');
  }
}
