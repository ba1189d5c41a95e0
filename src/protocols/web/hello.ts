import { nickKey, NICK_MAX } from '../../core/names.js';
import type { Hub } from '../../core/hub.js';
import { parseLang } from '../../i18n/index.js';
import type { ClientMessage } from './json-protocol.js';
import type { JsonSession } from './json-session.js';

/**
 * `hello`: the page's nickname claimed in the hub, as a guest, with the server's password, or signed in
 * (the cookie's account); the session enters the chat (`welcome`) once the hub granted it.
 */
export async function hello(s: JsonSession, m: Extract<ClientMessage, { type: 'hello' }>): Promise<void> {
  const lang = parseLang(m.lang);
  if (lang) s.setLang(lang);
  let nick = m.nick.trim();
  const verdict = await s.ctx.accounts.authorise({
    nick,
    password: m.password,
    door: 'web',
    ip: s.remoteAddress,
  });
  if (s.closed) return;
  if (!verdict.ok) {
    s.refuse(verdict.reason);
    return;
  }
  // Signed in with the cookie (a revoked, expired or deleted one counts for nothing).
  const account = verdict.account ?? (await s.signIns?.account(s.signIn));
  if (s.closed) return;
  if (!account) s.signIn = undefined;
  // A reconnecting client takes its nickname back from the session it left behind (a dead socket the
  // heartbeat has not dropped yet, or a page being reloaded).
  if (m.resume) {
    const old = s.sessions.byToken.get(m.resume);
    if (old && old !== s && old.user && nickKey(old.user.nick) === nickKey(nick)) old.replaced();
  }
  // The same account in another tab or on another door already has the name: this one is `name2`…
  if (account) nick = freeNickOf(s.ctx.hub, account.name, nick);
  const user = await s.ctx.hub.register(s, {
    nick,
    username: 'web',
    host: s.remoteAddress,
    realname: nick,
    lang: s.lang,
    ...(account ? { account } : {}),
  });
  if (s.closed) {
    // The page went away while its nickname was being claimed: give the name back.
    s.ctx.hub.quit(user, 'Connection closed');
    return;
  }
  s.enterChat(user, m.ref);
}

/** `nick`, or when someone logged in to the same account holds it, the first of `nick2`…`nick9` that is free. */
function freeNickOf(hub: Hub, account: string, nick: string): string {
  const holder = hub.findUser(nick);
  if (!holder || holder.account === undefined || nickKey(holder.account) !== nickKey(account)) return nick;
  for (let i = 2; i <= 9; i++) {
    const other = nick.slice(0, NICK_MAX - 1) + i;
    if (!hub.findUser(other)) return other;
  }
  return nick;
}
