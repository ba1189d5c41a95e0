/**
 * The bench's own WebSocket client wire format (RFC 6455), cheap enough for a load generator: the
 * opening handshake (request and response check), masked client frames, and an incremental decoder of
 * server frames that hands each message over as a range of the buffer it was read into (no copy when a
 * frame lies whole in one read). Pure: bytes in, bytes out, no sockets.
 *
 * Only what a bench client needs: no extensions (no permessage-deflate), no subprotocol, no UTF-8
 * validation (the payload check looks at every byte of a payload; the rest is the server's business).
 */
import { createHash, randomBytes, randomFillSync } from 'node:crypto';
import { headerLength, writeHeader } from '../codec/ws-frame.js';

export const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
export const OP_CONTINUATION = 0x0;
export const OP_TEXT = 0x1;
export const OP_BINARY = 0x2;
export const OP_CLOSE = 0x8;
export const OP_PING = 0x9;
export const OP_PONG = 0xa;
/** The largest message (one frame, or all the fragments of one) the decoder accepts. */
export const MAX_MESSAGE = 16 * 1024 * 1024;
/** The longest handshake response head accepted. */
const MAX_HEAD = 16 * 1024;
const MAX_CONTROL = 125;

// ---------------------------------------------------------------------------------------------------
// Opening handshake (RFC 6455 §4)

/** `Sec-WebSocket-Accept` for a key: base64(SHA-1(key + GUID)) (§1.3, §4.2.2). */
export function acceptFor(key: string): string {
  return createHash('sha1')
    .update(key + WS_GUID)
    .digest('base64');
}

/** A fresh `Sec-WebSocket-Key`: 16 random bytes, base64. */
export function newKey(): string {
  return randomBytes(16).toString('base64');
}

/** The client's upgrade request (an IPv6 host in brackets). */
export function handshakeRequest(host: string, port: number, path: string, key: string): string {
  const h = host.includes(':') ? `[${host}]` : host;
  return (
    `GET ${path} HTTP/1.1\r\nHost: ${h}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`
  );
}

/**
 * Checks a whole response head (status line and headers, without the blank line): null when it opens
 * the WebSocket, else why not (a status other than 101 gives the status line).
 */
export function checkHandshakeResponse(head: string, key: string): string | null {
  const lines = head.split('\r\n');
  const status = lines[0] ?? '';
  if (!/^HTTP\/1\.[01] 101(?: |$)/.test(status)) return status.length > 0 ? status : 'empty response';
  const headers = new Map<string, string>();
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers.set(name, headers.has(name) ? `${headers.get(name)}, ${value}` : value);
  }
  if (headers.get('upgrade')?.toLowerCase() !== 'websocket') return `${status}: no Upgrade: websocket`;
  const connection = (headers.get('connection') ?? '').toLowerCase().split(',');
  if (!connection.some((t) => t.trim() === 'upgrade')) return `${status}: no Connection: Upgrade`;
  if (headers.get('sec-websocket-accept') !== acceptFor(key)) return `${status}: wrong Sec-WebSocket-Accept`;
  if (headers.has('sec-websocket-extensions')) return `${status}: an extension that was not offered`;
  if (headers.has('sec-websocket-protocol')) return `${status}: a subprotocol that was not offered`;
  return null;
}

export type HandshakeStep =
  /** The head is not complete yet: feed more. */
  | { kind: 'more' }
  /** Refused (the reason starts with the status line) or malformed. */
  | { kind: 'fail'; reason: string }
  /** Open: frames start at `rest` in the buffer just fed (`rest` may equal its end). */
  | { kind: 'open'; rest: number };

/**
 * Reads the server's handshake response across reads. A status other than 101 fails as soon as the
 * status line is whole (the server may close right after it); the head ends at the first blank line and
 * whatever follows it in the same read is already WebSocket frames.
 */
export class HandshakeReader {
  #head = '';

  constructor(readonly key: string) {}

