/**
 * WebSocket frames as a server writes them (RFC 6455 §5.2): unmasked, final, no extension bits. Pure:
 * bytes in, bytes out. The web doors frame each message once and share the frame among recipients, so
 * a recipient's batch of frames is one plain socket write (the `ws` package frames per `send()`, per
 * recipient). Reading the clients' frames stays with `ws`.
 */

export const OPCODE_TEXT = 0x1;
export const OPCODE_BINARY = 0x2;

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
