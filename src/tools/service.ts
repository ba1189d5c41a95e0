/**
 * What the tutorial servers answer, apart from any socket: the "service" of the hello and echo servers as
 * plain functions, so the same code runs on the main thread, in a worker thread or in a cluster process.
 * The wire strings (`Bem-vindo ao servidor!`, `Echo: `) are the tutorial's and never translated.
 */

/** The tutorial's welcome (Servidor Básico). */
export const DEFAULT_WELCOME = 'Bem-vindo ao servidor!';
/** The tutorial's echo prefix (Servidor Echo). */
export const DEFAULT_ECHO_PREFIX = 'Echo: ';

/** The hello service: each connection gets `message` and is closed. */
export interface HelloSpec {
  kind: 'hello';
  message: string;
}

/** The echo service: each request (a read, or a line with `lines`) is answered. */
export interface EchoSpec {
  kind: 'echo';
  prefix: string;
  /** Answer in upper case (chapter 4's "modified sentence" server). */
  upper: boolean;
  /** Frame requests by line (answers end with LF) instead of answering every read. */
  lines: boolean;
}

export type ServiceSpec = HelloSpec | EchoSpec;

/**
 * A request as the I/O side hands it over: raw bytes (an echo read), or text (a line, or a read decoded
 * for `--upper`). Worker threads receive a Buffer as a plain Uint8Array, so both are accepted.
 */
export type Request = Uint8Array | string;

function toBuffer(data: Request): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

const prefixes = new WeakMap<EchoSpec, Buffer>();

/** The prefix of an echo spec as bytes (kept with the spec). */
function echoPrefixBytes(spec: EchoSpec): Buffer {
  let bytes = prefixes.get(spec);
  if (!bytes) prefixes.set(spec, (bytes = Buffer.from(spec.prefix, 'utf8')));
  return bytes;
}

/** The answer of `spec` to `request` (the hello service ignores the request). */
export function respond(spec: ServiceSpec, request: Request): Buffer {
  if (spec.kind === 'hello') return Buffer.from(spec.message, 'utf8');
  let body: Request = request;
  if (spec.upper) body = (typeof request === 'string' ? request : toBuffer(request).toString('utf8')).toUpperCase();
  // One allocation per answer, written in place: this is the echo server's whole per-request cost (the
  // prefix is encoded once per spec, not per request).
  const prefix = echoPrefixBytes(spec);
  const bodyBytes = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
  const out = Buffer.allocUnsafe(prefix.length + bodyBytes + (spec.lines ? 1 : 0));
  out.set(prefix, 0);
  if (typeof body === 'string') out.write(body, prefix.length);
  else out.set(body, prefix.length);
  if (spec.lines) out[out.length - 1] = 0x0a;
  return out;
}

let sleeper: Int32Array | undefined;

/**
 * Blocks the calling thread for `ms` milliseconds: a true block (`Atomics.wait`), not a timer, so it
 * shows what a slow handler does to each concurrency model (the event loop stalls, a worker thread does
 * not stall the others).
 */
export function blockFor(ms: number): void {
  if (ms <= 0) return;
  sleeper ??= new Int32Array(new SharedArrayBuffer(4));
  Atomics.wait(sleeper, 0, 0, ms);
}

/** Runs one request the way every model does: block for `workMs`, then answer. */
export function handleRequest(spec: ServiceSpec, request: Request, workMs: number): Buffer {
  blockFor(workMs);
  return respond(spec, request);
}

/**
 * UDP variant of the echo answer: never larger than the datagram received, so a spoofed source cannot
 * turn the server into an amplifier. The prefix is added only if the answer still fits (so with the
 * default prefix the answer is the datagram itself, as RFC 862 echo); `--upper` may grow a few characters
 * (`ß` → `SS`), so the text is cut at a character boundary to the received length.
 */
export function respondUdp(spec: EchoSpec, datagram: Buffer): Buffer {
  const body = spec.upper ? Buffer.from(datagram.toString('utf8').toUpperCase(), 'utf8') : datagram;
  const prefix = Buffer.from(spec.prefix, 'utf8');
  const full = prefix.length + body.length <= datagram.length ? Buffer.concat([prefix, body]) : body;
  return truncateUtf8(full, datagram.length);
}

/** Cuts `buf` to at most `max` bytes without splitting a UTF-8 character. */
export function truncateUtf8(buf: Buffer, max: number): Buffer {
  if (buf.length <= max) return buf;
  let end = max;
  // Step back over continuation bytes (10xxxxxx) to the start of the cut character.
  while (end > 0 && (buf[end]! & 0xc0) === 0x80) end--;
  return buf.subarray(0, end);
}
