import { RPL } from '../../../codec/irc/numerics.js';
import { nickKey } from '../../../core/names.js';
import { t, type Params } from '../../../i18n/index.js';
import { loggedIn } from '../sasl.js';
import type { IrcSession } from '../session.js';
import { cert } from './nickserv-cert.js';
import { ghost } from './nickserv-ghost.js';

/**
 * A built-in NickServ, for the clients and people who expect one (`/msg NickServ IDENTIFY …`):
 * REGISTER, IDENTIFY, INFO, SET PASSWORD, DROP, LOGOUT, GHOST, RECOVER, CERT, HELP. `PRIVMSG NickServ` never reaches the hub
 * (a person who took the nickname `NickServ` on another door gets none of these passwords).
 */
export const NICKSERV = 'NickServ';
const SOURCE = 'NickServ!NickServ@services.tomada';

export function isNickServ(target: string | undefined): boolean {
  return target !== undefined && nickKey(target) === nickKey(NICKSERV);
}

export function say(s: IrcSession, key: string, params?: Params): void {
  s.send({ tags: {}, source: SOURCE, command: 'NOTICE', params: [s.nick, t(s.ctx.config.lang, key, params)] });
}

const secs = (ms: number) => Math.ceil(ms / 1000);
const when = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

async function register(s: IrcSession, password: string | undefined): Promise<void> {
  const me = s.me;
  if (!password) return say(s, 'accounts.ns.usage', { usage: 'REGISTER PASSWORD' });
  if (me.account !== undefined) return say(s, 'accounts.ns.alreadyIn', { account: me.account });
  const r = await s.ctx.identity.register(me.nick, password, s.host);
  if (s.isClosed) return;
  if (r.ok) {
    say(s, 'accounts.ns.registered', { nick: r.account.name });
    return loggedIn(s, r.account);
  }
  switch (r.reason) {
    case 'EXISTS':
      return say(s, 'accounts.ns.exists', { nick: me.nick });
    case 'CLOSED':
      return say(s, 'accounts.line.closed');
    case 'THROTTLED':
      return say(s, 'accounts.line.slowDown', { secs: secs(r.retryAfterMs) });
    case 'BAD_PASSWORD':
      return say(s, `accounts.password.${r.problem}`);
  }
}

async function identify(s: IrcSession, args: string[]): Promise<void> {
  const me = s.me;
  const [name, password] = args.length >= 2 ? [args[0]!, args.slice(1).join(' ')] : [me.nick, args[0]];
  if (!password) return say(s, 'accounts.ns.usage', { usage: 'IDENTIFY [ACCOUNT] PASSWORD' });
  if (me.account !== undefined) return say(s, 'accounts.ns.alreadyIn', { account: me.account });
  const r = await s.ctx.identity.login(name, password, s.host);
  if (s.isClosed) return;
  if (r.ok) return loggedIn(s, r.account);
  if (r.reason === 'THROTTLED') return say(s, 'accounts.line.throttled', { secs: secs(r.retryAfterMs) });
  say(s, 'accounts.line.badLogin');
}

async function info(s: IrcSession, name: string): Promise<void> {
  const a = await s.ctx.identity.store.get(name);
  if (s.isClosed) return;
  if (!a) return say(s, 'accounts.ns.noSuch', { nick: name });
  const online = [...s.ctx.hub.users()].some((u) => u.account !== undefined && nickKey(u.account) === a.key);
  say(s, 'accounts.ns.info', { nick: a.name, created: when(a.createdAt), online: online ? 'yes' : 'no' });
}

async function setPassword(s: IrcSession, password: string | undefined): Promise<void> {
  const account = s.me.account;
  if (account === undefined) return say(s, 'accounts.ns.notIn');
  if (!password) return say(s, 'accounts.ns.usage', { usage: 'SET PASSWORD NEWPASSWORD' });
  const problem = await s.ctx.identity.changePassword(account, password);
  if (s.isClosed) return;
  if (problem === 'NO_ACCOUNT') return say(s, 'accounts.ns.noSuch', { nick: account });
  if (problem) return say(s, `accounts.password.${problem}`);
  say(s, 'accounts.ns.passwordChanged', { account });
}

function loggedOut(s: IrcSession): void {
  s.ctx.hub.setAccount(s.me, undefined);
  s.reply(RPL.LOGGEDOUT, s.me.mask, 'You are now logged out');
}

async function drop(s: IrcSession, password: string | undefined): Promise<void> {
  const account = s.me.account;
  if (account === undefined) return say(s, 'accounts.ns.notIn');
  if (!password) return say(s, 'accounts.ns.usage', { usage: 'DROP PASSWORD' });
  // The password again: a session left open must not be enough to lose the account.
  const r = await s.ctx.identity.login(account, password, s.host);
  if (s.isClosed) return;
  if (!r.ok) return say(s, 'accounts.line.badLogin');
  await s.ctx.identity.drop(account);
  await s.ctx.rooms?.forgetFounder(account);
  if (s.isClosed) return;
  say(s, 'accounts.ns.dropped', { account });
  for (const u of [...s.ctx.hub.users()]) {
    if (u === s.me || u.account === undefined || nickKey(u.account) !== nickKey(account)) continue;
    s.ctx.hub.setAccount(u, undefined);
  }
  loggedOut(s);
}

/** One line to NickServ: the command and its words (a password may not hold spaces at the end). */
export function nickserv(s: IrcSession, text: string | undefined): void | Promise<void> {
  const words = (text ?? '')
    .trim()
    .split(/\s+/)
    .filter((w) => w !== '');
  const command = (words[0] ?? 'HELP').toUpperCase();
  const args = words.slice(1);
  switch (command) {
    case 'REGISTER':
      return register(s, args[0]);
    case 'IDENTIFY':
    case 'LOGIN':
      return identify(s, args);
    case 'INFO':
      return info(s, args[0] ?? s.me.account ?? s.me.nick);
    case 'SET':
      if (args[0]?.toUpperCase() === 'PASSWORD') return setPassword(s, args[1]);
      return say(s, 'accounts.ns.usage', { usage: 'SET PASSWORD NEWPASSWORD' });
    case 'DROP':
      return drop(s, args[0]);
    case 'LOGOUT':
      if (s.me.account === undefined) return say(s, 'accounts.ns.notIn');
      return loggedOut(s);
    case 'GHOST':
    case 'RECOVER':
      return ghost(s, command, args);
    case 'CERT':
      return cert(s, args);
    case 'HELP':
      say(s, 'accounts.ns.help');
      return say(s, 'services.ns.help');
    default:
      return say(s, 'accounts.ns.unknown', { command });
  }
}
