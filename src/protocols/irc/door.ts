import { logConnection, logText, tcpLogMessages } from '../connection-log.js';
import type net from 'node:net';
import type tls from 'node:tls';
import { normaliseFingerprint } from '../../core/cert-store.js';
import { IrcLineReader, type IrcLineSink } from '../../codec/irc/line-reader.js';
import { MAX_BODY_BYTES, MAX_TAG_BYTES } from '../../codec/irc/message.js';
import { DEFAULT_PORTS, type DoorAddress, type DoorContext, type RunningDoor } from '../door.js';
import { listenTcp, type TcpListener } from '../../transports/tcp.js';
import { attachSocket, endSocket, refuseSocket, resetSocket, type SocketOwner } from '../../transports/connection.js';
import { Outbox, type OutboxOwner } from '../../transports/outbox.js';
import { IrcSession } from './session.js';
import type { IrcTransport } from './transport.js';

// 512 bytes of body plus 8191 of tags, and one for the space between them: the session checks each part.
// A longer line is skipped to its end with one 417, and the connection stays.
const MAX_LINE = MAX_BODY_BYTES + MAX_TAG_BYTES + 1;

/**
 * A TCP or TLS socket as an {@link IrcTransport}: bytes go through the per-turn {@link Outbox}, lines come
 * out of an {@link IrcLineReader}. It is also the socket's, the reader's and the outbox's callback object
 * (methods, not closures: an idle connection holds only its objects).
 */
export class TcpIrcTransport implements IrcTransport, SocketOwner, OutboxOwner, IrcLineSink {
  readonly remoteAddress: string;
  readonly certFingerprint: string | undefined;
  readonly outbox: Outbox;
  readonly #reader = new IrcLineReader(MAX_LINE);
  readonly #session: IrcSession;
  #closing = false;

  constructor(
    readonly socket: net.Socket,
    readonly kind: 'tcp' | 'tls',
    readonly ctx: DoorContext,
    sessions: Set<IrcSession>,
    /** The listener's (TcpListener.holdSlot), for lines handled after the peer's FIN. */
    private readonly slots: Pick<TcpListener, 'holdSlot'>,
  ) {
    this.remoteAddress = socket.remoteAddress ?? 'unknown';
    // Read before the session exists: the handshake is over (`secure`), and its certificate stays the same.
    const fp = kind === 'tls' ? (socket as tls.TLSSocket).getPeerCertificate()?.fingerprint256 : undefined;
    this.certFingerprint = fp ? normaliseFingerprint(fp) : undefined;
    this.outbox = new Outbox(socket, ctx.outboxes, ctx.config.limits.maxSendQueue, this, ctx.stats.door('irc'));
    this.#session = new IrcSession(ctx, this, sessions);
    sessions.add(this.#session);
    attachSocket(socket, this);
  }

  get secure(): boolean {
    return this.kind === 'tls';
  }

  writeLines(data: Buffer): void {
    if (!this.#closing) this.outbox.push(data);
  }

  get queued(): number {
    return this.outbox.queued;
  }

  close(condemned = false): void {
    if (this.#closing) return;
    this.#closing = true;
    this.outbox.flush();
    endSocket(this.socket, condemned);
  }

  socketData(chunk: Buffer): void {
    if (!this.#session.isClosed) this.#reader.push(chunk, this);
  }

  socketEnd(): void {
    this.#session.peerEnded('Client closed connection', () => this.slots.holdSlot(this.socket));
  }

  socketClosed(): void {
    this.#session.closed('Connection closed');
  }

  line(text: string, validUtf8: boolean): void {
    if (!this.#session.isClosed) this.#session.receiveLine(text, validUtf8);
  }

  tooLong(): void {
    this.#session.lineTooLong();
  }

  outboxOverflowed(): void {
    this.ctx.stats.door('irc').slowConsumers++;
    resetSocket(this.socket);
    this.#session.closed('Max SendQ exceeded');
  }
}

/** Starts the IRC listeners (`--irc`, `--ircs`); null when both are off. */
export async function startIrcListeners(ctx: DoorContext): Promise<RunningDoor | null> {
  const { config } = ctx;
  // Without --ircs, a certificate means TLS on 6697, on the same host as plain IRC (so `--host` moves it too).
  const ircs =
    config.ircs === undefined
      ? config.tlsCert && config.tlsKey
        ? { host: config.irc?.host ?? 'localhost', port: DEFAULT_PORTS.ircs }
        : null
      : config.ircs;
  const wanted: Array<{ name: string; host: string; port: number; tls: boolean }> = [];
  if (config.irc) wanted.push({ name: 'irc', ...config.irc, tls: false });
  if (ircs) wanted.push({ name: 'ircs', ...ircs, tls: true });
  if (wanted.length === 0) return null;
  const sessions = new Set<IrcSession>();
  const listeners: TcpListener[] = [];
  const addresses: DoorAddress[] = [];
  try {
    for (const w of wanted) {
      let tlsOptions;
      if (w.tls) {
        if (!ctx.tls) throw new Error('--ircs needs --tls-cert and --tls-key');
        tlsOptions = ctx.tls;
      }
      const kind = w.tls ? 'tls' : 'tcp';
      const listener = await listenTcp({
        host: w.host,
        port: w.port,
        ...(tlsOptions ? { tls: tlsOptions } : {}),
        gate: ctx.gate,
        // Client certificates for SASL EXTERNAL, when accounts can hold one.
        requestCert: w.tls && ctx.identity.certs !== undefined,
        handshakeTimeoutMs: config.limits.handshakeTimeoutSecs * 1000,
        door: w.name,
        // A client's FIN leaves our side open while what it sent before is handled (IrcSession.peerEnded).
        allowHalfOpen: !w.tls,
        logger: ctx.logger,
        messages: tcpLogMessages(config.lang, w.name),
        keepAliveMs: config.limits.keepAliveSecs * 1000,
        onConnection: (socket) => {
          logConnection(ctx.logger, config.lang, w.tls ? 'ircs' : 'irc', socket);
          new TcpIrcTransport(socket, kind, ctx, sessions, listener);
        },
        onRefused: (socket, reason) => {
          const why = reason === 'perIp' ? 'Too many connections from your IP address' : 'Server is full';
          refuseSocket(socket, `ERROR :Closing Link: ${socket.remoteAddress ?? '?'} (${why})\r\n`);
        },
        onError: (err) => ctx.logger.error({ err }, logText(config.lang, 'server.log.listenerError', { door: w.name })),
      });
      listeners.push(listener);
      addresses.push({ name: w.name, host: listener.host, port: listener.port, tls: w.tls });
    }
  } catch (err) {
    await Promise.all(listeners.map((l) => l.close()));
    throw err;
  }
  return {
    addresses,
    close: async (reason: string) => {
      const closing = Promise.all(listeners.map((l) => l.close()));
      for (const s of [...sessions]) s.disconnect(reason);
      ctx.outboxes.flushAll();
      await closing;
    },
  };
}
