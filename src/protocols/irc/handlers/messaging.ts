import type { IrcMessage } from '../../../codec/irc/message.js';
import { ERR, RPL } from '../../../codec/irc/numerics.js';
import { REALNAME_MAX } from '../../../core/names.js';
import { chatMessageToIrc } from '../serialize-events.js';
import type { IrcSession } from '../session.js';
import { list, type CommandTable } from './types.js';
import { isNickServ, nickserv } from './nickserv.js';

// eslint-disable-next-line no-control-regex -- CTCP is delimited by \x01 (CTCP spec).
const ACTION = /^\x01ACTION ?([^\x01]*)\x01?$/;

function privmsg(s: IrcSession, msg: IrcMessage): void {
  const notice = msg.command === 'NOTICE';
  const targets = list(msg.params[0]);
  if (targets.length === 0) {
    if (!notice) s.reply(ERR.NORECIPIENT, `No recipient given (${msg.command})`);
    return;
  }
  const raw = msg.params[1];
  if (raw === undefined || raw === '') {
    if (!notice) s.reply(ERR.NOTEXTTOSEND, 'No text to send');
    return;
  }
  const action = !notice ? ACTION.exec(raw) : null;
  const kind = notice ? 'notice' : action ? 'action' : 'message';
  const text = action ? action[1]! : raw;
  const { hub } = s.ctx;
  for (const target of targets.slice(0, 4)) {
    try {
      const sent = hub.message(s.me, target, text, kind);
      // To oneself: the hub delivers nothing (sender = recipient), so the recipient's copy is sent here,
      // before the echo; under labeled-response both go in the one labeled batch.
      const toSelf = sent.private && hub.findUser(target) === s.me;
      if (toSelf) s.send(chatMessageToIrc(sent));
      if (s.caps.has('echo-message')) s.send({ ...chatMessageToIrc(sent), source: s.me.mask });
      if (sent.private && !notice) {
        const to = hub.findUser(target);
        if (to?.away !== undefined) s.reply(RPL.AWAY, to.nick, to.away);
      }
    } catch (err) {
      s.hubError(err, msg.command);
    }
  }
}

/**
 * message-tags: client-only tags are not relayed (`CLIENTTAGDENY=*`; the hub has no place for them), so a
 * TAGMSG goes to no one; the target is still checked, and echo-message echoes it (labeled when asked).
 */
function tagmsg(s: IrcSession, msg: IrcMessage): void {
  const { hub } = s.ctx;
  for (const target of list(msg.params[0]).slice(0, 4)) {
    if (target.startsWith('#')) {
      const room = hub.findRoom(target);
      if (!room) {
        s.reply(ERR.NOSUCHCHANNEL, target, 'No such channel');
        continue;
      }
      if (!room.canSpeak(s.me) || room.isBanned(s.me)) {
        s.reply(ERR.CANNOTSENDTOCHAN, room.name, 'Cannot send to channel');
        continue;
      }
    } else if (!hub.findUser(target)) {
      s.reply(ERR.NOSUCHNICK, target, 'No such nick/channel');
      continue;
    }
    if (s.caps.has('echo-message')) {
      s.send({ tags: { time: new Date().toISOString() }, source: s.me.mask, command: 'TAGMSG', params: [target] });
    }
  }
}

export const messaging: CommandTable = {
  PRIVMSG: {
    min: 0,
    registered: true,
    handle: (s, m) => (isNickServ(m.params[0]) ? nickserv(s, m.params[1]) : privmsg(s, m)),
  },
  NOTICE: { min: 0, registered: true, handle: privmsg },
  TAGMSG: { min: 1, registered: true, handle: tagmsg },
  AWAY: {
    min: 0,
    registered: true,
    handle: (s, m) => {
      const text = (m.params[0] ?? '').slice(0, 200);
      s.ctx.hub.setAway(s.me, text === '' ? undefined : text);
      if (text === '') s.reply(RPL.UNAWAY, 'You are no longer marked as being away');
      else s.reply(RPL.NOWAWAY, 'You have been marked as being away');
    },
  },
  SETNAME: {
    min: 1,
    registered: true,
    handle: (s, m) => {
      const name = m.params[0]!;
      if (name === '' || name.length > REALNAME_MAX) {
        s.fromServer('FAIL', 'SETNAME', 'INVALID_REALNAME', 'Realname is not valid');
        return;
      }
      s.ctx.hub.setRealname(s.me, name);
    },
  },
};