  push(buf: Buffer, start: number, end: number): HandshakeStep {
    const before = this.#head.length;
    // latin1: one character per byte, so string offsets are byte offsets.
    this.#head += buf.toString('latin1', start, end);
    const head = this.#head;
    const eol = head.indexOf('\r\n');
    if (eol !== -1 && !/^HTTP\/1\.[01] 101(?: |$)/.test(head.slice(0, eol))) {
      return { kind: 'fail', reason: head.slice(0, eol) };
    }
    const blank = head.indexOf('\r\n\r\n', Math.max(0, before - 3));
    if (blank === -1) {
      if (head.length > MAX_HEAD) return { kind: 'fail', reason: 'handshake response head too long' };
      return { kind: 'more' };
    }
    const why = checkHandshakeResponse(head.slice(0, blank), this.key);
    this.#head = '';
    if (why !== null) return { kind: 'fail', reason: why };
    return { kind: 'open', rest: start + (blank + 4 - before) };
  }
}

// ---------------------------------------------------------------------------------------------------
// Client frames (§5.2, §5.3: always masked)

/** Masking keys are drawn from a pool of random bytes, refilled 4 KiB at a time (one syscall per 1024 frames). */
const maskPool = Buffer.allocUnsafe(4096);
let maskAt = maskPool.length;

/** The length of a client frame carrying `payloadLength` bytes (header, masking key, payload). */
export function clientFrameLength(payloadLength: number): number {
  return headerLength(payloadLength) + 4 + payloadLength;
}

/**
 * Writes one final, masked client frame of `src[start, end)` at `dst[at]` (room for
 * {@link clientFrameLength} bytes needed) with a fresh random masking key; returns the offset after it.
 */
export function writeClientFrame(
  dst: Buffer,
  at: number,
  opcode: number,
  src: Uint8Array,
  start: number,
  end: number,
): number {
  const n = end - start;
  // The server's header, with the mask bit set (the key follows the length).
  let p = writeHeader(dst, at, n, opcode);
  dst[at + 1] = dst[at + 1]! | 0x80;
  if (maskAt + 4 > maskPool.length) {
    randomFillSync(maskPool);
    maskAt = 0;
  }
  const m0 = maskPool[maskAt]!;
  const m1 = maskPool[maskAt + 1]!;
  const m2 = maskPool[maskAt + 2]!;
  const m3 = maskPool[maskAt + 3]!;
  maskAt += 4;
  dst[p] = m0;
  dst[p + 1] = m1;
  dst[p + 2] = m2;
  dst[p + 3] = m3;
  p += 4;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    dst[p + i] = src[start + i]! ^ m0;
    dst[p + i + 1] = src[start + i + 1]! ^ m1;
    dst[p + i + 2] = src[start + i + 2]! ^ m2;
    dst[p + i + 3] = src[start + i + 3]! ^ m3;
  }
  for (; i < n; i++) dst[p + i] = src[start + i]! ^ maskPool[maskAt - 4 + (i & 3)]!;
  return p + n;
}

/** One masked client frame in a buffer of its own. */
export function clientFrame(opcode: number, payload: Uint8Array, start = 0, end = payload.length): Buffer {
  const out = Buffer.allocUnsafe(clientFrameLength(end - start));
  writeClientFrame(out, 0, opcode, payload, start, end);
  return out;
}

/** A text message as a client frame. */
export function clientTextFrame(text: string): Buffer {
  return clientFrame(OP_TEXT, Buffer.from(text, 'utf8'));
}

/**
 * Every `msgLen`-byte record of `src[0, end)` as its own text message, all the frames in one new
 * buffer (a sender's batch: one socket write).
 */
export function clientTextFrames(src: Uint8Array, end: number, msgLen: number): Buffer {
  const count = Math.ceil(end / msgLen);
  const out = Buffer.allocUnsafe(count * clientFrameLength(msgLen));
  let p = 0;
  for (let q = 0; q < end; q += msgLen) p = writeClientFrame(out, p, OP_TEXT, src, q, Math.min(end, q + msgLen));
  return p === out.length ? out : out.subarray(0, p);
}

/** A close frame with a status code (and a short reason). */
export function clientCloseFrame(code = 1000, reason = ''): Buffer {
  const r = Buffer.from(reason, 'utf8').subarray(0, MAX_CONTROL - 2);
  const body = Buffer.allocUnsafe(2 + r.length);
  body.writeUInt16BE(code, 0);
  r.copy(body, 2);
  return clientFrame(OP_CLOSE, body);
}

/** The answer to a ping: a pong with the same payload (§5.5.3). */
export function clientPongFrame(buf: Uint8Array, start: number, end: number): Buffer {
  return clientFrame(OP_PONG, buf, start, end);
}

