import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

/** A certificate and its key, PEM, as read from the configured files. */
export interface TlsFiles {
  cert: Buffer;
  key: Buffer;
}

/**
 * HTTP(S) listeners for the web doors: I/O only. A client's bad request or TLS handshake never escapes
 * as an error; the door adds its own `request` and `upgrade` handlers.
 */
export function createHttpServer(tls: TlsFiles | undefined): http.Server {
  const server = tls ? https.createServer(tls) : http.createServer();
  server.on('clientError', (_err, socket: Duplex) => socket.destroy());
  server.on('tlsClientError', () => undefined);
  return server;
}

/** Listens; resolves with the address really bound (port 0 asks the system). */
export async function listenHttp(
  server: http.Server,
  at: { host: string; port: number },
): Promise<{ host: string; port: number }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: at.host, port: at.port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const a = server.address() as AddressInfo;
  return { host: a.address, port: a.port };
}

/** Stops accepting and closes idle keep-alive connections; resolves once the listener is closed. */
export function stopHttp(server: http.Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}

/** Answers an upgrade request with a plain HTTP error and closes. */
export function refuseUpgrade(socket: Duplex, status: number, reason: string, body: string): void {
  if (socket.writable) {
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body) + 1}\r\n\r\n${body}\n`,
    );
  }
  socket.destroy();
}
