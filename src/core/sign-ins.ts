import { createHash, randomBytes } from 'node:crypto';
import type { AccountInfo, Identity } from './identity.js';
import { nickKey } from './names.js';

/** One signed-in browser: whose, and until when. The token itself is never kept, only its hash. */
export interface SignInRecord {
  /** The account's name, as registered. */
  account: string;
  /** Its key ({@link nickKey}): every sign-in of an account is revoked by it. */
  accountKey: string;
  createdAt: number;
  expiresAt: number;
}

/**
 * Where sign-ins (the web door's session cookies) are kept, by the SHA-256 of their token: beside the
 * accounts (SQLite or PostgreSQL), so they survive a restart and every node of a network sees them.
 * Every implementation passes `test/storage/sign-in-store-contract.ts`.
 */
export interface SignInStore {
  add(hash: string, record: SignInRecord): Promise<void>;
  /** The sign-in of that hash, unless unknown or expired at `now`. */
  get(hash: string, now: number): Promise<SignInRecord | undefined>;
  /** Revokes one sign-in; false when there was none. */
  remove(hash: string): Promise<boolean>;
  /** Revokes every sign-in of an account but `except` (a hash); returns how many. */
  removeAccount(accountKey: string, except?: string): Promise<number>;
  /** Forgets the expired ones. */
  purge(now: number): Promise<void>;
  close(): void | Promise<void>;
}

/** Sign-ins in memory (tests, and servers that keep nothing). */
export class MemorySignInStore implements SignInStore {
  readonly #rows = new Map<string, SignInRecord>();

  add(hash: string, record: SignInRecord): Promise<void> {
    this.#rows.set(hash, { ...record });
    return Promise.resolve();
  }

  get(hash: string, now: number): Promise<SignInRecord | undefined> {
    const r = this.#rows.get(hash);
    return Promise.resolve(r && r.expiresAt > now ? { ...r } : undefined);
  }

  remove(hash: string): Promise<boolean> {
    return Promise.resolve(this.#rows.delete(hash));
  }

  removeAccount(accountKey: string, except?: string): Promise<number> {
    let n = 0;
    for (const [hash, r] of this.#rows)
      if (r.accountKey === accountKey && hash !== except) n += this.#rows.delete(hash) ? 1 : 0;
    return Promise.resolve(n);
  }

  purge(now: number): Promise<void> {
    for (const [hash, r] of this.#rows) if (r.expiresAt <= now) this.#rows.delete(hash);
    return Promise.resolve();
  }

  close(): void {}
}

/** How long a sign-in lasts (30 days), unless signed out sooner. */
export const SIGN_IN_TTL_MS = 30 * 24 * 3600 * 1000;
/** A token: 32 random bytes, base64url (43 characters). Anything else is not looked up at all. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

/**
 * Sign-ins as the web door uses them: a random token for a browser that logged in (the cookie), the
 * account behind a token (unless revoked, expired, or the account deleted since), sign out. Only the
 * token's hash is stored: a copy of the database signs nobody in. Core: knows no HTTP.
 */
export class SignIns {
  readonly #ttl: number;
  readonly #now: () => number;

  constructor(
    readonly identity: Identity,
    readonly store: SignInStore,
    options: { ttlMs?: number; now?: () => number } = {},
  ) {
    this.#ttl = options.ttlMs ?? SIGN_IN_TTL_MS;
    this.#now = options.now ?? Date.now;
  }

  get ttlMs(): number {
    return this.#ttl;
  }

  /** Signs a browser in to `account`: the token to give it (once; it is not kept). */
  async start(account: AccountInfo): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const now = this.#now();
    await this.store.purge(now);
    await this.store.add(tokenHash(token), {
      account: account.name,
      accountKey: nickKey(account.name),
      createdAt: now,
      expiresAt: now + this.#ttl,
    });
    return token;
  }

  /** The account a token is signed in to, or undefined. */
  async account(token: string | undefined): Promise<AccountInfo | undefined> {
    if (token === undefined || !TOKEN.test(token)) return undefined;
    const r = await this.store.get(tokenHash(token), this.#now());
    if (!r) return undefined;
    const a = await this.identity.store.get(r.account);
    // Deleted, or deleted and registered again (by someone else, maybe): not the account signed in to.
    if (!a || a.createdAt > r.createdAt) return undefined;
    return this.identity.prepare({ name: a.name, oper: a.oper });
  }

  /** Signs a token out (server-side: the cookie is worth nothing after this). */
  async end(token: string | undefined): Promise<boolean> {
    if (token === undefined || !TOKEN.test(token)) return false;
    return this.store.remove(tokenHash(token));
  }

  /** Signs out every other browser of the account (after a password change). */
  endOthers(account: string, token: string): Promise<number> {
    return this.store.removeAccount(nickKey(account), tokenHash(token));
  }
}
