/**
 * The one line splitter every text protocol of tomada uses (tutorial echo `--lines`, the chat line door,
 * IRC). Pure: bytes in, lines out; no sockets, no timers (the idle flush is the caller's timer calling
 * {@link LineSplitter.flush}).
 *
 * - A line ends at LF; a CR right before the LF is dropped (so LF and CRLF both work).
 * - Lines are decoded as UTF-8 only once whole, so a multi-byte character cut between two reads is never
 *   split. Invalid UTF-8 becomes U+FFFD, never passed on raw.
 * - A line longer than `maxLength` bytes (without its terminator) is an error: the caller decides what to
 *   tell the peer; the splitter drops what it buffered so memory stays bounded.
 */
export interface LineSplitterOptions {
  /** Longest line accepted, in bytes, terminator not counted. */
  maxLength: number;
}

export class LineTooLongError extends Error {
  readonly code = 'TOMADA_ERR_LINE_TOO_LONG';
  constructor(readonly maxLength: number) {
    super(`line longer than ${maxLength} bytes`);
    this.name = 'LineTooLongError';
  }
}

const LF = 0x0a;
const CR = 0x0d;

/** Receives whole lines (a session can be one: no closure per connection). */
export interface LineSink {
  line(text: string): void;
}

export class LineSplitter {
  readonly maxLength: number;
  // Only while a line is split across reads.
  #parts: Buffer[] | undefined;
  #pendingBytes = 0;

  constructor(options: LineSplitterOptions) {
    this.maxLength = options.maxLength;
  }

  /** Bytes buffered that do not yet form a whole line. */
  get pending(): number {
    return this.#pendingBytes;
  }

  /**
   * Feeds bytes; calls `onLine` for each whole line, in order. Throws {@link LineTooLongError} when a line
   * exceeds the maximum (lines before it in the same chunk have been delivered).
   */
  push(chunk: Buffer, onLine: ((line: string) => void) | LineSink): void {
    this.#split(chunk, onLine, 'text');
  }

  /**
   * As {@link push}, with each line as bytes (a view of `chunk` when the line is whole in it: use it
   * before the next push). For servers that send lines back as they came (the echo server), which need
   * not decode and encode them again.
   */
  pushBytes(chunk: Buffer, onLine: (line: Buffer) => void): void {
    this.#split(chunk, onLine, 'bytes');
  }

  #split(chunk: Buffer, onLine: ((...args: never[]) => void) | LineSink, as: 'text' | 'bytes'): void {
    const sink = typeof onLine === 'function' ? undefined : onLine;
    const emit = onLine as (line: string | Buffer) => void;
    let start = 0;
    let nl = chunk.indexOf(LF, start);
    while (nl !== -1) {
      // The line is `buf[from, end)`: the chunk itself unless a part came before (then joined once).
      // Offsets rather than a subarray per line: this runs once per request of the line echo server.
      let buf = chunk;
      let from = start;
      let end = nl;
      if (this.#pendingBytes > 0) {
        const parts = this.#parts!;
        parts.push(chunk.subarray(start, nl));
        buf = Buffer.concat(parts);
        from = 0;
        end = buf.length;
        this.#parts = undefined;
        this.#pendingBytes = 0;
      }
      if (end > from && buf[end - 1] === CR) end--;
      if (end - from > this.maxLength) throw this.#overflow();
      if (as === 'bytes') emit(buf.subarray(from, end));
      else {
        const text = buf.toString('utf8', from, end);
        if (sink) sink.line(text);
        else emit(text);
      }
      start = nl + 1;
      nl = chunk.indexOf(LF, start);
    }
    if (start < chunk.length) {
      const rest = chunk.length - start;
      // +1: a trailing CR may still be the first half of a CRLF.
      if (this.#pendingBytes + rest > this.maxLength + 1) throw this.#overflow();
      // Copy: the caller may reuse its buffer, and a subarray would pin a large read in memory.
      (this.#parts ??= []).push(Buffer.from(chunk.subarray(start)));
      this.#pendingBytes += rest;
    }
  }

  /**
   * Returns what is buffered as a line (for peers that never send a line ending, such as the tutorial's
   * chat client, once they pause), or `undefined` when nothing is buffered. A trailing CR is dropped.
   */
  flush(): string | undefined {
    const parts = this.#parts;
    if (this.#pendingBytes === 0 || !parts) return undefined;
    const buf = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    this.#parts = undefined;
    this.#pendingBytes = 0;
    let end = buf.length;
    if (end > 0 && buf[end - 1] === CR) end--;
    return buf.toString('utf8', 0, end);
  }

  /** Drops anything buffered. */
  reset(): void {
    this.#parts = undefined;
    this.#pendingBytes = 0;
  }

  #overflow(): LineTooLongError {
    this.reset();
    return new LineTooLongError(this.maxLength);
  }
}

/**
 * Splits a whole buffer into lines (convenience for tests and one-shot uses).
 * A final piece without a terminator is returned as the last line.
 */
export function splitLines(data: Buffer, maxLength = Number.MAX_SAFE_INTEGER): string[] {
  const out: string[] = [];
  const splitter = new LineSplitter({ maxLength });
  splitter.push(data, (l) => out.push(l));
  const rest = splitter.flush();
  if (rest !== undefined) out.push(rest);
  return out;
}
