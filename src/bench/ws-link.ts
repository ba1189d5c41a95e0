/**
 * The WebSocket side of a bench client of the web door (its TCP connection is the client's socket):
 * the handshake, then frames decoded in place from the group's shared read buffer.
 */
import type { Client } from './client.js';
import { clientCloseFrame, clientPongFrame, HandshakeReader, WsFrameDecoder, type WsFrameSink } from './ws-wire.js';

const QUOTE = 0x22;

/**
 * Each message is one protocol message: a chat message's text is located with two byte searches and
 * checked in place (no JSON.parse, no string); other messages are parsed only while registering.
 */
export class WsLink implements WsFrameSink {
  /** Reading the handshake response (null once open). */
  handshake: HandshakeReader | null;
  readonly decoder = new WsFrameDecoder();
  /** Open: the handshake is done and no close frame was sent. */
  open = false;

  constructor(
    readonly client: Client,
    readonly key: string,
  ) {
    this.handshake = new HandshakeReader(key);
  }

  wsMessage(buf: Buffer, start: number, end: number): void {
    const c = this.client;
    const proto = c.group.proto;
    const at = proto.messageText!(buf, start, end);
    if (at >= 0) {
      // The text ends at the next quote: right after the payload when it is whole.
      let stop = at + c.scanner.size;
      if (stop >= end || buf[stop] !== QUOTE) {
        stop = buf.indexOf(QUOTE, at);
        if (stop === -1 || stop > end) stop = end;
      }
      c.scanner.scanLine(buf, at, stop, c);
      return;
    }
    if (c.registered && !proto.wantsAfterRegistration(buf, start, end)) return;
    proto.line(buf.toString('utf8', start, end), c.nick, c, c.registered);
  }

  wsPing(buf: Buffer, start: number, end: number): void {
    if (this.open) this.client.socket?.write(clientPongFrame(buf, start, end));
  }

  wsClose(code: number, reason: string): void {
    const c = this.client;
    // Answer the close (the same code, §5.5.1) and let the connection end.
    if (this.open) {
      this.open = false;
      c.socket?.end(clientCloseFrame(code === 1005 ? 1000 : code));
    }
    if (!c.registered) c.fail(`closed by the server (${code}${reason ? ` ${reason}` : ''})`);
  }

  /** Bad frames from the server: a failure while registering, a dropped connection after. */
  protocolError(reason: string): void {
    this.open = false;
    const c = this.client;
    if (!c.registered) c.fail(reason);
    else c.socket?.destroy();
  }
}
