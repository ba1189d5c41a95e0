import type { Duplex } from 'node:stream';
import WebSocket from 'ws';
import type { OutboxTarget } from '../../transports/outbox.js';

/**
 * Lets the shared {@link Outbox} (one write per recipient per turn, bounded send queue) write to a
 * WebSocket. What the outbox holds are whole WebSocket frames (codec/ws-frame.ts), each message framed
 * once and shared among its recipients, so a batch goes to the TCP socket as it is: one write, no
 * framing per recipient. This is safe beside `ws`'s own sender (pings, close frames) because the web
 * doors turn permessage-deflate off: `ws` then writes each of its frames whole and at once, never
 * queued, so frames never interleave.
 */
export function wsOutboxTarget(ws: WebSocket, socket: Duplex): OutboxTarget {
  // `socket` is the one the upgrade handed over (ws's own field for it is private).
  return {
    write(data: Buffer): boolean {
      if (ws.readyState !== WebSocket.OPEN) return false;
      return socket.write(data);
    },
    cork: () => socket.cork(),
    uncork: () => socket.uncork(),
    get writableLength() {
      return ws.bufferedAmount;
    },
    get destroyed() {
      return ws.readyState !== WebSocket.OPEN;
    },
  };
}
