import type { AccountInfo } from '../../core/identity.js';
import type { LineSession } from './session.js';

type Handler = (s: LineSession, args: string) => void | Promise<void>;

function usage(s: LineSession, text: string): void {
  s.sendLine(s.tr('chat.usage', { usage: text }));
}

const secs = (ms: number) => Math.ceil(ms / 1000);

/** Logged in: the account on the user (the hub tells the others), and one line. */
export function lineLoggedIn(s: LineSession, account: AccountInfo): void {
  s.ctx.hub.setAccount(s.user!, account);
  s.sendLine(s.tr('accounts.line.loggedIn', { account: account.name }));
}

/** `/register #room`: the room gets an owner (see {@link RoomRegistry}): the person, logged in and its operator. */
async function registerRoom(s: LineSession, name: string): Promise<void> {
  const rooms = s.ctx.rooms;
  if (!rooms) return s.sendLine(`! ${s.tr('services.cs.unavailable')}`);
  const r = await rooms.register(s.user!, name);
  if (s.closed) return;
  const room = s.ctx.hub.findRoom(name)?.name ?? name;
  switch (r) {
    case 'REGISTERED':
      return s.sendLine(`* ${s.tr('services.cs.registered', { room, account: s.user!.account ?? '' })}`);
    case 'NOT_LOGGED_IN':
      return s.sendLine(s.tr('accounts.line.loginFirst'));
    case 'NOT_IN_ROOM':
      return s.sendLine(`! ${s.tr('services.cs.notIn', { room })}`);
    case 'NOT_OP':
      return s.sendLine(`! ${s.tr('services.cs.notOp', { room })}`);
    case 'EXISTS':
      return s.sendLine(`! ${s.tr('services.cs.exists', { room })}`);
  }
}

/**
 * `/register PASSWORD` (the current nickname becomes the person's account), `/register #room` (the room
 * gets an owner) and `/login PASSWORD` (to the account of the current nickname). The password is never
 * echoed nor logged.
 */
export const accountCommands: Record<string, Handler> = {
  register: async (s, args) => {
    const password = args.trim();
    if (!password) return usage(s, '/register PASSWORD | /register #ROOM');
    if (password.startsWith('#')) return registerRoom(s, password.split(/\s+/)[0]!);
    const user = s.user!;
    if (user.account !== undefined) return s.sendLine(s.tr('accounts.line.alreadyIn', { account: user.account }));
    const r = await s.ctx.identity.register(user.nick, password, s.ip);
    if (s.closed) return;
    if (r.ok) {
      s.ctx.hub.setAccount(user, r.account);
      s.sendLine(s.tr('accounts.line.registeredNow', { nick: r.account.name }));
      return;
    }
    switch (r.reason) {
      case 'EXISTS':
        return s.sendLine(s.tr('accounts.line.exists', { nick: user.nick }));
      case 'CLOSED':
        return s.sendLine(s.tr('accounts.line.closed'));
      case 'THROTTLED':
        return s.sendLine(s.tr('accounts.line.slowDown', { secs: secs(r.retryAfterMs) }));
      case 'BAD_PASSWORD':
        return s.sendLine(`! ${s.tr(`accounts.password.${r.problem}`)}`);
    }
  },

  login: async (s, args) => {
    const password = args.trim();
    if (!password) return usage(s, '/login PASSWORD');
    const user = s.user!;
    if (user.account !== undefined) return s.sendLine(s.tr('accounts.line.alreadyIn', { account: user.account }));
    const nick = user.nick;
    if (!(await s.ctx.identity.isRegistered(nick))) {
      if (!s.closed) s.sendLine(s.tr('accounts.line.notRegistered', { nick }));
      return;
    }
    const r = await s.ctx.identity.login(nick, password, s.ip);
    if (s.closed) return;
    if (r.ok) lineLoggedIn(s, r.account);
    else if (r.reason === 'THROTTLED') s.sendLine(s.tr('accounts.line.throttled', { secs: secs(r.retryAfterMs) }));
    else s.sendLine(s.tr('accounts.line.badLogin'));
  },
};
