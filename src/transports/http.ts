import http from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { listenTcp, type TcpListener, type TcpListenOptions } from './tcp.js';

/** A certificate and its key, PEM, as read from the configured files. */
export interface TlsFiles {
  cert: Buffer;
  key: Buffer;
}

/** What the peer is told when its request cannot be parsed (the door words it, in its language). */
export interface HttpRefusals {
  timeout: string;
  tooManyHeaders: string;
  badRequest: string;
}

/**
 * An HTTP server for the web doors: I/O only. It never listens itself: TCP (and TLS) is
 * {@link listenHttp}'s, so every connection is counted in the gate from its first byte and a TLS
 * handshake has a deadline. Headers get `headersMs` (the registration deadline), checked often enough
 * to be kept (Node's default check runs every 30 s), with a 408; a bad request gets its status, never an
 * escaping error. Node's `maxHeadersCount` is off (it truncates silently): the door counts `rawHeaders`.
 */
export function createHttpServer(headersMs: number, refusals: HttpRefusals): http.Server {
  const server = http.createServer({
    headersTimeout: headersMs,
    requestTimeout: headersMs,
    connectionsCheckingInterval: Math.min(1000, headersMs / 4),
  });
  server.maxHeadersCount = 0;
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    const answered = (socket as Socket & { _httpMessage?: { headersSent: boolean } })._httpMessage?.headersSent;
    if (answered) socket.destroy();
    else if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') refuseUpgrade(socket, 408, 'Request Timeout', refusals.timeout);
    else if (err.code === 'HPE_HEADER_OVERFLOW')
      refuseUpgrade(socket, 431, 'Request Header Fields Too Large', refusals.tooManyHeaders);
    else refuseUpgrade(socket, 400, 'Bad Request', refusals.badRequest);
  });
  return server;
}

/** Listens for `server` through the TCP transport; resolves with the listener (its address really bound). */
export async function listenHttp(
  server: http.Server,
  options: Omit<TcpListenOptions, 'onConnection'>,
): Promise<TcpListener> {
  const listener = await listenTcp({ ...options, onConnection: (socket) => server.emit('connection', socket) });
  // Starts Node's header-deadline checks, which begin when a server listens: this one never does itself.
  server.emit('listening');
  return listener;
}

/** Stops accepting, stops the header checks and closes idle keep-alive connections. */
export async function stopHttp(server: http.Server, listener: TcpListener | undefined): Promise<void> {
  const closing = listener?.close();
  server.close(() => undefined);
  server.closeIdleConnections();
  await closing;
}

/** Answers a request or an upgrade with a plain HTTP error and closes. */
export function refuseUpgrade(
  socket: Duplex,
  status: number,
  reason: string,
  body: string,
  headers: Record<string, string> = {},
): void {
  if (socket.writable) {
    const extra = Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('');
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\n${extra}Content-Type: text/plain; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body) + 1}\r\n\r\n${body}\n`,
    );
  }
  socket.destroy();
}
