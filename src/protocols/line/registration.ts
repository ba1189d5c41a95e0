import { logText } from '../connection-log.js';
import { HubError } from '../../core/errors.js';
import { nickProblem } from '../../core/names.js';
import type { AccountInfo } from '../../core/identity.js';
import { parseLang, type Lang } from '../../i18n/index.js';
import { registrationDeadline } from '../../transports/connection.js';
import { hubErrorText } from './hub-errors.js';
import type { LineSession } from './session.js';

const MAX_NICK_TRIES = 5;
const NICK_RETRY_DELAY_MS = 100;

/**
 * The line door's handshake, from `APELIDO` to `Conectado ao servidor!`: the nickname (and the password
 * when the server asks for one), the `/login` of a registered name, and the claim in the hub. The session
 * holds one while the person is not in the chat yet, and lets it go once they are (an idle connection
 * then holds none of this).
 */
export class LineRegistration {
  #nickTries = 0;
  #loginTries = 0;
  /** The nickname waiting for `/login`. */
  #loginNick = '';
  /**
   * The language asked by a `/lang` right behind the nickname (in the same read, while the name is being
   * claimed): taken before the greeting, so the first lines after `Conectado ao servidor!` are in it.
   */
  #earlyLang: Lang | undefined;
  #regTimer: NodeJS.Timeout | undefined;
  #askAgain: NodeJS.Timeout | undefined;

