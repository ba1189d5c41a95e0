import type net from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import { LineSplitter, LineTooLongError } from '../codec/line.js';
import type { Request, ServiceSpec } from './service.js';

/** Runs one request (on this thread, or on a worker) and gives its answer. */
export type RunRequest = (request: Request) => Buffer | Promise<Buffer>;

/** What a connection reports to its server (for logs and `--once`). */
export interface ConnectionEvents {
  onRequest?(peer: string, request: Request): void;
  onLineTooLong?(peer: string, maxLength: number): void;
  onClose?(peer: string): void;
}

/** `host:port` of the remote end, for logs. */
export function peerOf(socket: net.Socket): string {
  const host = socket.remoteAddress ?? '?';
  return host.includes(':') ? `[${host}]:${socket.remotePort}` : `${host}:${socket.remotePort}`;
}

/**
 * Serves one accepted TCP connection with the hello or echo service. Requests of a connection are
 * answered one at a time and in order (the socket is paused while one is being handled), whatever the
 * model runs them on. The socket must have been created with `allowHalfOpen`, so that answers still
 * pending when the client half-closes are delivered before the server closes its side.
 */
export function serveConnection(
  socket: net.Socket,
  spec: ServiceSpec,
  run: RunRequest,
  maxLineLength: number,
  events: ConnectionEvents = {},
  /** `run` when it answers at once (every model but threads): the fast path below. */
  syncRun?: (request: Request) => Buffer,
): void {
  const peer = peerOf(socket);
  socket.setNoDelay(true);
  socket.on('error', () => {
    // Resets and broken pipes are ordinary for a server: 'close' follows and ends this connection.
  });
  socket.on('close', () => events.onClose?.(peer));

  if (spec.kind === 'hello') {
    events.onRequest?.(peer, '');
    Promise.resolve()
      .then(() => run(''))
      .then(
        (reply) => void socket.end(reply),
        () => void socket.destroy(),
      );
    return;
  }

  let chain = Promise.resolve();
  const answer = async (requests: Request[]) => {
    for (const r of requests) {
      if (socket.destroyed) return;
      events.onRequest?.(peer, r);
      const reply = await run(r);
      if (!socket.destroyed && socket.writable) socket.write(reply);
    }
  };
  const enqueue = (requests: Request[], then?: () => void) => {
    if (requests.length === 0 && !then) return;
    socket.pause();
    chain = chain
      .then(() => answer(requests))
      .then(
        () => {
          if (then) then();
          else if (!socket.destroyed) socket.resume();
        },
        () => void socket.destroy(),
      );
  };

  const splitter = spec.lines ? new LineSplitter({ maxLength: maxLineLength }) : undefined;
  const decoder = !spec.lines && spec.upper ? new StringDecoder('utf8') : undefined;
  if (syncRun) {
    // Lines sent back as they came (no --upper) stay bytes: no decoding and encoding per request.
    serveSync(socket, peer, syncRun, splitter, decoder, events, spec.kind === 'echo' && !spec.upper);
    return;
  }
  socket.on('data', (chunk: Buffer) => {
    const requests: Request[] = [];
    if (splitter) {
      try {
        splitter.push(chunk, (line) => requests.push(line));
      } catch (err) {
        if (!(err instanceof LineTooLongError)) throw err;
        events.onLineTooLong?.(peer, err.maxLength);
        enqueue(requests, () => void socket.destroy());
        return;
      }
    } else if (decoder) {
      const text = decoder.write(chunk);
      if (text !== '') requests.push(text);
    } else {
      requests.push(chunk);
    }
    enqueue(requests);
  });
  socket.on('end', () => {
    const rest = splitter?.flush() ?? decoder?.end();
    enqueue(rest ? [rest] : [], () => void socket.end());
  });
}

/**
 * Serving with a synchronous `run`: the answers of one read go out in one write, as they are computed.
 * No pause and resume of the socket and no promise per request, which cost the `--lines` echo server a
 * third of its throughput against a bare Node echo (bench scenario 4); order holds since nothing waits.
 */
function serveSync(
  socket: net.Socket,
  peer: string,
  run: (request: Request) => Buffer,
  splitter: LineSplitter | undefined,
  decoder: StringDecoder | undefined,
  events: ConnectionEvents,
  bytesLines: boolean,
): void {
  // The answers of one read: most reads carry one request, so the first is kept apart (no array then).
  let first: Buffer | undefined;
  let more: Buffer[] | undefined;
  const onRequest = events.onRequest?.bind(events);
  const answer = (r: Request) => {
    onRequest?.(peer, r);
    const reply = run(r);
    if (first === undefined) first = reply;
    else (more ??= [first]).push(reply);
  };
  const send = () => {
    if (first === undefined) return;
    const out = more ? Buffer.concat(more) : first;
    first = more = undefined;
    if (!socket.destroyed && socket.writable) socket.write(out);
  };
  socket.on('data', (chunk: Buffer) => {
    if (splitter) {
      try {
        if (bytesLines) splitter.pushBytes(chunk, answer);
        else splitter.push(chunk, answer);
      } catch (err) {
        if (!(err instanceof LineTooLongError)) throw err;
        events.onLineTooLong?.(peer, err.maxLength);
        send();
        socket.destroy();
        return;
      }
    } else if (decoder) {
      const text = decoder.write(chunk);
      if (text !== '') answer(text);
    } else answer(chunk);
    send();
  });
  socket.on('end', () => {
    const rest = splitter?.flush() ?? decoder?.end();
    if (rest) answer(rest);
    send();
    socket.end();
  });
}
