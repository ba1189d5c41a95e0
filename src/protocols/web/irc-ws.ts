import { isUtf8 } from 'node:buffer';
import WebSocket from 'ws';
import { MAX_BODY_BYTES, MAX_TAG_BYTES } from '../../codec/irc/message.js';
import type { DoorContext } from '../door.js';
import { frameLines, OPCODE_BINARY, OPCODE_TEXT } from '../../codec/ws-frame.js';
import type { Duplex } from 'node:stream';
import { resetSocket } from '../../transports/connection.js';
import { Outbox } from '../../transports/outbox.js';
import { condemnWebSocket } from '../../transports/websocket.js';
import { attachIrcSession, type IrcSessionHandle, type IrcTransport } from '../irc/index.js';
import { wsOutboxTarget } from './ws-target.js';

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

/**
 * Runs an IRC session over an open WebSocket. `subprotocol` undefined (a client that offered none, on
 * the `--irc-ws` listener) is treated as text. `attach` is replaceable for tests of the framing alone.
 */
export function attachIrcWebSocket(
  ctx: DoorContext,
  ws: WebSocket,
  socket: Duplex,
  remoteAddress: string,
  secure: boolean,
  subprotocol: IrcSubprotocol | undefined,
  attach: AttachIrc = attachIrcSession,
): IrcSessionHandle {
  const binary = subprotocol === 'binary.ircv3.net';
  const counters = ctx.stats.door(COUNTERS);
  counters.connections++;
  let closed = false;
  const outbox = new Outbox(
    wsOutboxTarget(ws, socket),
    ctx.outboxes,
    ctx.config.limits.maxSendQueue,
    {
      outboxOverflowed() {
        counters.slowConsumers++;
        end('Send queue exceeded');
        resetSocket(socket);
      },
    },
    counters,
  );
  const transport: IrcTransport = {
    remoteAddress,
    secure,
    kind: secure ? 'wss' : 'ws',
    writeLines: (data) => {
      const frames = framed(data, binary);
      if (frames.length > 0) outbox.push(frames);
    },
    get queued() {
      return outbox.queued;
    },
    close: (condemned) => {
      outbox.flush();
      ws.close(1000);
      if (condemned) condemnWebSocket(ws, socket);
    },
  };
  const handle = attach(ctx, transport);
  // As on the IRC door: 512 bytes of body, 8191 of tags and the space between; the session checks each part.
  const maxLine = MAX_BODY_BYTES + MAX_TAG_BYTES + 1;
  const end = (reason: string) => {
    if (closed) return;
    closed = true;
    counters.connections--;
    handle.closed(reason);
  };
  ws.on('message', (data: Buffer) => {
    if (closed) return;
    // Text frames are UTF-8-checked by ws itself (close 1007, RFC 6455 §8.1). A binary frame may carry
    // any bytes (IRCv3 WebSocket): a line that is not UTF-8 goes to the session marked so, which refuses
    // it as on TCP (FAIL … INVALID_UTF8), and the connection stays.
    if (data.length > maxLine) {
      handle.lineTooLong();
      return;
    }
    for (const { line, utf8 } of linesOf(data)) {
      handle.receiveLine(line, utf8);
      if (closed) return;
    }
  });
  ws.on('close', () => end('Connection closed'));
  return handle;
}
