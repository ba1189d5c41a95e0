import type { Logger } from 'pino';
import { translator, type Lang } from '../i18n/index.js';

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
