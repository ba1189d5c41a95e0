/**
 * WebSocket frames as a server writes them (RFC 6455 §5.2): unmasked, final, no extension bits. Pure:
 * bytes in, bytes out. The web doors frame each message once and share the frame among recipients, so
 * a recipient's batch of frames is one plain socket write (the `ws` package frames per `send()`, per
 * recipient). {@link WsFrameReader} reads the clients' frames.
 */
import { isUtf8 } from 'node:buffer';

export const OPCODE_CONTINUATION = 0x0;
export const OPCODE_TEXT = 0x1;
export const OPCODE_BINARY = 0x2;
export const OPCODE_CLOSE = 0x8;
export const OPCODE_PING = 0x9;
export const OPCODE_PONG = 0xa;

/** The largest payload a 16-bit extended length holds (RFC 6455 §5.2: 126 means "16 bits follow"). */
const MAX_16 = 0xffff;

/** The header length of a server frame carrying `payloadLength` bytes. */
export function headerLength(payloadLength: number): number {
  return payloadLength < 126 ? 2 : payloadLength <= MAX_16 ? 4 : 10;
}

/**
 * Writes a server frame header at `buf[at]` and returns where the payload goes. Payloads beyond
 * 2^53 bytes cannot occur (Buffer lengths are far smaller), so the 64-bit length's high word is 0.
 */
export function writeHeader(buf: Buffer, at: number, payloadLength: number, opcode: number): number {
  buf[at] = 0x80 | opcode; // FIN, no RSV bits
  if (payloadLength < 126) {
    buf[at + 1] = payloadLength;
    return at + 2;
  }
  if (payloadLength <= MAX_16) {
    buf[at + 1] = 126;
    buf.writeUInt16BE(payloadLength, at + 2);
    return at + 4;
  }
  buf[at + 1] = 127;
  buf.writeUInt32BE(Math.floor(payloadLength / 2 ** 32), at + 2);
  buf.writeUInt32BE(payloadLength >>> 0, at + 6);
  return at + 10;
}

/** One whole text frame carrying `text` as UTF-8 (written straight into the frame: one copy). */
export function frameText(text: string): Buffer {
  const n = Buffer.byteLength(text);
  const out = Buffer.allocUnsafe(headerLength(n) + n);
  out.write(text, writeHeader(out, 0, n, OPCODE_TEXT));
  return out;
}

/**
 * Every record of `data` (records end in LF; a CR before it is dropped) as its own frame, all in one
 * buffer: IRC lines become one WebSocket message each (IRCv3's WebSocket transport), with no line ending.
 * Empty records make no frame.
 */
export function frameLines(data: Uint8Array, opcode = OPCODE_TEXT): Buffer {
  const ranges: number[] = [];
  let size = 0;
  let start = 0;
  while (start < data.length) {
    let end = data.indexOf(10, start);
    if (end === -1) end = data.length;
    let stop = end;
    if (stop > start && data[stop - 1] === 13) stop--;
    if (stop > start) {
      ranges.push(start, stop);
      size += headerLength(stop - start) + stop - start;
    }
    start = end + 1;
  }
  const out = Buffer.allocUnsafe(size);
  let p = 0;
  for (let i = 0; i < ranges.length; i += 2) {
    const a = ranges[i]!;
    const b = ranges[i + 1]!;
    p = writeHeader(out, p, b - a, opcode);
    out.set(data.subarray(a, b), p);
    p += b - a;
  }
  return out;
}

/** One control frame (close, ping, pong) as a server sends it. */
export function frameControl(opcode: number, payload: Uint8Array = Buffer.alloc(0)): Buffer {
  const out = Buffer.allocUnsafe(2 + payload.length);
  writeHeader(out, 0, payload.length, opcode);
  out.set(payload, 2);
  return out;
}

/** A close frame with `code` and `reason` (cut to the 123 bytes a control frame leaves, at a character). */
export function frameClose(code: number, reason = ''): Buffer {
  let text = Buffer.from(reason);
  if (text.length > 123) {
    let end = 123;
    while (end > 0 && (text[end]! & 0xc0) === 0x80) end--; // not inside a UTF-8 sequence
    text = text.subarray(0, end);
  }
  const payload = Buffer.allocUnsafe(2 + text.length);
  payload.writeUInt16BE(code, 0);
  payload.set(text, 2);
  return frameControl(OPCODE_CLOSE, payload);
}

/** Close codes a peer may send (RFC 6455 §7.4.1 and the IANA registry; 1004–1006 and 1015 never on the wire). */
export function validCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

/** What a {@link WsFrameReader} finds in the bytes. */
export interface WsFrameSink {
  /** One whole message (fragments joined), unmasked; a text message is valid UTF-8. */
  wsMessage(data: Buffer, binary: boolean): void;
  wsPing(payload: Buffer): void;
  wsPong(payload: Buffer): void;
  /** The peer's close frame: its code (1005 when it gave none) and reason. Nothing after it is read. */
  wsCloseFrame(code: number, reason: string): void;
  /**
   * The peer broke the protocol: the connection must close with `code` (1002 protocol error, 1007 bad
   * UTF-8, 1009 too big). Nothing after it is read.
   */
  wsProtocolError(code: number, reason: string): void;
}

const EMPTY = Buffer.alloc(0);

/**
 * Client frames out of a byte stream (RFC 6455 §5), PURE. Hand-written, not `ws`'s Receiver: that is a
 * Writable stream with its own state and closures per connection, about 4 KiB for every idle web client
 * (bench scenario 3); this holds nothing between frames. Frames must be masked, carry no extension bits
 * (permessage-deflate is never negotiated) and known opcodes; control frames are final and at most 125
 * bytes; a message (all its fragments) is at most `maxPayload` bytes, refused (1009) from its header,
 * before its payload is buffered; text is checked as UTF-8 (1007). Bytes cut between reads are kept only
 * until their frame is whole (at most one frame: `maxPayload` plus a header).
 */
