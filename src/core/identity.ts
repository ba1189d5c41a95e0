import { createHmac, randomBytes } from 'node:crypto';
import type { AccountStore } from './account-store.js';
import type { CertStore } from './cert-store.js';
import { nickKey } from './names.js';
import {
  decoySecrets,
  hashPassword,
  passwordProblem,
  SCRAM_ITERATIONS,
  verifyPassword,
  type PasswordProblem,
  type ScramKeys,
} from './passwords.js';

/** Who a person is once logged in. */
export interface AccountInfo {
  name: string;
  oper: boolean;
}

/** `BAD_CREDENTIALS` is the one answer for an unknown account and a wrong password. */
export type LoginResult =
  | { ok: true; account: AccountInfo }
  | { ok: false; reason: 'BAD_CREDENTIALS' }
  | { ok: false; reason: 'THROTTLED'; retryAfterMs: number };

export type RegisterResult =
  | { ok: true; account: AccountInfo }
  | { ok: false; reason: 'EXISTS' | 'CLOSED' }
  | { ok: false; reason: 'BAD_PASSWORD'; problem: PasswordProblem }
  | { ok: false; reason: 'THROTTLED'; retryAfterMs: number };

export interface ThrottleOptions {
  /** Failures allowed before the delays start (default 3). */
  free?: number;
  /** The first delay; each failure after doubles it (default 1 s). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Keys remembered at most (oldest forgotten first). */
  maxKeys?: number;
  now?: () => number;
}

interface Strikes {
  failures: number;
  /** No attempt is heard before this time. */
  until: number;
  last: number;
}

/**
 * Failures per key (an account, an address): a few are free, then each one makes the next attempt wait
 * longer (1 s, 2 s, 4 s… up to a bound). An hour without failure forgets them. Bounded in memory.
 */
export class Throttle {
  readonly #strikes = new Map<string, Strikes>();
  readonly #free: number;
  readonly #base: number;
  readonly #max: number;
  readonly #maxKeys: number;
  readonly #now: () => number;

  constructor(o: ThrottleOptions = {}) {
    this.#free = o.free ?? 3;
    this.#base = o.baseDelayMs ?? 1000;
    this.#max = o.maxDelayMs ?? 5 * 60_000;
    this.#maxKeys = o.maxKeys ?? 10_000;
    this.#now = o.now ?? Date.now;
  }

  /** How long `key` must still wait (0: it may try now). */
  wait(key: string): number {
    const s = this.#strikes.get(key);
    if (!s) return 0;
    const now = this.#now();
    if (now - s.last > 3_600_000) {
      this.#strikes.delete(key);
      return 0;
    }
    return Math.max(0, s.until - now);
  }

