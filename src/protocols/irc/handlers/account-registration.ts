import { nickKey } from '../../../core/names.js';
import { t, type Params } from '../../../i18n/index.js';
import { loggedIn } from '../sasl.js';
import type { IrcSession } from '../session.js';
import type { CommandTable } from './types.js';

/**
 * `draft/account-registration` (https://ircv3.net/specs/extensions/account-registration):
 * `REGISTER <account|*> <email|*> <password>` registers the current nickname as an account and logs in to
 * it (`REGISTER SUCCESS`, then 900 as after SASL). The account is the nickname (no `custom-account-name`);
 * no e-mail is sent or kept, so no `VERIFY` is ever needed; after the welcome only (no `before-connect`),
 * so a server password or the connection rules cannot be skipped. Refusals are the specification's
 * `FAIL REGISTER` codes; `--registration closed` and the per-address rate limit apply as to NickServ.
 */
function fail(s: IrcSession, command: string, code: string, account: string, key: string, params?: Params): void {
  s.fromServer('FAIL', command, code, account, t(s.ctx.config.lang, key, params));
}

async function register(s: IrcSession, params: string[]): Promise<void> {
  // The 2-parameter form of earlier drafts (`REGISTER <email> <password>`) names the current nickname.
  const [given, , password] = params.length >= 3 ? params : ['*', ...params];
  if (!s.registered) {
    s.fromServer('FAIL', 'REGISTER', 'COMPLETE_CONNECTION_REQUIRED', t(s.ctx.config.lang, 'services.reg.connectFirst'));
    return;
  }
  const me = s.me;
  const account = given === '*' ? me.nick : given!;
  if (nickKey(account) !== nickKey(me.nick)) {
    return fail(s, 'REGISTER', 'ACCOUNT_NAME_MUST_BE_NICK', account, 'services.reg.mustBeNick', { nick: me.nick });
  }
  if (me.account !== undefined) {
    return fail(s, 'REGISTER', 'ALREADY_AUTHENTICATED', me.account, 'accounts.ns.alreadyIn', { account: me.account });
  }
  const r = await s.ctx.identity.register(me.nick, password!, s.host);
  if (s.isClosed) return;
  if (r.ok) {
    s.fromServer(
      'REGISTER',
      'SUCCESS',
      r.account.name,
      t(s.ctx.config.lang, 'accounts.ns.registered', { nick: me.nick }),
    );
    return loggedIn(s, r.account);
  }
  switch (r.reason) {
    case 'EXISTS':
      return fail(s, 'REGISTER', 'ACCOUNT_EXISTS', account, 'accounts.ns.exists', { nick: account });
    case 'CLOSED':
      return fail(s, 'REGISTER', 'TEMPORARILY_UNAVAILABLE', account, 'accounts.line.closed');
    case 'THROTTLED':
      return fail(s, 'REGISTER', 'TEMPORARILY_UNAVAILABLE', account, 'accounts.line.slowDown', {
        secs: Math.ceil(r.retryAfterMs / 1000),
      });
    case 'BAD_PASSWORD': {
      const weak = r.problem === 'empty' || r.problem === 'tooShort';
      const code = weak ? 'WEAK_PASSWORD' : 'UNACCEPTABLE_PASSWORD';
      return fail(s, 'REGISTER', code, account, `accounts.password.${r.problem}`);
    }
  }
}

/** `VERIFY <account> <code>`: nothing here is ever waiting for a code. */
function verify(s: IrcSession, account: string): void {
  if (!s.registered) {
    s.fromServer('FAIL', 'VERIFY', 'COMPLETE_CONNECTION_REQUIRED', t(s.ctx.config.lang, 'services.reg.connectFirst'));
    return;
  }
  const mine = s.me.account;
  if (mine !== undefined)
    return fail(s, 'VERIFY', 'ALREADY_AUTHENTICATED', mine, 'accounts.ns.alreadyIn', { account: mine });
  fail(s, 'VERIFY', 'INVALID_CODE', account, 'services.reg.noVerify');
}

const missing = (command: string) => (s: IrcSession) =>
  s.fromServer('FAIL', command, 'NEED_MORE_PARAMS', '*', t(s.ctx.config.lang, `services.reg.usage${command}`));

export const accountRegistration: CommandTable = {
  REGISTER: { min: 2, registered: false, onMissing: missing('REGISTER'), handle: (s, m) => register(s, m.params) },
  VERIFY: { min: 2, registered: false, onMissing: missing('VERIFY'), handle: (s, m) => verify(s, m.params[0]!) },
};
