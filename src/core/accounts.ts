import { createHash, timingSafeEqual } from 'node:crypto';
import type { AccountInfo, Identity } from './identity.js';

/** Who asks to come in: the nickname they chose, the password they gave (if any), and through which door. */
export interface Credentials {
  nick: string;
  password: string | undefined;
  door: string;
  /** The client's address (login throttling counts failures per address too). */
  ip?: string;
}

/** `account`: the password logged the person in to the account of that name. */
export type Verdict =
  { ok: true; account?: AccountInfo } | { ok: false; reason: 'PASSWORD_REQUIRED' | 'BAD_PASSWORD' | 'THROTTLED' };

/**
 * Decides who may use a name with a password. Every door asks it once per registration, after the
 * nickname is known and before the hub registers the user. Defaults: {@link allowAll}, or
 * {@link ServerPassword} when the server has `--password`; {@link StoreAccounts} logs people in to their
 * accounts with the password they gave at registration (IRC `PASS`). It may answer later (a promise):
 * the doors hold the client's input meanwhile.
 *
 * Every implementation passes `test/core/accounts-contract.ts`.
 */
export interface Accounts {
  /**
   * Whether a password may be asked for: doors whose handshake has no place for one (the line door)
   * read it from the nickname line only then, so that without one the handshake stays the tutorial's.
   */
  readonly asksPassword: boolean;
  authorise(c: Credentials): Verdict | Promise<Verdict>;
}

const OK: Verdict = { ok: true };

export const allowAll: Accounts = { asksPassword: false, authorise: () => OK };

/**
 * Compares two secrets in time that does not depend on where they differ: over equal-length SHA-256
 * digests (timingSafeEqual needs equal lengths, and the length of the secret must not leak either).
 */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** One password for the whole server (`--password`), on every door; then the next check (`inner`). */
export class ServerPassword implements Accounts {
  readonly asksPassword = true;

  constructor(
    private readonly password: string,
    private readonly inner: Accounts = allowAll,
  ) {}

  authorise(c: Credentials): Verdict | Promise<Verdict> {
    if (c.password === undefined) return { ok: false, reason: 'PASSWORD_REQUIRED' };
    if (!sameSecret(c.password, this.password)) return { ok: false, reason: 'BAD_PASSWORD' };
    // The password was the server's: the next check does not see it as an account's.
    return this.inner.authorise({ ...c, password: undefined });
  }
}

/**
 * Registered names: a password given with a registered nickname (IRC `PASS`) logs in to that account,
 * a wrong one is refused (throttled: see {@link Identity.login}). No password, or a name nobody
 * registered: let in as a guest (nick protection renames a guest who keeps a registered name). The line
 * door's handshake asks nothing more (`asksPassword` false): its people log in with `/login`.
 */
export class StoreAccounts implements Accounts {
  readonly asksPassword = false;

  constructor(readonly identity: Identity) {}

  async authorise(c: Credentials): Promise<Verdict> {
    if (c.password === undefined || c.password === '') return OK;
    if (!(await this.identity.isRegistered(c.nick))) return OK;
    const r = await this.identity.login(c.nick, c.password, c.ip ?? 'unknown');
    if (r.ok) return { ok: true, account: r.account };
    return { ok: false, reason: r.reason === 'THROTTLED' ? 'THROTTLED' : 'BAD_PASSWORD' };
  }
}