// ---------------------------------------------------------------------------------------------------
// Server frames (§5.2: never masked)

/** What the decoder hands over. Ranges are valid during the call only (the buffer is reused after it). */
export interface WsFrameSink {
  /** One whole message (text or binary), `buf[start, end)`. */
  wsMessage(buf: Buffer, start: number, end: number): void;
  /** A ping: answer with a pong carrying `buf[start, end)`. */
  wsPing(buf: Buffer, start: number, end: number): void;
  /** The server closes (1005: no status code in the frame); nothing after it is decoded. */
  wsClose(code: number, reason: string): void;
}

const EMPTY = Buffer.alloc(0);
/** A pending buffer grown past this is let go once its frame is handled (a big history, once). */
const KEEP_PENDING = 64 * 1024;

/**
 * Decodes the frames of one connection from successive reads. A frame that lies whole in the read is
 * handed over in place; the bytes of a frame cut by the end of a read are copied into a per-connection
 * pending buffer (the read buffer may be shared and overwritten by the next read). Fragmented messages
 * are reassembled (a copy: they are rare). A protocol error stops the decoder: {@link push} returns it
 * then and on every later call.
 */
export class WsFrameDecoder {
  /** The start of a frame cut by a read boundary. */
  #pending: Buffer = EMPTY;
  #pendingLen = 0;
  /** A fragmented message being reassembled (opcode -1: none). */
  #fragments: Buffer = EMPTY;
  #fragmentsLen = 0;
  #fragmentOpcode = -1;
  /** Of the last header looked at: its length (or while it is cut: the bytes it needs at least). */
  #headerLen = 0;
  #error: string | null = null;
  /** A close frame arrived: what follows is ignored. */
  closed = false;

