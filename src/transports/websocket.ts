import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import {
  frameClose,
  frameControl,
  OPCODE_PING,
  OPCODE_PONG,
  WsFrameReader,
  type WsFrameSink,
} from '../codec/ws-frame.js';
import { attachSocket, endSocket, type SocketOwner, type Sweep, type Sweepable } from './connection.js';
import type { OutboxTarget } from './outbox.js';

/** RFC 6455 §1.3: the key's answer is SHA-1 of the key and this GUID, in base64. */
const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
/** A key is 16 random bytes in base64 (RFC 6455 §4.1). */
const KEY = /^[+/0-9A-Za-z]{21}[AQgw]==$/;

/** What a WebSocket's user (a session) is told. */
export interface WsOwner {
  /** One whole message (text is valid UTF-8). */
  wsMessage(data: Buffer, binary: boolean): void;
  /** The connection is gone (either side closed it, or it was cut). Called once. */
  wsClosed(): void;
}

/** Why a handshake is refused: the status and its reason phrase. */
export interface UpgradeRefusal {
  status: number;
  reason: string;
  /** Extra response headers (426 names the version spoken). */
  headers?: Record<string, string>;
}

/** Checks a WebSocket upgrade request (RFC 6455 §4.2.1); undefined when it may be accepted. */
export function checkUpgrade(req: IncomingMessage): UpgradeRefusal | undefined {
  if (req.method !== 'GET') return { status: 405, reason: 'Method Not Allowed' };
  if (!/(^|,)\s*websocket\s*($|,)/i.test(req.headers.upgrade ?? '')) return { status: 400, reason: 'Bad Request' };
  if (req.headers['sec-websocket-version'] !== '13')
    return { status: 426, reason: 'Upgrade Required', headers: { 'Sec-WebSocket-Version': '13' } };
  if (!KEY.test(req.headers['sec-websocket-key'] ?? '')) return { status: 400, reason: 'Bad Request' };
  return undefined;
}

/** What every WebSocket of a door shares (one object, not a copy per connection). */
export interface WsShared {
  /** Largest message accepted (all fragments): a bigger one is closed with 1009. */
  maxPayload: number;
  /**
   * The heartbeat: every connection is pinged once a period; one that stayed silent since is cut. Its
   * members are the door's open connections (closed ones leave by themselves): one set, not two.
   */
  heartbeat: Sweep<WsConnection>;
}

/**
 * A server WebSocket over the socket an HTTP upgrade handed over (RFC 6455), written for the web doors
 * instead of `ws`'s WebSocket: an idle connection here is this object, its reader and the socket (about
 * 4 KiB less per idle client than `ws`, measured in bench scenario 3), and the doors already write their
 * own frames (codec/ws-frame.ts), each message framed once for all its readers. It is the outbox's
 * target too: a batch of frames is one socket write.
 *
 * Closing: `close` sends a close frame and ends the socket (the peer's answering close frame is read and
 * ends it at once; a peer that never answers is cut after the goodbye deadline); `condemn` does the same
 * but reads nothing more and cuts after the short deadline; a protocol error condemns with its code.
 */
export class WsConnection implements SocketOwner, WsFrameSink, OutboxTarget, Sweepable {
  owner: WsOwner | undefined;
  readonly #reader: WsFrameReader;
  #state: 'open' | 'closing' | 'closed' = 'open';
  /** Heard from since the last ping. */
  #alive = true;

  constructor(
    readonly socket: Duplex,
    readonly shared: WsShared,
  ) {
    this.#reader = new WsFrameReader(shared.maxPayload);
    shared.heartbeat.add(this);
    attachSocket(socket, this);
  }

  /**
   * Answers an upgrade request that passed {@link checkUpgrade}: 101 with the key's answer and the chosen
   * subprotocol, then frames. `head` is what the client sent after its headers.
   */
  static accept(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    subprotocol: string | undefined,
    shared: WsShared,
  ): WsConnection {
    const accept = createHash('sha1')
      .update(req.headers['sec-websocket-key'] + WS_GUID)
      .digest('base64');
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        `Sec-WebSocket-Accept: ${accept}\r\n` +
        (subprotocol ? `Sec-WebSocket-Protocol: ${subprotocol}\r\n` : '') +
        '\r\n',
    );
    (socket as Socket).setTimeout?.(0); // the HTTP server's deadlines are over
    const ws = new WsConnection(socket, shared);
    if (head.length > 0) ws.socketData(head);
    return ws;
  }

  get isOpen(): boolean {
    return this.#state === 'open';
  }

  // ---- the outbox's target ---------------------------------------------------------------------------

  write(data: Buffer): boolean {
    if (this.#state !== 'open') return false;
    return this.socket.write(data);
  }

  cork(): void {
    this.socket.cork();
  }

  uncork(): void {
    this.socket.uncork();
  }

  get writableLength(): number {
    return this.socket.writableLength;
  }

  get destroyed(): boolean {
    return this.#state !== 'open';
  }

  // ---- closing ---------------------------------------------------------------------------------------

  /** Sends a close frame with `code` and `reason`, then ends the connection. */
  close(code = 1000, reason = ''): void {
    if (this.#state !== 'open') return;
    this.#state = 'closing';
    this.socket.write(frameClose(code, reason));
    endSocket(this.socket, false);
  }

  /** The peer broke a limit: its close frame goes out, nothing more is read, the socket is cut soon. */
  condemn(code: number, reason = ''): void {
    this.#reader.stop();
    if (this.#state === 'open') {
      this.#state = 'closing';
      this.socket.write(frameClose(code, reason));
    }
    endSocket(this.socket, true);
  }

  /** Cuts the connection without a closing handshake. */
  terminate(): void {
    this.socket.destroy();
  }

  // ---- the socket --------------------------------------------------------------------------------------

  socketData(chunk: Buffer): void {
    this.#reader.push(chunk, this);
  }

  socketEnd(): void {
    // The HTTP server's sockets allow half-open connections: a peer that finished is answered with FIN.
    this.#reader.stop();
    if (this.#state === 'open') this.#state = 'closing';
    endSocket(this.socket, false);
  }

  socketClosed(): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#reader.stop();
    this.shared.heartbeat.delete(this);
    this.owner?.wsClosed();
  }

  // ---- frames --------------------------------------------------------------------------------------

  wsMessage(data: Buffer, binary: boolean): void {
    this.#alive = true;
    if (this.#state === 'open') this.owner?.wsMessage(data, binary);
  }

  wsPing(payload: Buffer): void {
    this.#alive = true;
    if (this.#state === 'open') this.socket.write(frameControl(OPCODE_PONG, payload));
  }

  wsPong(): void {
    this.#alive = true;
  }

  wsCloseFrame(code: number): void {
    if (this.#state === 'open') {
      // Answered with the same code (RFC 6455 §5.5.1), then the TCP connection is ours to end.
      this.#state = 'closing';
      this.socket.write(code === 1005 ? frameControl(0x8) : frameClose(code));
    }
    endSocket(this.socket, false);
  }

  wsProtocolError(code: number, reason: string): void {
    this.condemn(code, reason);
  }

  /** The heartbeat: silent since the last ping means gone (a dead peer never says so). */
  sweep(): void {
    if (this.#state !== 'open') return;
    if (!this.#alive) {
      this.terminate();
      return;
    }
    this.#alive = false;
    this.socket.write(frameControl(OPCODE_PING));
  }
}
