import type { Socket } from 'node:net';
import WebSocket from 'ws';
import type { OutboxTarget } from '../../transports/outbox.js';

/**
 * Lets the shared {@link Outbox} (one write per recipient per turn, bounded send queue) write to a
 * WebSocket. The outbox hands over whole records joined together; each record becomes one WebSocket
 * message: JSON texts end in LF (JSON.stringify never emits a raw LF), IRC lines in CRLF (removed, as
 * the IRCv3 WebSocket transport wants).
 */
export function wsOutboxTarget(
  ws: WebSocket,
  framing: 'json' | 'irc',
  binary: boolean,
  onBytes: (n: number) => void,
): OutboxTarget {
  const socket = (ws as unknown as { _socket?: Socket })._socket;
  return {
    write(data: Buffer): boolean {
      if (ws.readyState !== WebSocket.OPEN) return false;
      let start = 0;
      while (start < data.length) {
        let end = data.indexOf(10, start);
        if (end === -1) end = data.length;
        let stop = end;
        if (framing === 'irc' && stop > start && data[stop - 1] === 13) stop--;
        if (stop > start) {
          ws.send(data.subarray(start, stop), { binary });
          onBytes(stop - start);
        }
        start = end + 1;
      }
      return true;
    },
    cork: () => socket?.cork(),
    uncork: () => socket?.uncork(),
    get writableLength() {
      return ws.bufferedAmount;
    },
    get destroyed() {
      return ws.readyState !== WebSocket.OPEN;
    },
  };
}
