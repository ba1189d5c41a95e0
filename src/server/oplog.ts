import type { Logger } from 'pino';
import type { Hub } from '../core/hub.js';
import { translator, type Lang } from '../i18n/index.js';
import type { DoorAddress } from './door.js';

/**
 * Logs the hub's registrations, nick changes, joins, parts and quits at `info`, as the tutorial's server
 * prints each connection and nickname. The hub knows no logger (it is the domain, below the server): it
 * tells an observer.
 */
export function logHub(hub: Hub, logger: Logger, lang: Lang): void {
  if (!logger.isLevelEnabled('info')) return;
  const tr = translator(lang);
  hub.observe({
    registered: (user) =>
      logger.info(
        { door: user.sink.door, nick: user.nick, host: user.host },
        tr('server.log.nick', { nick: user.nick, door: user.sink.door, host: user.host }),
      ),
    nickChanged: (user, old) =>
      logger.info({ old, nick: user.nick }, tr('server.log.nickChange', { old, nick: user.nick })),
    joined: (user, room) =>
      logger.info({ nick: user.nick, room: room.name }, tr('server.log.join', { nick: user.nick, room: room.name })),
    parted: (user, room) =>
      logger.info({ nick: user.nick, room: room.name }, tr('server.log.part', { nick: user.nick, room: room.name })),
    quit: (user, reason) =>
      logger.info({ nick: user.nick, reason }, tr('server.log.quit', { nick: user.nick, reason })),
  });
}

/** Where a person opens the web chat: `localhost` for a loopback or any-address listener. */
export function webAddress(a: DoorAddress): string {
  const local = ['127.0.0.1', '::1', '0.0.0.0', '::', 'localhost'].includes(a.host);
  const host = local ? 'localhost' : a.host.includes(':') ? `[${a.host}]` : a.host;
  return `${a.tls ? 'https' : 'http'}://${host}:${a.port}/`;
}