  constructor(readonly session: LineSession) {
    const s = session;
    this.#regTimer = registrationDeadline(s.ctx.config.limits.registrationTimeoutSecs, () => {
      s.sendLine(s.tr('chat.limit.registration'));
      s.close('Registration timeout');
    });
  }

  /** The session ends: no timer of the handshake fires any more. */
  stop(): void {
    clearTimeout(this.#regTimer);
    clearTimeout(this.#askAgain);
  }

  /** The answer to `APELIDO` (see {@link #chooseNick}); a store that fails lets the client go. */
  answer(line: string): void {
    this.#chooseNick(line.trim()).catch((err: unknown) => this.#registrationFailed(err));
  }

  /** A `/lang` while the nickname is claimed (the first line behind it): whether it was taken. */
  takeEarlyLang(line: string): boolean {
    if (this.#earlyLang !== undefined || !/^\/lang\s/i.test(line)) return false;
    const lang = parseLang(line.slice('/lang'.length).trim());
    if (!lang) return false;
    this.#earlyLang = lang;
    this.session.setLang(lang); // a refused name is said in it too
    return true;
  }

  /** A line while the registered nickname waits for `/login`. */
  login(text: string): Promise<void> {
    return this.#loginAttempt(text).catch((err: unknown) => this.#registrationFailed(err));
  }

  /**
   * The answer to `APELIDO`: the nickname, or, when the server asks for a password, `nickname password`
   * (a nickname has no spaces). A missing password is asked again; a wrong one ends the connection.
   */
  async #chooseNick(answer: string): Promise<void> {
    const s = this.session;
    const { accounts } = s.ctx;
    let nick = answer;
    let password: string | undefined;
    // What the client sends while the name is checked and claimed waits.
    s.waitForClaim();
    if (accounts.asksPassword) {
      const space = answer.indexOf(' ');
      if (space !== -1) {
        nick = answer.slice(0, space);
        password = answer.slice(space + 1).trim();
      }
      const verdict = await accounts.authorise({ nick, password, door: 'line', ip: s.ip });
      if (s.closed) return;
      if (!verdict.ok) {
        if (verdict.reason !== 'PASSWORD_REQUIRED') {
          s.sendLine(s.tr('chat.password.bad'));
          s.close('Bad password');
          return;
        }
        this.#refused(s.tr('chat.password.required'));
        return;
      }
    }
    // A name that is taken or invalid is refused as always (before any login is asked for).
    const free = nickProblem(nick) === undefined && s.ctx.hub.findUser(nick) === undefined;
    if (free && (await s.ctx.identity.isRegistered(nick))) {
      if (s.closed) return;
      // A registered name: one line says so, and the person logs in before coming in (bounded time).
      this.#loginNick = nick;
      clearTimeout(this.#regTimer);
      const secs = s.ctx.config.loginTimeoutSecs;
      this.#regTimer = setTimeout(() => {
        s.sendLine(s.tr('accounts.line.loginTimeout', { secs }));
        s.close('Login timeout');
      }, secs * 1000);
      s.waitForLogin(nick, s.tr('accounts.line.registered', { nick }));
      return;
    }
    if (s.closed) return;
    return this.#claim(nick);
  }

  /** `/login PASSWORD` while the registered nickname waits (anything else is answered with how to). */
  async #loginAttempt(text: string): Promise<void> {
    const s = this.session;
    const m = /^\/login\s+(.+)$/is.exec(text.trim());
    if (!m) {
      s.sendLine(s.tr('accounts.line.loginFirst'));
      return;
    }
    const nick = this.#loginNick;
    const r = await s.ctx.identity.login(nick, m[1]!.trim(), s.ip);
    if (s.closed) return;
    if (!r.ok) {
      s.sendLine(
        r.reason === 'THROTTLED'
          ? s.tr('accounts.line.throttled', { secs: Math.ceil(r.retryAfterMs / 1000) })
          : s.tr('accounts.line.badLogin'),
      );
      if (++this.#loginTries >= MAX_NICK_TRIES) {
        s.sendLine(s.tr('accounts.line.tooManyTries'));
        s.close('Too many login attempts');
      }
      return;
    }
    s.waitForClaim();
    await this.#claim(nick, r.account);
  }

  /** Claims the nickname in the hub; on success the session enters the chat. */
  async #claim(nick: string, account?: AccountInfo): Promise<void> {
    const s = this.session;
    const { hub } = s.ctx;
    let user;
    try {
      user = await hub.register(s, {
        nick,
        username: 'line',
        host: s.socket.remoteAddress ?? 'unknown',
        realname: nick,
        lang: s.lang,
        ...(account ? { account } : {}),
      });
    } catch (err) {
      if (s.closed) return;
      if (!(err instanceof HubError)) {
        s.ctx.logger.error(
          { err, door: 'line' },
          logText(s.ctx.config.lang, 'server.log.registrationFailed', { door: 'line' }),
        );
        s.close('Internal error');
        return;
      }
      // Lines sent after a refused name were not chat: the client answers the next APELIDO.
      this.#refused(hubErrorText(s.tr, err));
      return;
    }
    if (s.closed) {
      // The client left while its nickname was being claimed: give the name back.
      hub.quit(user, 'Connection closed');
      return;
    }
    clearTimeout(this.#regTimer);
    this.#regTimer = undefined; // a cleared timer still holds its closure while referenced
    s.enterChat(user, nick, account, this.#earlyLang);
  }

  /** A refused nickname or a missing password: said, and `APELIDO` asked again (or the client that left let go). */
  #refused(text: string): void {
    const s = this.session;
    s.backToNick();
    s.sendLine(text);
    if (s.ending) s.close('Client quit');
    else this.#askNickAgain();
  }

  /** A store or registry that failed (not a refusal): logged, and the client let go. */
  #registrationFailed(err: unknown): void {
    const s = this.session;
    if (s.closed) return;
    s.ctx.logger.error(
      { err, door: 'line' },
      logText(s.ctx.config.lang, 'server.log.registrationFailed', { door: 'line' }),
    );
    s.close('Internal error');
  }

  #askNickAgain(): void {
    const s = this.session;
    if (++this.#nickTries >= MAX_NICK_TRIES) {
      s.sendLine(s.tr('chat.nick.tooManyTries'));
      s.close('Too many nickname attempts');
      return;
    }
    // Asked again a moment later, in a segment of its own: the tutorial's client answers only a read
    // that is exactly `APELIDO`, so it must not arrive glued to the reason.
    s.flush();
    this.#askAgain = setTimeout(() => {
      this.#askAgain = undefined;
      s.askNickname();
    }, NICK_RETRY_DELAY_MS);
  }
}
