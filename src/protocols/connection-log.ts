import type { Logger } from 'pino';
import { translator, type Lang } from '../i18n/index.js';
import type { TcpLogMessages } from '../transports/tcp.js';

/**
 * What an operator watches at `info`, as the tutorial's server prints "Conexão estabelecida com …" and
 * "Apelido do cliente: …": connections, nicknames, joins, leaves; in the server's language. Nothing here
 * is on the fan-out path (one line per connection or membership change, never per message).
 */
export function logConnection(
  logger: Logger,
  lang: Lang,
  door: string,
  socket: { remoteAddress?: string; remotePort?: number },
): void {
  if (!logger.isLevelEnabled('info')) return;
  const ip = socket.remoteAddress ?? '?';
  const port = socket.remotePort ?? 0;
  logger.info({ door, ip, port }, translator(lang)('server.log.connection', { door, ip, port }));
}

/** The TCP listener's log lines, in the server's language. */
export function tcpLogMessages(lang: Lang, door: string): TcpLogMessages {
  const tr = translator(lang);
  return {
    refused: (count, reason) => tr('server.log.refused', { door, count, reason }),
    outOfFds: () => tr('server.log.outOfFds', { door }),
  };
}

/** One operator log line's text, in the server's language (error paths: not worth caching). */
export function logText(lang: Lang, key: string, params?: Record<string, string | number>): string {
  return translator(lang)(key, params);
}
