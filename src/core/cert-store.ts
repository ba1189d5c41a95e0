import { nickKey } from './names.js';

/** Certificates one account may hold (NickServ `CERT ADD`). */
export const MAX_CERTS = 10;

/**
 * A TLS client certificate's SHA-256 fingerprint (of its DER bytes) as stored and compared: 64 lower-case
 * hex digits. Accepts the colon-separated upper-case form Node and OpenSSL print; undefined for anything
 * else.
 */
export function normaliseFingerprint(given: string): string | undefined {
  const fp = given.replace(/:/g, '').toLowerCase();
  return /^[0-9a-f]{64}$/.test(fp) ? fp : undefined;
}

export type CertAddResult = 'ADDED' | 'EXISTS' | 'TAKEN' | 'FULL' | 'NO_ACCOUNT';

/**
 * Which certificate logs in to which account (SASL EXTERNAL on `--ircs`). A fingerprint belongs to one
 * account at most; deleting an account deletes its fingerprints. Every implementation passes
 * `test/storage/cert-store-contract.ts`.
 */
export interface CertStore {
  /** `EXISTS`: already this account's; `TAKEN`: another account's; `FULL`: {@link MAX_CERTS} already. */
  add(account: string, fingerprint: string): Promise<CertAddResult>;
  /** False when the account had no such fingerprint. */
  remove(account: string, fingerprint: string): Promise<boolean>;
  /** The account's fingerprints, in the order they were added. */
  list(account: string): Promise<string[]>;
  /** The name of the account this fingerprint logs in to. */
  owner(fingerprint: string): Promise<string | undefined>;
  /** Forgets every fingerprint of an account (it was deleted). */
  forget(account: string): Promise<void>;
}

/** Fingerprints in memory (tests, servers that keep nothing). */
export class MemoryCertStore implements CertStore {
  /** fingerprint → account (its key, and its name as given), in insertion order. */
  readonly #owners = new Map<string, { key: string; name: string }>();

  /** `nameOf`: the account's name as registered, undefined when there is no such account. */
  constructor(private readonly nameOf: (account: string) => Promise<string | undefined> = (a) => Promise.resolve(a)) {}

  async add(account: string, fingerprint: string): Promise<CertAddResult> {
    const key = nickKey(account);
    const name = await this.nameOf(account);
    if (name === undefined) return 'NO_ACCOUNT';
    const owner = this.#owners.get(fingerprint);
    if (owner !== undefined) return owner.key === key ? 'EXISTS' : 'TAKEN';
    if ((await this.list(account)).length >= MAX_CERTS) return 'FULL';
    this.#owners.set(fingerprint, { key, name });
    return 'ADDED';
  }

  remove(account: string, fingerprint: string): Promise<boolean> {
    if (this.#owners.get(fingerprint)?.key !== nickKey(account)) return Promise.resolve(false);
    return Promise.resolve(this.#owners.delete(fingerprint));
  }

  list(account: string): Promise<string[]> {
    const key = nickKey(account);
    return Promise.resolve([...this.#owners].filter(([, o]) => o.key === key).map(([fp]) => fp));
  }

  owner(fingerprint: string): Promise<string | undefined> {
    return Promise.resolve(this.#owners.get(fingerprint)?.name);
  }

  forget(account: string): Promise<void> {
    const key = nickKey(account);
    for (const [fp, o] of [...this.#owners]) if (o.key === key) this.#owners.delete(fp);
    return Promise.resolve();
  }
}
