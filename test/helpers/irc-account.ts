import type { AccountStore } from '../../src/core/account-store.js';
import { hashPassword } from '../../src/core/passwords.js';
import { RawClient } from '../protocols/irc/client.js';

/** The password the account tests give the account `name`. */
export const passwordOf = (name: string): string => `s3nha-de-${name}`;

/** Creates the account `name` in `store`, with the password `passwordOf(name)`. */
export async function addAccount(store: AccountStore, name: string): Promise<void> {
  await store.create(name, await hashPassword(passwordOf(name)));
}

/** What `ircLogin` makes. */
export interface IrcLogin {
  /** The connection, registered (and logged in, if asked). */
  c: RawClient;
  /** The lines the server sent after the login (or the capabilities' ACK), to the end of the MOTD. */
  welcome: string[];
}

/**
 * An IRC connection to the door on `port` that asks for `caps`, registers as `nick` and, when `account`
 * is given, logs in to it with SASL PLAIN (password `passwordOf(account)`), as an account-aware client
 * does; resolves at the end of the MOTD. The connection is pushed to `keep` (for the test's `after`).
 */
export async function ircLogin(
  port: number,
  nick: string,
  options: { caps: string; account?: string; keep: { push(c: RawClient): unknown } },
): Promise<IrcLogin> {
  const c = new RawClient(port);
  options.keep.push(c);
  await c.ready;
  c.send('CAP LS 302', `CAP REQ :${options.caps}`, `NICK ${nick}`, `USER ${nick} 0 * :${nick}`);
  await c.expect(/ CAP \* ACK /);
  const { account } = options;
  if (account) {
    c.send('AUTHENTICATE PLAIN');
    await c.expect(/^AUTHENTICATE \+/);
    c.send(`AUTHENTICATE ${Buffer.from(`\0${account}\0${passwordOf(account)}`, 'utf8').toString('base64')}`);
    await c.expect(/ 903 /);
  }
  c.send('CAP END');
  const welcome = await c.collect(/ (376|422) /);
  return { c, welcome };
}

/**
 * ana's phone in the read-marker tests: an IRC connection as `ana_irc` (user `ana`) to the door on
 * `port`, asking for draft/read-marker and logged in to the account `ana` (password `s3nha-de-ana`)
 * with SASL PLAIN, the PLAIN answer and CAP END in one write; resolves at the end of the MOTD. The
 * connection is pushed to `keep`.
 */
export async function anaPhone(port: number, keep: { push(c: RawClient): unknown }): Promise<RawClient> {
  const phone = new RawClient(port);
  keep.push(phone);
  await phone.ready;
  phone.send('CAP LS 302', 'CAP REQ :draft/read-marker sasl', 'NICK ana_irc', 'USER ana 0 * :Ana');
  await phone.expect(/ CAP \* ACK /);
  phone.send('AUTHENTICATE PLAIN');
  await phone.expect(/^AUTHENTICATE \+/);
  phone.send(`AUTHENTICATE ${Buffer.from('\0ana\0s3nha-de-ana', 'utf8').toString('base64')}`, 'CAP END');
  await phone.expect(/ (376|422) /);
  return phone;
}