  /** Decodes `buf[start, end)`; returns null, or the protocol error that stopped the decoder. */
  push(buf: Buffer, start: number, end: number, sink: WsFrameSink): string | null {
    if (this.#error !== null || this.closed) return this.#error;
    let p = start;
    if (this.#pendingLen > 0) {
      p = this.#fillPending(buf, p, end, sink);
      if (p < 0) return this.#error;
      if (this.#pendingLen > 0) return null;
    }
    while (p < end && !this.closed) {
      const total = this.#header(buf, p, end - p);
      if (total < 0) return this.#error;
      if (total === 0 || end - p < total) {
        this.#append(buf, p, end, total === 0 ? this.#headerLen : total);
        return null;
      }
      if (!this.#dispatch(buf, p, p + this.#headerLen, p + total, sink)) return this.#error;
      p += total;
    }
    return null;
  }

  /**
   * Completes the pending frame from `buf[p, end)`; handles it when whole. Returns where the rest of the
   * read starts, or -1 on a protocol error.
   */
  #fillPending(buf: Buffer, p: number, end: number, sink: WsFrameSink): number {
    for (;;) {
      const total = this.#header(this.#pending, 0, this.#pendingLen);
      if (total < 0) return -1;
      const want = total === 0 ? this.#headerLen : total;
      const take = Math.min(want - this.#pendingLen, end - p);
      this.#append(buf, p, p + take, want);
      p += take;
      if (this.#pendingLen < want) return p;
      if (total === 0) continue; // the header is whole now: read the payload length
      const frame = this.#pending;
      this.#pendingLen = 0;
      const ok = this.#dispatch(frame, 0, this.#headerLen, total, sink);
      if (this.#pending.length > KEEP_PENDING) this.#pending = EMPTY;
      return ok ? p : -1;
    }
  }

  /** Copies `buf[from, to)` to the pending bytes (room made for `want` bytes in all). */
  #append(buf: Buffer, from: number, to: number, want: number): void {
    const need = this.#pendingLen + (to - from);
    if (need > this.#pending.length) {
      const grown = Buffer.allocUnsafe(Math.max(want, need, 1024));
      this.#pending.copy(grown, 0, 0, this.#pendingLen);
      this.#pending = grown;
    }
    buf.copy(this.#pending, this.#pendingLen, from, to);
    this.#pendingLen = need;
  }

  /**
   * Checks the header at `buf[p]` (`avail` bytes there): the whole frame's length (setting the header's
   * length), 0 when the header is cut (the header length then says how many bytes it needs at least),
   * -1 on a protocol error.
   */
  #header(buf: Buffer, p: number, avail: number): number {
    if (avail < 2) {
      this.#headerLen = 2;
      return 0;
    }
    const b0 = buf[p]!;
    const b1 = buf[p + 1]!;
    if ((b1 & 0x80) !== 0) return this.#fail('masked frame from the server');
    if ((b0 & 0x70) !== 0) return this.#fail('reserved bits set (no extension was negotiated)');
    const opcode = b0 & 0x0f;
    let len = b1 & 0x7f;
    if (opcode >= OP_CLOSE) {
      if (opcode > OP_PONG) return this.#fail(`unknown opcode ${opcode}`);
      if ((b0 & 0x80) === 0) return this.#fail('fragmented control frame');
      if (len > MAX_CONTROL) return this.#fail('control frame longer than 125 bytes');
    } else if (opcode > OP_BINARY) return this.#fail(`unknown opcode ${opcode}`);
    let h = 2;
    if (len === 126) {
      h = 4;
      if (avail < 4) {
        this.#headerLen = 4;
        return 0;
      }
      len = buf.readUInt16BE(p + 2);
    } else if (len === 127) {
      h = 10;
      if (avail < 10) {
        this.#headerLen = 10;
        return 0;
      }
      if (buf.readUInt32BE(p + 2) !== 0) return this.#fail('frame larger than 16 MiB');
      len = buf.readUInt32BE(p + 6);
    }
    if (len > MAX_MESSAGE) return this.#fail('frame larger than 16 MiB');
    this.#headerLen = h;
    return h + len;
  }

  /** Handles one whole frame: header at `buf[p]`, payload `buf[s, e)`. False on a protocol error. */
  #dispatch(buf: Buffer, p: number, s: number, e: number, sink: WsFrameSink): boolean {
    const b0 = buf[p]!;
    const opcode = b0 & 0x0f;
    const fin = (b0 & 0x80) !== 0;
    switch (opcode) {
      case OP_TEXT:
      case OP_BINARY:
        if (this.#fragmentOpcode !== -1) return this.#reject('new message inside a fragmented one');
        if (fin) {
          sink.wsMessage(buf, s, e);
          return true;
        }
        this.#fragmentOpcode = opcode;
        this.#fragmentsLen = 0;
        this.#addFragment(buf, s, e);
        return true;
      case OP_CONTINUATION: {
        if (this.#fragmentOpcode === -1) return this.#reject('continuation frame without a message');
        if (this.#fragmentsLen + (e - s) > MAX_MESSAGE) return this.#reject('message larger than 16 MiB');
        this.#addFragment(buf, s, e);
        if (!fin) return true;
        const whole = this.#fragments;
        const n = this.#fragmentsLen;
        this.#fragmentOpcode = -1;
        this.#fragmentsLen = 0;
        this.#fragments = EMPTY;
        sink.wsMessage(whole, 0, n);
        return true;
      }
      case OP_PING:
        sink.wsPing(buf, s, e);
        return true;
      case OP_PONG:
        return true;
      default: {
        // OP_CLOSE (the header check let no other opcode through).
        if (e - s === 1) return this.#reject('close frame with a 1-byte body');
        const code = e - s >= 2 ? buf.readUInt16BE(s) : 1005;
        this.closed = true;
        sink.wsClose(code, buf.toString('utf8', Math.min(e, s + 2), e));
        return true;
      }
    }
  }

  #addFragment(buf: Buffer, s: number, e: number): void {
    const need = this.#fragmentsLen + (e - s);
    if (need > this.#fragments.length) {
      const grown = Buffer.allocUnsafe(Math.max(need, this.#fragments.length * 2, 1024));
      this.#fragments.copy(grown, 0, 0, this.#fragmentsLen);
      this.#fragments = grown;
    }
    buf.copy(this.#fragments, this.#fragmentsLen, s, e);
    this.#fragmentsLen = need;
  }

  /** A protocol error found in a header. */
  #fail(reason: string): -1 {
    this.#error = `websocket protocol error: ${reason}`;
    return -1;
  }

  /** A protocol error found in a whole frame. */
  #reject(reason: string): false {
    this.#fail(reason);
    return false;
  }
}
