import { createHash, timingSafeEqual } from 'node:crypto';

/** Who asks to come in: the nickname they chose, the password they gave (if any), and through which door. */
export interface Credentials {
  nick: string;
  password: string | undefined;
  door: string;
}

export type Verdict = { ok: true } | { ok: false; reason: 'PASSWORD_REQUIRED' | 'BAD_PASSWORD' };

/**
 * Decides who may use a name with a password. Every door asks it once per registration, after the
 * nickname is known and before the hub registers the user. Defaults: {@link allowAll}, or
 * {@link ServerPassword} when the server has `--password`. The accounts issue brings one backed by a
 * store of registered names.
 *
 * Every implementation passes `test/core/accounts-contract.ts`.
 */
export interface Accounts {
  /**
   * Whether a password may be asked for: doors whose handshake has no place for one (the line door)
   * read it from the nickname line only then, so that without one the handshake stays the tutorial's.
   */
  readonly asksPassword: boolean;
  authorise(c: Credentials): Verdict;
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

  authorise(c: Credentials): Verdict {
    if (c.password === undefined) return { ok: false, reason: 'PASSWORD_REQUIRED' };
    if (!sameSecret(c.password, this.password)) return { ok: false, reason: 'BAD_PASSWORD' };
    return this.inner.authorise(c);
  }
}