  fail(key: string): void {
    const now = this.#now();
    const old = this.#strikes.get(key);
    const failures = (old && now - old.last <= 3_600_000 ? old.failures : 0) + 1;
    const over = failures - this.#free;
    const until = over >= 0 ? now + Math.min(this.#base * 2 ** over, this.#max) : now;
    this.#strikes.delete(key); // re-inserted last: the map's order is the age order
    this.#strikes.set(key, { failures, until, last: now });
    if (this.#strikes.size > this.#maxKeys) this.#strikes.delete(this.#strikes.keys().next().value!);
  }

  succeed(key: string): void {
    this.#strikes.delete(key);
  }
}

export interface IdentityOptions {
  /** Per account (default: 3 free failures). */
  throttle?: ThrottleOptions;
  /** Per address (default: 10 free failures: several people may share one address). */
  ipThrottle?: ThrottleOptions;
  /** Whether people may register names themselves (`/register`, NickServ REGISTER). Default open. */
  registration?: 'open' | 'closed';
  /** TLS client certificates of accounts (SASL EXTERNAL); none: certificates log nobody in. */
  certs?: CertStore | undefined;
}

/**
 * Accounts as the doors use them: log in (throttled per account and per address, one answer for an
 * unknown name and a wrong password), register, the SCRAM keys of a name. Core: knows no protocol.
 */
export class Identity {
  readonly logins: Throttle;
  readonly addresses: Throttle;
  readonly registrations: Throttle;
  readonly registration: 'open' | 'closed';
  readonly certs: CertStore | undefined;
  /** Fake SCRAM salts for names that have no account are derived from this (the same each time). */
  readonly #secret = randomBytes(32);
  readonly #preparers: Array<(account: string) => Promise<void>> = [];

  constructor(
    readonly store: AccountStore,
    options: IdentityOptions = {},
  ) {
    this.logins = new Throttle(options.throttle);
    this.addresses = new Throttle({ free: 10, ...options.throttle, ...options.ipThrottle });
    this.registrations = new Throttle({ ...options.throttle, free: 3, baseDelayMs: 60_000 });
    this.registration = options.registration ?? 'open';
    this.certs = options.certs;
  }

  /**
   * Adds what must be ready before a login answers: what is kept for the account and read at once later
   * (its read markers and metadata, read into memory from a store shared by several nodes). It must not
   * reject (a failure is its own to report).
   */
  beforeLogin(prepare: (account: string) => Promise<void>): void {
    this.#preparers.push(prepare);
  }

  /**
   * Makes ready what is kept for `account` (see {@link beforeLogin}), then gives it back: every way in
   * (password, certificate, SCRAM, registration, a web sign-in) passes here before it logs anyone in.
   */
  async prepare(account: AccountInfo): Promise<AccountInfo> {
    if (this.#preparers.length > 0) await Promise.all(this.#preparers.map((p) => p(account.name)));
    return account;
  }

  async isRegistered(nick: string): Promise<boolean> {
    return (await this.store.get(nick)) !== undefined;
  }

  async account(name: string): Promise<AccountInfo | undefined> {
    const a = await this.store.get(name);
    return a && { name: a.name, oper: a.oper };
  }

  /** How long this account or this address must wait before trying again (0: not at all). */
  throttled(name: string, ip: string): number {
    return Math.max(this.logins.wait(nickKey(name)), this.addresses.wait(ip));
  }

  /** Counts a login attempt's outcome (PLAIN and SCRAM alike). */
  settle(name: string, ip: string, ok: boolean): void {
    if (ok) {
      this.logins.succeed(nickKey(name));
      this.addresses.succeed(ip);
    } else {
      this.logins.fail(nickKey(name));
      this.addresses.fail(ip);
    }
  }

  async login(name: string, password: string, ip: string): Promise<LoginResult> {
    const retryAfterMs = this.throttled(name, ip);
    if (retryAfterMs > 0) return { ok: false, reason: 'THROTTLED', retryAfterMs };
    const a = await this.store.get(name);
    // An unknown name costs a hash too: the time does not tell it from a wrong password.
    const ok = (await verifyPassword(password, a ? a.secrets.hash : (await decoySecrets()).hash)) && a !== undefined;
    this.settle(name, ip, ok);
    if (!ok || !a) return { ok: false, reason: 'BAD_CREDENTIALS' };
    return { ok: true, account: await this.prepare({ name: a.name, oper: a.oper }) };
  }

  /**
   * SASL EXTERNAL: the account a client certificate's fingerprint was added to (NickServ `CERT ADD`), if
   * any; with an authorisation identity, only when it names that account. Nothing to guess, so nothing
   * throttled.
   */
  async loginByCert(fingerprint: string, authzid = ''): Promise<AccountInfo | undefined> {
    const name = await this.certs?.owner(fingerprint);
    if (name === undefined || (authzid !== '' && nickKey(authzid) !== nickKey(name))) return undefined;
    const account = await this.account(name);
    return account && this.prepare(account);
  }

  /** Deletes an account and what hangs on it (its certificates). */
  async drop(name: string): Promise<boolean> {
    const deleted = await this.store.delete(name);
    if (deleted) await this.certs?.forget(name);
    return deleted;
  }

  /**
   * The SCRAM keys of `name`; for a name with no account, keys nobody can prove (a stable salt, so
   * asking twice shows nothing), and the exchange fails at the proof like a wrong password.
   */
  async scramKeys(name: string): Promise<{ keys: ScramKeys; account: AccountInfo | undefined }> {
    const a = await this.store.get(name);
    if (a) return { keys: a.secrets.scram, account: { name: a.name, oper: a.oper } };
    const salt = createHmac('sha256', this.#secret).update(nickKey(name)).digest().subarray(0, 16);
    const fake = randomBytes(32).toString('base64');
    return {
      keys: { salt: salt.toString('base64'), iterations: SCRAM_ITERATIONS, storedKey: fake, serverKey: fake },
      account: undefined,
    };
  }

  /** Self-service registration (refused when closed; a few per address, then growing delays). */
  async register(name: string, password: string, ip: string): Promise<RegisterResult> {
    if (this.registration === 'closed') return { ok: false, reason: 'CLOSED' };
    const problem = passwordProblem(password);
    if (problem) return { ok: false, reason: 'BAD_PASSWORD', problem };
    const retryAfterMs = this.registrations.wait(`ip:${ip}`);
    if (retryAfterMs > 0) return { ok: false, reason: 'THROTTLED', retryAfterMs };
    if (await this.store.get(name)) return { ok: false, reason: 'EXISTS' };
    const created = await this.store.create(name, await hashPassword(password));
    if (!created) return { ok: false, reason: 'EXISTS' };
    this.registrations.fail(`ip:${ip}`); // every registration counts against the address
    // Nothing is kept for a new account yet: prepared all the same, as every way in is.
    return { ok: true, account: await this.prepare({ name, oper: false }) };
  }

  async changePassword(name: string, password: string): Promise<PasswordProblem | 'NO_ACCOUNT' | undefined> {
    const problem = passwordProblem(password);
    if (problem) return problem;
    return (await this.store.setSecrets(name, await hashPassword(password))) ? undefined : 'NO_ACCOUNT';
  }
}
