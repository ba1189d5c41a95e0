import { nickKey } from './names.js';
import type { PasswordSecrets } from './passwords.js';

/** One registered account: a name a person owns, on every door. */
export interface AccountRecord {
  /** The name as it was registered (shown). */
  name: string;
  /** The key names are compared by ({@link nickKey}): one account per key. */
  key: string;
  /** Registered at (ms since the epoch). */
  createdAt: number;
  /** A server operator. */
  oper: boolean;
  /** The password's hash and SCRAM keys (never the password). */
  secrets: PasswordSecrets;
}

export interface AccountFlags {
  oper?: boolean;
}

/**
 * Where accounts are kept. Every method may answer later (the PostgreSQL one will), and every name is
 * looked up by its key, so `Ana` and `ana` are one account. Every implementation passes
 * `test/storage/account-store-contract.ts`.
 */
export interface AccountStore {
  /** Adds an account; false when the name (by key) is taken. */
  create(name: string, secrets: PasswordSecrets, flags?: AccountFlags): Promise<boolean>;
  get(name: string): Promise<AccountRecord | undefined>;
  /** Replaces the password; false when there is no such account. */
  setSecrets(name: string, secrets: PasswordSecrets): Promise<boolean>;
  setFlags(name: string, flags: AccountFlags): Promise<boolean>;
  delete(name: string): Promise<boolean>;
  /** Every account, by name. */
  list(): Promise<AccountRecord[]>;
  close(): void | Promise<void>;
}

/** Accounts in memory (tests, and servers that keep nothing). */
export class MemoryAccountStore implements AccountStore {
  readonly #accounts = new Map<string, AccountRecord>();

  constructor(private readonly now: () => number = Date.now) {}

  create(name: string, secrets: PasswordSecrets, flags: AccountFlags = {}): Promise<boolean> {
    const key = nickKey(name);
    if (this.#accounts.has(key)) return Promise.resolve(false);
    this.#accounts.set(key, { name, key, createdAt: this.now(), oper: flags.oper ?? false, secrets });
    return Promise.resolve(true);
  }

  get(name: string): Promise<AccountRecord | undefined> {
    const a = this.#accounts.get(nickKey(name));
    return Promise.resolve(a && { ...a });
  }

  setSecrets(name: string, secrets: PasswordSecrets): Promise<boolean> {
    const a = this.#accounts.get(nickKey(name));
    if (a) a.secrets = secrets;
    return Promise.resolve(a !== undefined);
  }

  setFlags(name: string, flags: AccountFlags): Promise<boolean> {
    const a = this.#accounts.get(nickKey(name));
    if (a && flags.oper !== undefined) a.oper = flags.oper;
    return Promise.resolve(a !== undefined);
  }

  delete(name: string): Promise<boolean> {
    return Promise.resolve(this.#accounts.delete(nickKey(name)));
  }

  list(): Promise<AccountRecord[]> {
    return Promise.resolve([...this.#accounts.values()].map((a) => ({ ...a })).sort(byName));
  }

  close(): void {}
}

export const byName = (a: AccountRecord, b: AccountRecord): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