export class WsFrameReader {
  /** Bytes of an unfinished frame, and how many the frame needs in all (0: its header is not whole yet). */
  #parts: Buffer[] | undefined;
  #have = 0;
  #need = 0;
  /** The fragments of an unfinished message, and its opcode. */
  #fragments: Buffer[] | undefined;
  #fragmentBytes = 0;
  #fragmentOpcode = 0;
  #done = false;

  constructor(readonly maxPayload: number) {}

  /** Nothing more is read (the connection is closing). */
  stop(): void {
    this.#done = true;
    this.#parts = undefined;
    this.#fragments = undefined;
  }

  get stopped(): boolean {
    return this.#done;
  }

  push(chunk: Buffer, sink: WsFrameSink): void {
    if (this.#done) return;
    let buf = chunk;
    if (this.#parts) {
      this.#parts.push(chunk);
      this.#have += chunk.length;
      if (this.#have < this.#need) return;
      buf = Buffer.concat(this.#parts, this.#have);
      this.#parts = undefined;
      this.#have = 0;
      this.#need = 0;
    }
    let at = 0;
    while (at < buf.length && !this.#done) {
      const n = this.#frame(buf, at, sink);
      if (n < 0) {
        // Copy: a subarray would pin the whole read in memory while the frame waits.
        const rest = Buffer.from(buf.subarray(at));
        this.#parts = [rest];
        this.#have = rest.length;
        this.#need = -n;
        return;
      }
      at += n;
    }
  }

  /** Reads one frame at `at`: the bytes it took, or minus the bytes the frame needs when it is not whole. */
  #frame(buf: Buffer, at: number, sink: WsFrameSink): number {
    const avail = buf.length - at;
    if (avail < 2) return -2;
    const b0 = buf[at]!;
    const b1 = buf[at + 1]!;
    const fin = (b0 & 0x80) !== 0;
    const opcode = b0 & 0x0f;
    if ((b0 & 0x70) !== 0) return this.#fail(sink, 1002, 'reserved bits set');
    if ((b1 & 0x80) === 0) return this.#fail(sink, 1002, 'client frames must be masked');
    const control = opcode >= 0x8;
    if (control ? opcode > OPCODE_PONG : opcode > OPCODE_BINARY) return this.#fail(sink, 1002, 'unknown opcode');
    let len = b1 & 0x7f;
    let header = 2;
    if (control && (!fin || len > 125)) return this.#fail(sink, 1002, 'bad control frame');
    if (len === 126) {
      if (avail < 4) return -4;
      len = buf.readUInt16BE(at + 2);
      header = 4;
    } else if (len === 127) {
      if (avail < 10) return -10;
      if (buf.readUInt32BE(at + 2) !== 0) return this.#fail(sink, 1009, 'message too big');
      len = buf.readUInt32BE(at + 6);
      header = 10;
    }
    if (!control) {
      if (opcode === OPCODE_CONTINUATION ? !this.#fragments : this.#fragments)
        return this.#fail(
          sink,
          1002,
          opcode === OPCODE_CONTINUATION ? 'unexpected continuation' : 'expected continuation',
        );
      const total = (opcode === OPCODE_CONTINUATION ? this.#fragmentBytes : 0) + len;
      if (total > this.maxPayload) return this.#fail(sink, 1009, 'message too big');
    }
    const mask = at + header;
    const start = mask + 4;
    if (avail < header + 4 + len) return -(header + 4 + len);
    const payload = len === 0 ? EMPTY : Buffer.allocUnsafe(len);
    for (let i = 0; i < len; i++) payload[i] = buf[start + i]! ^ buf[mask + (i & 3)]!;
    const size = header + 4 + len;
    if (control) this.#control(opcode, payload, sink);
    else if (opcode === OPCODE_CONTINUATION) {
      this.#fragments!.push(payload);
      this.#fragmentBytes += len;
      if (fin) {
        const whole = Buffer.concat(this.#fragments!, this.#fragmentBytes);
        this.#fragments = undefined;
        this.#fragmentBytes = 0;
        this.#message(whole, this.#fragmentOpcode, sink);
      }
    } else if (!fin) {
      this.#fragments = [payload];
      this.#fragmentBytes = len;
      this.#fragmentOpcode = opcode;
    } else this.#message(payload, opcode, sink);
    return size;
  }

  #message(data: Buffer, opcode: number, sink: WsFrameSink): void {
    if (opcode === OPCODE_TEXT && !isUtf8(data)) {
      this.#fail(sink, 1007, 'invalid UTF-8');
      return;
    }
    sink.wsMessage(data, opcode === OPCODE_BINARY);
  }

  #control(opcode: number, payload: Buffer, sink: WsFrameSink): void {
    if (opcode === OPCODE_PING) sink.wsPing(payload);
    else if (opcode === OPCODE_PONG) sink.wsPong(payload);
    else if (payload.length === 0) {
      this.stop();
      sink.wsCloseFrame(1005, '');
    } else if (payload.length === 1) this.#fail(sink, 1002, 'bad close frame');
    else {
      const code = payload.readUInt16BE(0);
      const reason = payload.subarray(2);
      if (!validCloseCode(code)) this.#fail(sink, 1002, 'bad close code');
      else if (!isUtf8(reason)) this.#fail(sink, 1007, 'invalid UTF-8');
      else {
        this.stop();
        sink.wsCloseFrame(code, reason.toString('utf8'));
      }
    }
  }

  #fail(sink: WsFrameSink, code: number, reason: string): number {
    this.stop();
    sink.wsProtocolError(code, reason);
    return 0;
  }
}
