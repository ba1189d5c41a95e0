import { isUtf8 } from 'node:buffer';
import { MAX_BODY_BYTES, MAX_TAG_BYTES } from '../../codec/irc/message.js';
import type { DoorContext, DoorCounters } from '../door.js';
import { frameLines, OPCODE_BINARY, OPCODE_TEXT } from '../../codec/ws-frame.js';
import { resetSocket } from '../../transports/connection.js';
import { Outbox, type OutboxOwner } from '../../transports/outbox.js';
import type { WsConnection, WsOwner } from '../../transports/websocket.js';
import { attachIrcSession, type IrcSessionHandle, type IrcTransport } from '../irc/index.js';

/**
 * IRC over WebSocket, as IRCv3's WebSocket transport describes it
 * (https://ircv3.net/specs/extensions/websocket): one IRC line per WebSocket message, without its line
 * ending; `text.ircv3.net` carries text frames (UTF-8 only), `binary.ircv3.net` binary frames. The IRC
 * session is the IRC door's own; only the transport differs.
 */
export const IRC_SUBPROTOCOLS = ['text.ircv3.net', 'binary.ircv3.net'] as const;
export type IrcSubprotocol = (typeof IRC_SUBPROTOCOLS)[number];

/** The first IRC subprotocol in the client's list (its order is its preference), or undefined. */
export function pickIrcSubprotocol(offered: Iterable<string>): IrcSubprotocol | undefined {
  for (const p of offered) {
    if ((IRC_SUBPROTOCOLS as readonly string[]).includes(p)) return p as IrcSubprotocol;
  }
  return undefined;
}

/** `Sec-WebSocket-Protocol: a, b` → `['a', 'b']`. */
export function offeredSubprotocols(header: string | string[] | undefined): string[] {
  if (header === undefined) return [];
  const v = Array.isArray(header) ? header.join(',') : header;
  return v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * IRC lines as WebSocket frames, one message per line. The IRC session serialises a message once and
 * hands the same buffer to every recipient, so its frames are cached by that buffer (weakly: they go
 * when the lines do), one cache per frame type.
 */
const framesOf = [new WeakMap<Buffer, Buffer>(), new WeakMap<Buffer, Buffer>()] as const;

function framed(lines: Buffer, binary: boolean): Buffer {
  const cache = framesOf[binary ? 1 : 0];
  let frames = cache.get(lines);
  if (!frames) {
    frames = frameLines(lines, binary ? OPCODE_BINARY : OPCODE_TEXT);
    cache.set(lines, frames);
  }
  return frames;
}

/** The non-empty lines of one WebSocket message (normally one), each with whether it is valid UTF-8. */
function linesOf(data: Buffer): Array<{ line: string; utf8: boolean }> {
  const utf8 = isUtf8(data);
  if (utf8) {
    return data
      .toString('utf8')
      .split(/\r\n|\r|\n/)
      .filter((line) => line !== '')
      .map((line) => ({ line, utf8 }));
  }
  const out: Array<{ line: string; utf8: boolean }> = [];
  let start = 0;
  for (let i = 0; i <= data.length; i++) {
    if (i < data.length && data[i] !== 0x0a && data[i] !== 0x0d) continue;
    const piece = data.subarray(start, i);
    if (piece.length > 0) out.push({ line: piece.toString('utf8'), utf8: isUtf8(piece) });
    start = i + 1;
  }
  return out;
}

export type AttachIrc = (ctx: DoorContext, transport: IrcTransport) => IrcSessionHandle;

/**
 * Transport counters (connections, bytes out, slow consumers) go under `irc-ws`; the IRC session counts
 * its lines, registrations and floods under `irc` as for any IRC client.
 */
const COUNTERS = 'irc-ws';

// As on the IRC door: 512 bytes of body, 8191 of tags and the space between; the session checks each part.
const MAX_LINE = MAX_BODY_BYTES + MAX_TAG_BYTES + 1;

/**
 * An IRC session's transport over an open WebSocket, and the WebSocket's and the outbox's callback
 * object (methods, not closures per connection).
 */
class WsIrcTransport implements IrcTransport, OutboxOwner, WsOwner {
  readonly kind: string;
  readonly outbox: Outbox;
  readonly #binary: boolean;
  readonly #counters: DoorCounters;
  #handle: IrcSessionHandle | undefined;
  #closed = false;

  constructor(
    ctx: DoorContext,
    readonly ws: WsConnection,
    readonly remoteAddress: string,
    readonly secure: boolean,
    subprotocol: IrcSubprotocol | undefined,
  ) {
    this.kind = secure ? 'wss' : 'ws';
    this.#binary = subprotocol === 'binary.ircv3.net';
    this.#counters = ctx.stats.door(COUNTERS);
    this.#counters.connections++;
    this.outbox = new Outbox(ws, ctx.outboxes, ctx.config.limits.maxSendQueue, this, this.#counters);
  }

  start(handle: IrcSessionHandle): void {
    this.#handle = handle;
    this.ws.owner = this;
  }

  writeLines(data: Buffer): void {
    const frames = framed(data, this.#binary);
    if (frames.length > 0) this.outbox.push(frames);
  }

  get queued(): number {
    return this.outbox.queued;
  }

  close(condemned?: boolean): void {
    this.outbox.flush();
    if (condemned) this.ws.condemn(1000);
    else this.ws.close(1000);
  }

  outboxOverflowed(): void {
    this.#counters.slowConsumers++;
    this.#end('Send queue exceeded');
    resetSocket(this.ws.socket);
  }

  wsMessage(data: Buffer): void {
    const handle = this.#handle;
    if (this.#closed || !handle) return;
    // Text frames are UTF-8-checked by the frame reader (close 1007, RFC 6455 §8.1). A binary frame may
    // carry any bytes (IRCv3 WebSocket): a line that is not UTF-8 goes to the session marked so, which
    // refuses it as on TCP (FAIL … INVALID_UTF8), and the connection stays.
    if (data.length > MAX_LINE) {
      handle.lineTooLong();
      return;
    }
    for (const { line, utf8 } of linesOf(data)) {
      handle.receiveLine(line, utf8);
      if (this.#closed) return;
    }
  }

  wsClosed(): void {
    this.#end('Connection closed');
  }

  #end(reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#counters.connections--;
    this.#handle?.closed(reason);
  }
}

/**
 * Runs an IRC session over an open WebSocket. `subprotocol` undefined (a client that offered none, on
 * the `--irc-ws` listener) is treated as text. `attach` is replaceable for tests of the framing alone.
 */
export function attachIrcWebSocket(
  ctx: DoorContext,
  ws: WsConnection,
  remoteAddress: string,
  secure: boolean,
  subprotocol: IrcSubprotocol | undefined,
  attach: AttachIrc = attachIrcSession,
): IrcSessionHandle {
  const transport = new WsIrcTransport(ctx, ws, remoteAddress, secure, subprotocol);
  const handle = attach(ctx, transport);
  transport.start(handle);
  return handle;
}
