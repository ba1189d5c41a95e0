/**
 * The bench message payload: a compact fixed-format token padded to a fixed size, so a receiver can
 * check identity, duplicates, corruption and latency by looking at bytes — no per-message strings.
 *
 * Layout (ASCII, exactly `size` bytes):
 *
 * ```
 * %b<sender>.<seq>.<sendtime-µs>.<padding…>
 * ```
 *
 * The padding byte at offset `i` of the padding is `a + (seq + i) % 26`, so two messages cut and spliced
 * together, a byte dropped or a truncated line do not pass the check. The token always sits at the END of
 * a received line (`<nick>: <payload>` on the line door, `:n!u@h PRIVMSG #bench :<payload>` on IRC), so
 * a receiver finds a line end and looks `size` bytes back.
 *
 * Pure: no sockets, no timers.
 */

/** First two bytes of every payload (`%b`): not valid in nicks, user names or host names. */
export const MARKER0 = 0x25; // %
export const MARKER1 = 0x62; // b
const DOT = 0x2e;
const LF = 0x0a;
const CR = 0x0d;
const ZERO = 0x30;
const A = 0x61;

/** The longest token (`%b` + 3 numbers of up to 16 digits + 3 dots); `--size` must leave room for it. */
export const MIN_PAYLOAD_SIZE = 2 + 6 + 1 + 10 + 1 + 16 + 1;

/** The padding pattern, 26 bytes longer than any padding, read at offset `seq % 26`. */
function makePattern(size: number): Buffer {
  const p = Buffer.allocUnsafe(size + 26);
  for (let i = 0; i < p.length; i++) p[i] = A + (i % 26);
  return p;
}

function writeUint(buf: Buffer, at: number, value: number): number {
  if (value === 0) {
    buf[at] = ZERO;
    return at + 1;
  }
  let digits = 0;
  for (let v = value; v >= 1; v = Math.floor(v / 10)) digits++;
  let p = at + digits - 1;
  for (let v = value; v >= 1; v = Math.floor(v / 10)) buf[p--] = ZERO + (v % 10);
  return at + digits;
}

/**
 * Writes payloads of one fixed size into caller-owned buffers. Reuses one padding pattern; the only
 * per-message work is a few digits and one `copy`.
 */
export class PayloadWriter {
  readonly size: number;
  readonly #pattern: Buffer;

  constructor(size: number) {
    if (size < MIN_PAYLOAD_SIZE) throw new RangeError(`payload size must be at least ${MIN_PAYLOAD_SIZE}`);
    this.size = size;
    this.#pattern = makePattern(size);
  }

  /** Writes one payload at `at`; returns the offset just after it. */
  write(buf: Buffer, at: number, sender: number, seq: number, timeUs: number): number {
    buf[at] = MARKER0;
    buf[at + 1] = MARKER1;
    let p = writeUint(buf, at + 2, sender);
    buf[p++] = DOT;
    p = writeUint(buf, p, seq);
    buf[p++] = DOT;
    p = writeUint(buf, p, Math.floor(timeUs));
    buf[p++] = DOT;
    const end = at + this.size;
    const off = seq % 26;
    this.#pattern.copy(buf, p, off, off + (end - p));
    return end;
  }

  /** One payload as a new buffer (tests, one-off uses). */
  encode(sender: number, seq: number, timeUs: number): Buffer {
    const b = Buffer.allocUnsafe(this.size);
    this.write(b, 0, sender, seq, timeUs);
    return b;
  }
}

/**
 * The first LF in `buf[from, end)`, or -1. The buffer may be a shared read buffer longer than the read;
 * the search may run past `end` into earlier reads' lines, which end soon, so it stays short.
 */
function indexOfLf(buf: Buffer, from: number, end: number): number {
  const i = buf.indexOf(LF, from);
  return i !== -1 && i < end ? i : -1;
}

/** What a scanner reports for each line it finds. */
export interface DeliverySink {
  /** A well-formed payload. */
  delivery(sender: number, seq: number, sentUs: number): void;
  /** A line carrying the marker whose payload does not check out. */
  corrupt(): void;
}

/**
 * Finds payloads in a stream of received bytes, across arbitrary read boundaries. Lines without the
 * marker (notices, history, IRC numerics) are ignored; a line with the marker that does not hold
 * exactly one well-formed payload at its end is counted as corrupt.
 *
 * `onLine` is called for every whole line that is NOT a payload (protocol adapters use it to answer
 * PING or spot the end of registration) — only when `wantOtherLines` is set, to keep the hot path free.
 */
