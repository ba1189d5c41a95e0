import { logConnection, logText, tcpLogMessages } from '../connection-log.js';
import type { Socket } from 'node:net';
import { translator } from '../../i18n/index.js';
import { listenTcp } from '../../transports/tcp.js';
import { refuseSocket } from '../../transports/connection.js';
import type { DoorContext, RunningDoor } from '../door.js';
import { LineSession } from './session.js';

/**
 * The line door: the tutorial's chat protocol over TCP (default port 5000). Null when `--line off`.
 */
export async function startLineDoor(ctx: DoorContext): Promise<RunningDoor | null> {
  const listen = ctx.config.line;
  if (!listen) return null;
  const sessions = new Set<LineSession>();
  const counters = ctx.stats.door('line');
  // What a session calls when it ends (one object for the door, not a closure per connection).
  const lineSessions = {
    delete(s: LineSession) {
      if (sessions.delete(s)) counters.connections--;
    },
    holdSlot(socket: Socket) {
      return listener.holdSlot(socket);
    },
  };
  const refuse = (socket: Socket, reason: 'total' | 'perIp') => {
    const tr = translator(ctx.config.lang);
    refuseSocket(socket, tr(reason === 'total' ? 'chat.limit.total' : 'chat.limit.perIp') + '\n');
  };
  const listener = await listenTcp({
    host: listen.host,
    port: listen.port,
    gate: ctx.gate,
    door: 'line',
    // `printf 'ana\nhi\n' | nc -N …`: what was sent before the FIN is still handled (at the flood
    // rate) and answered; the session ends the socket when its queue is done (LineSession.#peerEnded).
    allowHalfOpen: true,
    logger: ctx.logger,
    messages: tcpLogMessages(ctx.config.lang, 'line'),
    keepAliveMs: ctx.config.limits.keepAliveSecs * 1000,
    onConnection: (socket) => {
      counters.connections++;
      logConnection(ctx.logger, ctx.config.lang, 'line', socket);
      sessions.add(new LineSession(ctx, socket, lineSessions));
    },
    onRefused: refuse,
    onError: (err) =>
      ctx.logger.error({ err, door: 'line' }, logText(ctx.config.lang, 'server.log.listenerError', { door: 'line' })),
  });
  return {
    addresses: [{ name: 'line', host: listener.host, port: listener.port, tls: false }],
    async close(reason) {
      const closing = listener.close();
      for (const s of [...sessions]) {
        s.sendLine(s.tr('chat.shutdown', { reason }));
        s.close(reason);
      }
      await closing;
    },
  };
}
