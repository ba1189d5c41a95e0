import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';
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

/** Pings every client of `wss`; one that answered neither the previous ping nor sent anything is dead. */
export class Heartbeat {
  readonly #alive = new WeakMap<WebSocket, boolean>();
  readonly #timer: NodeJS.Timeout;

  constructor(wss: WebSocketServer, intervalMs: number) {
    this.#timer = setInterval(() => {
      for (const ws of wss.clients) {
        if (!this.#alive.get(ws)) {
          ws.terminate();
          continue;
        }
        this.#alive.set(ws, false);
        ws.ping();
      }
    }, intervalMs);
    this.#timer.unref();
  }

  watch(ws: WebSocket): void {
    this.#alive.set(ws, true);
    ws.on('pong', () => this.#alive.set(ws, true));
    ws.on('message', () => this.#alive.set(ws, true));
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
