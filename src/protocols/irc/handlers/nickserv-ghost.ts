import { HubError } from '../../../core/errors.js';
import { nickKey } from '../../../core/names.js';
import { t } from '../../../i18n/index.js';
import { loggedIn } from '../sasl.js';
import type { IrcSession } from '../session.js';
import { say } from './nickserv.js';
import { whenRemoteGone } from './remote-gone.js';

const secs = (ms: number) => Math.ceil(ms / 1000);

/**
 * NickServ `GHOST NICK [PASSWORD]` disconnects whoever holds a registered nickname without being logged
 * in to its account; `RECOVER` does that and gives the nickname to the one who asked. Either the asker
 * is logged in to the nickname's account, or gives its password (checked, throttled, like IDENTIFY; a
 * guest is then logged in to the account).
 * A session that is logged in to the account is the same person's, and is left alone.
 */
export async function ghost(s: IrcSession, command: 'GHOST' | 'RECOVER', args: string[]): Promise<void> {
  const [nick, ...rest] = args;
  if (!nick) return say(s, 'services.ghost.usage', { command });
  const { hub, identity } = s.ctx;
  const me = s.me;
  const target = hub.findUser(nick);
  if (!target) return say(s, 'services.ghost.notOnline', { nick });
  if (target === me) return say(s, 'services.ghost.self', { nick });
  const key = nickKey(nick);
  if (me.account === undefined || nickKey(me.account) !== key) {
    const password = rest.join(' ');
    if (password === '') return say(s, 'services.ghost.notYours', { nick });
    const r = await identity.login(nick, password, s.host);
    if (s.isClosed) return;
    if (!r.ok && r.reason === 'THROTTLED') return say(s, 'accounts.line.throttled', { secs: secs(r.retryAfterMs) });
    if (!r.ok) return say(s, 'accounts.line.badLogin');
    // The password proved the account: a guest asking is logged in to it (keeping the nickname then).
    if (me.account === undefined) loggedIn(s, r.account);
  }
  // The nickname may have changed hands while the password was checked.
  const now = hub.findUser(nick);
  if (!now || now === me) return say(s, 'services.ghost.notOnline', { nick });
  if (now.account !== undefined && nickKey(now.account) === key) return say(s, 'services.ghost.loggedIn', { nick });
  now.sink.disconnect(t(s.ctx.config.lang, 'services.ghost.reason', { by: me.nick }));
  say(s, 'services.ghost.done', { nick: now.nick });
  if (command === 'GHOST') return;
  // A user of another node is gone once that node has ended the session and its quit has come here.
  const remote = now.remote !== undefined;
  if (remote && !(await whenRemoteGone(hub, now, RECOVER_WAIT_MS))) {
    if (!s.isClosed) say(s, 'services.recover.failed', { nick });
    return;
  }
  for (let attempt = 1; !s.isClosed; attempt++) {
    try {
      await hub.changeNick(me, nick);
      break;
    } catch (err) {
      if (!(err instanceof HubError)) throw err;
      // The other node frees the name in the registry on its own connection to Redis, a moment apart
      // from the quit on the bus: asked too soon, the registry still says taken. A few tries, spaced.
      if (remote && err.reason === 'NICK_IN_USE' && attempt < RECOVER_TRIES && !hub.findUser(nick)) {
        await new Promise((r) => setTimeout(r, RECOVER_RETRY_MS));
        continue;
      }
      if (!s.isClosed) say(s, 'services.recover.failed', { nick });
      return;
    }
  }
  if (!s.isClosed) say(s, 'services.recover.done', { nick });
}

/** How long RECOVER waits for another node to end the ghost's session. */
const RECOVER_WAIT_MS = 5_000;
/** Claims of the freed name, and the time between two (see the loop above). */
const RECOVER_TRIES = 5;
const RECOVER_RETRY_MS = 100;
