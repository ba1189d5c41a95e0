import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import type { Logger } from 'pino';
import type { ConnectionGate } from '../core/rate-limit.js';

export type RefusalReason = 'total' | 'perIp';

export interface TcpListenOptions {
  host: string;
  port: number;
  /** TLS instead of plain TCP. */
  tls?: tls.SecureContextOptions;
  /**
   * TLS: ask the client for a certificate (accepted whoever signed it, or none at all: the door reads its
   * fingerprint to log in with SASL EXTERNAL, it does not authorise the connection).
   */
  requestCert?: boolean;
  /** Absolute deadline for the TLS handshake (ms), counted from the first byte; default 15 s. */
  handshakeTimeoutMs?: number;
  gate?: ConnectionGate;
  /** TCP keepalive probe delay, so dead peers are noticed (0: off). */
  keepAliveMs?: number;
  /**
   * Keep our side open when the peer half-closes (FIN), until the door ends it: a door that still
   * handles what the peer sent before its FIN can still answer it (Node otherwise ends ours at once).
   */
  allowHalfOpen?: boolean;
  /** Which door, in the refusal log lines. */
  door?: string;
  /** Where refusals are logged, at a bounded rate (see {@link ConnectionGate.noteRefusal}). */
  logger?: Logger;
  /** The log lines' words, in the server's language (the door's catalogue); English when not given. */
  messages?: TcpLogMessages;
  onConnection(socket: net.Socket): void;
  /**
   * Called instead of `onConnection` when the gate refuses or the process is out of descriptors; the
   * caller says why and closes. TLS connections are refused before the handshake, so they are only
   * closed: nothing can be said to a peer without one, and finishing it would be the attacker's win.
   */
  onRefused?(socket: net.Socket, reason: RefusalReason): void;
  onError?(err: Error): void;
}

export interface TcpListener {
  readonly host: string;
  readonly port: number;
  readonly server: net.Server;
  /** Stops accepting; resolves once the listening socket is closed (open connections are the door's). */
  close(): Promise<void>;
  /**
   * Keeps a connection's place in the limits (per address and in total) after its socket closes, until
   * the returned function is called: a session still handling what its peer sent before leaving is
   * still a connection, or connect, send, close would pile such sessions up past the limits (for TLS,
   * the TCP socket under it). Undefined when the socket is not one this listener counted.
   */
  holdSlot(socket: net.Socket): (() => void) | undefined;
}

export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 15_000;

/**
 * Descriptors held back so the server can always accept a connection, say no in the door's words, and
 * close it. Left to itself, a process out of descriptors (EMFILE) has its connections accepted and closed
 * by libuv without a word (and Node is never told). So connections are refused, politely, while this
 * many descriptors are still free: the limit is the soft RLIMIT_NOFILE (Linux, /proc/self/limits; no
 * budget elsewhere), less what the process had open when it started listening, less the reserve.
 */
class FdBudget {
  open = 0;
  readonly max: number;

  constructor() {
    this.max = Infinity;
    try {
      const m = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
      if (!m) return;
      const limit = Number(m[1]);
      const inUse = readdirSync('/proc/self/fd').length;
      // SQLite files, static files served, log streams and the listeners themselves need some too.
      const reserve = Math.min(64, Math.max(8, Math.floor(limit / 8)));
      this.max = Math.max(1, limit - inUse - reserve);
    } catch {
      // Not Linux: no budget; the connection limits still apply.
    }
  }
}

let budget: FdBudget | undefined;

const kIp = Symbol('tomada.countedIp');
/** Set by `holdSlot`: `held` while the socket is open, `closed` once it has closed with its slot kept. */
const kHeld = Symbol('tomada.slotHeld');
type Counted = net.Socket & { [kIp]: string; [kHeld]?: 'held' | 'closed' };
/** A TLS socket's own TCP socket, the one the limits counted (see `holdSlot`). */
const kRaw = Symbol('tomada.rawSocket');
type Wrapping = tls.TLSSocket & { [kRaw]?: net.Socket };

/** Resets and broken pipes are normal for a server; the door sees 'close'. */
function ignoreError(): void {}

const isFdExhaustion = (err: NodeJS.ErrnoException) => err.code === 'EMFILE' || err.code === 'ENFILE';

/** What the listener logs, worded by the caller (transports know no catalogue). */
export interface TcpLogMessages {
  refused(count: number, reason: string): string;
  outOfFds(): string;
}

const englishMessages = (door: string): TcpLogMessages => ({
  refused: (count, reason) => `${door}: ${count} connection(s) refused (${reason})`,
  outOfFds: () => `${door}: out of file descriptors`,
});

