import { ERR, RPL } from '../../../codec/irc/numerics.js';
import { sameSecret } from '../../../core/accounts.js';
import { cleanParam } from '../../../codec/irc/message.js';
import type { IrcMessage } from '../../../codec/irc/message.js';
import type { IrcSession } from '../session.js';
import type { CommandTable } from './types.js';

/**
 * WALLOPS (modern.ircdocs.horse): an IRC operator's message to every user with user mode +w (the IRC
 * door's sessions on this node; other doors have no such mode).
 */
function wallops(s: IrcSession, text: string): void {
  const me = s.me;
  if (!me.oper) {
    s.reply(ERR.NOPRIVILEGES, "Permission Denied- You're not an IRC operator");
    return;
  }
  const msg: IrcMessage = { tags: {}, source: me.mask, command: 'WALLOPS', params: [cleanParam(text)] };
  for (const u of s.ctx.hub.users()) {
    // Every sink of the IRC door (TCP, TLS, WebSocket) is an IrcSession.
    if (u.sink.door !== 'irc') continue;
    const session = u.sink as IrcSession;
    if (session.wallops) session.send(msg);
  }
}

export const oper: CommandTable = {
  OPER: {
    min: 2,
    registered: true,
    handle: (s, m) => {
      const [name, password] = [m.params[0]!, m.params[1]!];
      const entry = s.ctx.config.opers.find((o) => o.slice(0, o.indexOf(':')) === name);
      if (!entry) {
        s.reply(ERR.NOOPERHOST, 'No O-lines for your host');
        return;
      }
      if (!sameSecret(entry.slice(entry.indexOf(':') + 1), password)) {
        s.reply(ERR.PASSWDMISMATCH, 'Password incorrect');
        return;
      }
      const me = s.me;
      if (!me.oper) {
        me.oper = true;
        s.send({ tags: {}, source: me.mask, command: 'MODE', params: [me.nick, '+o'] });
      }
      s.reply(RPL.YOUREOPER, 'You are now an IRC operator');
    },
  },
  WALLOPS: { min: 1, registered: true, handle: (s, m) => wallops(s, m.params[0]!) },
  KILL: {
    min: 2,
    registered: true,
    handle: (s, m) => {
      const me = s.me;
      if (!me.oper) {
        s.reply(ERR.NOPRIVILEGES, "Permission Denied- You're not an IRC operator");
        return;
      }
      const target = s.ctx.hub.findUser(m.params[0]!);
      if (!target) {
        s.reply(ERR.NOSUCHNICK, m.params[0]!, 'No such nick/channel');
        return;
      }
      s.ctx.hub.kill(me, target, m.params[1]!);
    },
  },
};
