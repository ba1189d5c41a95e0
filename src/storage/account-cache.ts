/**
 * What a store shared by several nodes holds in memory of some accounts (their read markers, their
 * metadata), so that it answers at once: an entry per account, made when the account is read ahead of a
 * login (or first used), held while a connection of the account is on this node, and forgotten a while
 * after the last one left (or after a login that never came to a connection). Bounded by the accounts
 * that are here, plus those read in the last `graceMs`.
 */
export class AccountCache<T> {
  readonly #entries = new Map<string, { value: T; held: boolean; idleSince: number }>();
  #swept = 0;

  constructor(
    private readonly make: () => T,
    private readonly graceMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.#entries.size;
  }

  get(account: string): T | undefined {
    return this.#entries.get(account)?.value;
  }

  /** The entry of `account`, made (empty, not held) when there is none. */
  ensure(account: string): T {
    const found = this.#entries.get(account);
    if (found) return found.value;
    this.#sweep();
    const value = this.make();
    this.#entries.set(account, { value, held: false, idleSince: this.now() });
    return value;
  }

  /** A connection of `account` is here: kept until {@link release}. True when there was no entry yet. */
  hold(account: string): boolean {
    const found = this.#entries.get(account);
    if (found) found.held = true;
    else {
      this.ensure(account);
      this.#entries.get(account)!.held = true;
    }
    return !found;
  }

  /** The last connection of `account` left: forgotten once `graceMs` passed. */
  release(account: string): void {
    const found = this.#entries.get(account);
    if (!found) return;
    found.held = false;
    found.idleSince = this.now();
  }

  /** Forgets the entries nobody held for `graceMs` (looked at, at most, once per `graceMs`). */
  #sweep(): void {
    const now = this.now();
    if (now - this.#swept < this.graceMs) return;
    this.#swept = now;
    for (const [account, e] of this.#entries) {
      if (!e.held && now - e.idleSince >= this.graceMs) this.#entries.delete(account);
    }
  }
}

/**
 * An account's value in memory that a login reads again from the shared store: the changes made here, or
 * heard from the other nodes, while a read is under way are made again on what the read found (the table
 * has the last word, those changes on top). `apply` makes one change and gives back what it gives.
 */
export class Reread<V, C, R = void> {
  #reads = 0;
  #since: C[] = [];

  constructor(
    public value: V,
    private readonly apply: (value: V, change: C) => R,
  ) {}

  change(c: C): R {
    if (this.#reads > 0) this.#since.push(c);
    return this.apply(this.value, c);
  }

  /** Replaces the value with what `read` finds, the changes made meanwhile on top. Rejects as `read` does. */
  async read(read: () => Promise<V>): Promise<void> {
    const from = this.#since.length;
    this.#reads++;
    try {
      const value = await read();
      for (const c of this.#since.slice(from)) this.apply(value, c);
      this.value = value;
    } finally {
      if (--this.#reads === 0) this.#since = [];
    }
  }
}
