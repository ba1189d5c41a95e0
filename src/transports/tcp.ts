import net from 'node:net';
import tls from 'node:tls';
import type { ConnectionGate } from '../core/rate-limit.js';

export interface TcpListenOptions {
  host: string;
  port: number;
  /** TLS instead of plain TCP. */
  tls?: tls.SecureContextOptions;
  gate?: ConnectionGate;
  /** TCP keepalive probe delay, so dead peers are noticed (0: off). */
  keepAliveMs?: number;
  onConnection(socket: net.Socket): void;
  /** Called instead of `onConnection` when the gate refuses; the caller says why and closes. */
  onRefused?(socket: net.Socket, reason: 'total' | 'perIp'): void;
  onError?(err: Error): void;
}

export interface TcpListener {
  readonly host: string;
  readonly port: number;
  readonly server: net.Server;
  /** Stops accepting; resolves once the listening socket is closed (open connections are the door's). */
  close(): Promise<void>;
}

/**
 * A TCP (or TLS) listener: Nagle off (latency, see BENCH-NOTES), keepalive on, connection limits applied
 * before the door sees the socket, and no socket error can escape as an uncaught exception.
 */
export async function listenTcp(options: TcpListenOptions): Promise<TcpListener> {
  const accept = (socket: net.Socket) => {
    socket.on('error', () => {
      // Resets and broken pipes are normal for a server; the door sees 'close'.
    });
    socket.setNoDelay(true);
    if (options.keepAliveMs) socket.setKeepAlive(true, options.keepAliveMs);
    const ip = socket.remoteAddress ?? '?';
    if (options.gate) {
      const verdict = options.gate.acquire(ip);
      if (verdict !== 'ok') {
        if (options.onRefused) options.onRefused(socket, verdict);
        else socket.destroy();
        return;
      }
      socket.once('close', () => options.gate!.release(ip));
    }
    options.onConnection(socket);
  };
  const server = options.tls
    ? tls.createServer({ ...options.tls }, accept).on('tlsClientError', () => undefined)
    : net.createServer(accept);
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen({ host: options.host, port: options.port, backlog: 1024 }, () => {
      server.off('error', onError);
      // Only errors after listening are the door's to log: a failed listen is thrown, said once by the caller.
      server.on('error', (err: Error) => options.onError?.(err));
      resolve();
    });
  });
  const addr = server.address() as net.AddressInfo;
  return {
    host: addr.address,
    port: addr.port,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
