import { nickKey } from '../../../core/names.js';
import { t, type Params } from '../../../i18n/index.js';
import type { IrcSession } from '../session.js';

/**
 * A built-in ChanServ for rooms with an owner: `REGISTER #room` (a logged-in operator of the room
 * becomes its founder), `INFO #room`, `DROP #room` (its founder or a server operator), `HELP`. The
 * rules are the core's {@link RoomRegistry}; `PRIVMSG ChanServ` never reaches the hub.
 */
export const CHANSERV = 'ChanServ';
const SOURCE = 'ChanServ!ChanServ@services.tomada';

export function isChanServ(target: string | undefined): boolean {
  return target !== undefined && nickKey(target) === nickKey(CHANSERV);
}

function say(s: IrcSession, key: string, params?: Params): void {
  s.send({ tags: {}, source: SOURCE, command: 'NOTICE', params: [s.nick, t(s.ctx.config.lang, key, params)] });
}

const when = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

async function register(s: IrcSession, name: string): Promise<void> {
  const r = await s.ctx.rooms!.register(s.me, name);
  if (s.isClosed) return;
  const room = s.ctx.hub.findRoom(name)?.name ?? name;
  switch (r) {
    case 'REGISTERED':
      return say(s, 'services.cs.registered', { room, account: s.me.account ?? '' });
    case 'NOT_LOGGED_IN':
      return say(s, 'services.cs.loginFirst');
    case 'NOT_IN_ROOM':
      return say(s, 'services.cs.notIn', { room });
    case 'NOT_OP':
      return say(s, 'services.cs.notOp', { room });
    case 'EXISTS':
      return say(s, 'services.cs.exists', { room });
  }
}

async function info(s: IrcSession, name: string): Promise<void> {
  const r = await s.ctx.rooms!.info(name);
  if (s.isClosed) return;
  if (!r) return say(s, 'services.cs.notRegistered', { room: name });
  say(s, 'services.cs.info', { room: r.name, founder: r.founder, registered: when(r.registeredAt) });
}

async function drop(s: IrcSession, name: string): Promise<void> {
  const r = await s.ctx.rooms!.drop(s.me, name);
  if (s.isClosed) return;
  if (r === 'NOT_REGISTERED') return say(s, 'services.cs.notRegistered', { room: name });
  if (r === 'NOT_FOUNDER') return say(s, 'services.cs.notFounder', { room: name });
  say(s, 'services.cs.dropped', { room: name });
}

/** One line to ChanServ: the command, then a room name. */
export function chanserv(s: IrcSession, text: string | undefined): void | Promise<void> {
  const words = (text ?? '')
    .trim()
    .split(/\s+/)
    .filter((w) => w !== '');
  const command = (words[0] ?? 'HELP').toUpperCase();
  const room = words[1];
  if (command === 'HELP') return say(s, 'services.cs.help');
  if (!s.ctx.rooms) return say(s, 'services.cs.unavailable');
  if (!['REGISTER', 'INFO', 'DROP'].includes(command)) return say(s, 'services.cs.unknown', { command });
  if (!room?.startsWith('#')) return say(s, 'services.cs.usage', { usage: `${command} #ROOM` });
  if (command === 'REGISTER') return register(s, room);
  if (command === 'INFO') return info(s, room);
  return drop(s, room);
}
