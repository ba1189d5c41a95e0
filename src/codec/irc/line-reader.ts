/**
 * IRC lines out of a byte stream, PURE (no sockets, no timers). Unlike the shared LineSplitter it keeps
 * the connection usable after a bad line, as IRC asks:
 *
 * - A line longer than the limit is reported once (`tooLong`, which the session answers with
 *   417 ERR_INPUTTOOLONG) and its bytes are skipped up to the next LF; what follows is read as usual.
 *   Memory stays bounded: an endless line is never buffered.
 * - A line that is not valid UTF-8 is reported as such (`UTF8ONLY`: the session answers
 *   `FAIL <command> INVALID_UTF8`), with its text decoded lossily so the command can be named.
 * - A line ends at LF; a CR right before it is dropped. UTF-8 cut between two reads stays whole.
 */
import { isUtf8 } from 'node:buffer';

export interface IrcLineSink {
  /** One line, without its terminator; `validUtf8` false when its bytes are not UTF-8 (text then lossy). */
  line(text: string, validUtf8: boolean): void;
  /** A line was longer than the limit (its bytes are dropped). */
  tooLong(): void;
}

const LF = 0x0a;
const CR = 0x0d;

export class IrcLineReader {
  // Only while a line is split across reads.
  #parts: Buffer[] | undefined;
  #pending = 0;
  /** Inside a line already reported too long: skip to its LF. */
  #skipping = false;

  /** @param maxLength longest line accepted, in bytes, terminator not counted */
  constructor(readonly maxLength: number) {}

  push(chunk: Buffer, sink: IrcLineSink): void {
    let start = 0;
    for (let nl = chunk.indexOf(LF); nl !== -1; nl = chunk.indexOf(LF, start)) {
      if (this.#skipping) {
        this.#skipping = false;
        start = nl + 1;
        continue;
      }
      let line = chunk.subarray(start, nl);
      if (this.#pending > 0 && this.#parts) {
        this.#parts.push(line);
        line = Buffer.concat(this.#parts);
        this.#parts = undefined;
        this.#pending = 0;
      }
      start = nl + 1;
      let end = line.length;
      if (end > 0 && line[end - 1] === CR) end--;
      if (end > this.maxLength) {
        sink.tooLong();
        continue;
      }
      const body = line.subarray(0, end);
      sink.line(body.toString('utf8'), isUtf8(body));
    }
    if (start >= chunk.length || this.#skipping) return;
    const rest = chunk.length - start;
    // +1: a trailing CR may still be the first half of a CRLF.
    if (this.#pending + rest > this.maxLength + 1) {
      this.#parts = undefined;
      this.#pending = 0;
      this.#skipping = true;
      sink.tooLong();
      return;
    }
    // Copy: the caller may reuse its buffer, and a subarray would pin a large read in memory.
    (this.#parts ??= []).push(Buffer.from(chunk.subarray(start)));
    this.#pending += rest;
  }
}
