import type { Duplex } from 'node:stream';
import type WebSocket from 'ws';
import { CONDEMNED_DEADLINE_MS } from './connection.js';

const condemned = new WeakSet<WebSocket>();

/**
 * A WebSocket whose peer broke a limit (a message over the maximum: close 1009, flood, bad frames): its
 * close frame is on its way; read nothing more and cut the connection after a short deadline instead of
 * waiting up to ws's 30 s for the peer's close frame while reading whatever it still sends.
 */
export function condemnWebSocket(ws: WebSocket, socket: Duplex): void {
  if (condemned.has(ws)) return;
  condemned.add(ws);
  socket.pause();
  // On a protocol error ws resumes the socket on the next tick (to find the peer's close frame).
  setImmediate(() => {
    socket.removeAllListeners('data');
    socket.pause();
  });
  setTimeout(() => ws.terminate(), CONDEMNED_DEADLINE_MS).unref();
}