/**
 * A TCP (or TLS) listener: Nagle off (latency, see BENCH-NOTES), keepalive on, connection limits applied
 * to every TCP connection from its first byte (TLS ones before their handshake, which then has an
 * absolute deadline), a clear refusal at the limits and when out of descriptors, and no socket error
 * can escape as an uncaught exception.
 */
export async function listenTcp(options: TcpListenOptions): Promise<TcpListener> {
  budget ??= new FdBudget();
  const fds = budget;
  const secureContext = options.tls ? tls.createSecureContext(options.tls) : undefined;
  const handshakeMs = options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS;
  const door = options.door ?? 'tcp';
  const say = options.messages ?? englishMessages(door);

  const refuse = (socket: net.Socket, reason: RefusalReason | 'fds') => {
    const logged = options.gate?.noteRefusal(Date.now());
    if (logged !== undefined) {
      options.logger?.warn({ door, reason, refused: logged }, say.refused(logged, reason));
    }
    if (secureContext || !options.onRefused) socket.destroy();
    else options.onRefused(socket, reason === 'fds' ? 'total' : reason);
  };

  const handshaking = new Set<tls.TLSSocket>();
  const secure = (raw: net.Socket, ctx: tls.SecureContext) => {
    const socket = new tls.TLSSocket(raw, {
      isServer: true,
      secureContext: ctx,
      ...(options.requestCert ? { requestCert: true, rejectUnauthorized: false } : {}),
    });
    (socket as Wrapping)[kRaw] = raw;
    handshaking.add(socket);
    socket.on('error', () => socket.destroy()); // a failed handshake is closed, not left open
    // Absolute, not idle: a peer trickling half a ClientHello does not push it back.
    const deadline = setTimeout(() => socket.destroy(), handshakeMs);
    socket.once('close', () => {
      clearTimeout(deadline);
      handshaking.delete(socket);
    });
    socket.once('secure', () => {
      clearTimeout(deadline);
      handshaking.delete(socket);
      options.onConnection(socket);
    });
  };

  // One function for every connection of this listener, not a closure each (see SocketOwner).
  const released = function (this: Counted) {
    fds.open--;
    if (this[kHeld] === 'held') {
      this[kHeld] = 'closed'; // given back by the holder (holdSlot)
      return;
    }
    options.gate?.release(this[kIp]);
  };
  const accept = (socket: net.Socket) => {
    socket.on('error', ignoreError);
    socket.setNoDelay(true);
    if (options.keepAliveMs) socket.setKeepAlive(true, options.keepAliveMs);
    if (fds.open >= fds.max) {
      refuse(socket, 'fds');
      return;
    }
    fds.open++; // refused ones too: they hold their descriptor while the goodbye is flushed
    const ip = socket.remoteAddress ?? '?';
    const gate = options.gate;
    if (gate) {
      const verdict = gate.acquire(ip);
      if (verdict !== 'ok') {
        socket.once('close', () => fds.open--);
        refuse(socket, verdict);
        return;
      }
    }
    // One listener for both counts: idle connections are the memory that matters (bench scenario 3).
    // The address is kept as counted: the gate must be given back exactly what it was given.
    (socket as Counted)[kIp] = ip;
    socket.on('close', released);
    if (secureContext) secure(socket, secureContext);
    else options.onConnection(socket);
  };
  const server = net.createServer({ allowHalfOpen: options.allowHalfOpen ?? false }, accept);
  const onLaterError = (err: NodeJS.ErrnoException) => {
    if (isFdExhaustion(err)) {
      // Only when something besides connections used the reserve up: libuv dropped a connection.
      const logged = options.gate?.noteRefusal(Date.now());
      if (logged !== undefined) options.logger?.warn({ door, err: err.code }, say.outOfFds());
      return;
    }
    options.onError?.(err);
  };
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen({ host: options.host, port: options.port, backlog: 1024 }, () => {
      server.off('error', onError);
      // Only errors after listening are the door's to log: a failed listen is thrown, said once by the caller.
      server.on('error', onLaterError);
      resolve();
    });
  });
  const addr = server.address() as net.AddressInfo;
  return {
    host: addr.address,
    port: addr.port,
    server,
    holdSlot(socket) {
      const s = ((socket as Wrapping)[kRaw] ?? socket) as Counted;
      if (s[kIp] === undefined || s[kHeld] !== undefined) return undefined;
      s[kHeld] = 'held';
      return () => {
        if (s[kHeld] === 'closed') options.gate?.release(s[kIp]);
        // Still open: 'close' gives it back as usual. Called twice: nothing more.
        s[kHeld] = undefined;
      };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of handshaking) s.destroy(); // not a client yet: nobody to say goodbye to
      }),
  };
}
