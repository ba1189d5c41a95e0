import type { Logger } from 'pino';
import type { Hub } from '../core/hub.js';
import { translator, type Lang } from '../i18n/index.js';
import type { DoorAddress } from './door.js';

/**
 * Logs the hub's registrations, nick changes, joins, parts and quits. The hub knows no logger (it is
 * the domain, below the server): its methods are wrapped here, the one place every door goes through.
 */
export function logHub(hub: Hub, logger: Logger, lang: Lang): void {
  if (!logger.isLevelEnabled('info')) return;
  const tr = translator(lang);
  const register = hub.register.bind(hub);
  const changeNick = hub.changeNick.bind(hub);
  const join = hub.join.bind(hub);
  const part = hub.part.bind(hub);
  const quit = hub.quit.bind(hub);
  hub.register = (sink, init) => {
    const user = register(sink, init);
    logger.info(
      { door: sink.door, nick: user.nick, host: init.host },
      tr('server.log.nick', { nick: user.nick, door: sink.door, host: init.host }),
    );
    return user;
  };
  hub.changeNick = (user, nick) => {
    const old = user.nick;
    changeNick(user, nick);
    logger.info({ old, nick: user.nick }, tr('server.log.nickChange', { old, nick: user.nick }));
  };
  hub.join = (user, name, key) => {
    const room = join(user, name, key);
    logger.info({ nick: user.nick, room: room.name }, tr('server.log.join', { nick: user.nick, room: room.name }));
    return room;
  };
  hub.part = (user, name, reason) => {
    const room = part(user, name, reason);
    logger.info({ nick: user.nick, room: room.name }, tr('server.log.part', { nick: user.nick, room: room.name }));
    return room;
  };
  hub.quit = (user, reason) => {
    const present = hub.findUser(user.nick) === user;
    quit(user, reason);
    if (present) logger.info({ nick: user.nick, reason }, tr('server.log.quit', { nick: user.nick, reason }));
  };
}

/** Where a person opens the web chat: `localhost` for a loopback or any-address listener. */
export function webAddress(a: DoorAddress): string {
  const local = ['127.0.0.1', '::1', '0.0.0.0', '::', 'localhost'].includes(a.host);
  const host = local ? 'localhost' : a.host.includes(':') ? `[${a.host}]` : a.host;
  return `${a.tls ? 'https' : 'http'}://${host}:${a.port}/`;
}