export class PayloadScanner {
  readonly size: number;
  readonly #pattern: Buffer;
  /** Carry-over of a line cut by a read boundary (at most `maxLine` bytes kept). */
  #carry: Buffer;
  #carryLen = 0;
  #carryOverflow = false;

  constructor(
    size: number,
    readonly maxLine = 4096,
  ) {
    this.size = size;
    this.#pattern = makePattern(size);
    this.#carry = Buffer.allocUnsafe(maxLine + 2);
  }

  /**
   * Feeds one read. `onOther` receives non-payload lines (start/end offsets into `buf`, end excludes
   * CR/LF) when given.
   */
  push(
    chunk: Buffer,
    sink: DeliverySink,
    onOther?: (buf: Buffer, start: number, end: number) => void,
    length = chunk.length,
  ): void {
    let start = 0;
    let nl = indexOfLf(chunk, 0, length);
    if (this.#carryLen > 0 || this.#carryOverflow) {
      if (nl === -1) {
        this.#append(chunk, 0, length);
        return;
      }
      this.#append(chunk, 0, nl);
      if (this.#carryOverflow) {
        // A line longer than any payload line we accept: count it as corrupt if it has the marker.
        sink.corrupt();
      } else {
        this.#line(this.#carry, 0, this.#carryLen, sink, onOther);
      }
      this.#carryLen = 0;
      this.#carryOverflow = false;
      start = nl + 1;
      nl = indexOfLf(chunk, start, length);
    }
    while (nl !== -1) {
      this.#line(chunk, start, nl, sink, onOther);
      start = nl + 1;
      nl = indexOfLf(chunk, start, length);
    }
    if (start < length) this.#append(chunk, start, length);
  }

  /**
   * Checks one line already cut out by the caller, `buf[start, end)` (message-framed transports: the
   * chat text of one WebSocket message). Same rules as a line found by {@link push}.
   */
  scanLine(
    buf: Buffer,
    start: number,
    end: number,
    sink: DeliverySink,
    onOther?: (buf: Buffer, start: number, end: number) => void,
  ): void {
    this.#line(buf, start, end, sink, onOther);
  }

  #append(chunk: Buffer, from: number, to: number): void {
    const n = to - from;
    if (this.#carryOverflow) return;
    if (this.#carryLen + n > this.maxLine) {
      this.#carryOverflow = true;
      this.#carryLen = 0;
      return;
    }
    chunk.copy(this.#carry, this.#carryLen, from, to);
    this.#carryLen += n;
  }

  /** One line `buf[start, lf)`. */
  #line(
    buf: Buffer,
    start: number,
    lf: number,
    sink: DeliverySink,
    onOther?: (buf: Buffer, start: number, end: number) => void,
  ): void {
    let end = lf;
    if (end > start && buf[end - 1] === CR) end--;
    const p0 = end - this.size;
    if (p0 >= start && buf[p0] === MARKER0 && buf[p0 + 1] === MARKER1) {
      // Marker right where a payload must start: it has to check out, else the message was damaged.
      if (!this.#check(buf, p0 + 2, end, sink)) sink.corrupt();
      return;
    }
    // No payload at the end. A marker elsewhere means a damaged or spliced payload; else not ours.
    for (let i = start; i < end - 1; i++) {
      if (buf[i] === MARKER0 && buf[i + 1] === MARKER1) {
        sink.corrupt();
        return;
      }
    }
    if (onOther) onOther(buf, start, end);
  }

  /** Parses `<sender>.<seq>.<time>.<padding>` in `buf[p, end)`. */
  #check(buf: Buffer, p: number, end: number, sink: DeliverySink): boolean {
    let sender = 0;
    let digits = 0;
    let c = buf[p];
    while (c !== undefined && c >= ZERO && c <= ZERO + 9 && p < end) {
      sender = sender * 10 + (c - ZERO);
      c = buf[++p];
      digits++;
    }
    if (digits === 0 || c !== DOT) return false;
    c = buf[++p];
    let seq = 0;
    digits = 0;
    while (c !== undefined && c >= ZERO && c <= ZERO + 9 && p < end) {
      seq = seq * 10 + (c - ZERO);
      c = buf[++p];
      digits++;
    }
    if (digits === 0 || c !== DOT) return false;
    c = buf[++p];
    let time = 0;
    digits = 0;
    while (c !== undefined && c >= ZERO && c <= ZERO + 9 && p < end) {
      time = time * 10 + (c - ZERO);
      c = buf[++p];
      digits++;
    }
    if (digits === 0 || c !== DOT || digits > 16) return false;
    p++;
    const pattern = this.#pattern;
    let q = seq % 26;
    for (; p < end; p++, q++) if (buf[p] !== pattern[q]) return false;
    sink.delivery(sender, seq, time);
    return true;
  }
}
