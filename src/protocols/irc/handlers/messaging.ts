import type { IrcMessage } from '../../../codec/irc/message.js';
import { ERR, RPL } from '../../../codec/irc/numerics.js';
import { REALNAME_MAX } from '../../../core/names.js';
import { chatMessageToIrc } from '../serialize-events.js';
import type { IrcSession } from '../session.js';
import { list, type CommandTable } from './types.js';

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

export const messaging: CommandTable = {
  PRIVMSG: {
    min: 0,
    registered: true,
    handle: privmsg,
  },
  NOTICE: { min: 0, registered: true, handle: privmsg },
  /** message-tags: client-only tags are not relayed (the hub has no place for them); accepted quietly. */
  TAGMSG: { min: 1, registered: true, handle: () => undefined },
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
