import type { KeptChange } from './bus.js';
import type { Hub } from './hub.js';
import { nickKey } from './names.js';
import type { User } from './user.js';

/**
 * Where the metadata of accounts is kept (IRC `draft/metadata-2` keys: `display-name`, `avatar`, …): the
 * keys a logged-in person set on themselves, by account key. Answers at once; a store shared by several
 * nodes (PostgreSQL) answers from memory: it reads an account's keys when the account logs in
 * ({@link load}) and writes each change behind. Every implementation passes
 * `test/storage/metadata-contract.ts`.
 */
export interface MetadataStore {
  /**
   * The same store for every node of a network (PostgreSQL), so an account is the same person on each:
   * then a change made here is told to the other nodes, and theirs are taken here. A node's own store
   * (SQLite, memory) keeps to itself, as its accounts do.
   */
  readonly shared?: boolean;
  /**
   * Makes the keys of `account` ready to be read at once (a shared store reads them into memory; a local
   * one has them: at once). Never rejects: a store that cannot read reports it, and answers from what it
   * holds.
   */
  load(account: string): Promise<void>;
  /** The keys of `account` with their values, in the order they were first set (empty: none). */
  all(account: string): Array<[key: string, value: string]>;
  /** Keeps `value` for `key` (undefined removes the key). */
  set(account: string, key: string, value: string | undefined): void;
  /**
   * A key another node set or removed (and stored, if the store is shared): kept like {@link set}, but a
   * shared store only takes it into what it holds in memory (nothing is written twice).
   */
  learn(account: string, key: string, value: string | undefined): void;
  /** A connection of `account` is on this node (`hold`), or its last one left (`release`): memory may go. */
  hold(account: string): void;
  release(account: string): void;
  /** Resolves when everything handed over so far is written (or failed, and was reported). Never rejects. */
  written(): Promise<void>;
  close(): void | Promise<void>;
}

/** Account metadata in memory (tests, `--data-dir :memory:`). */
export class MemoryMetadataStore implements MetadataStore {
  readonly #accounts = new Map<string, Map<string, string>>();

  /** `shared`: one object for several hubs of a process (tests of a network in one process). */
  constructor(readonly shared = false) {}

  load(): Promise<void> {
    return Promise.resolve();
  }

  all(account: string): Array<[string, string]> {
    return [...(this.#accounts.get(account) ?? [])];
  }

  set(account: string, key: string, value: string | undefined): void {
    let keys = this.#accounts.get(account);
    if (value === undefined) {
      keys?.delete(key);
      if (keys?.size === 0) this.#accounts.delete(account);
      return;
    }
    if (!keys) this.#accounts.set(account, (keys = new Map<string, string>()));
    keys.set(key, value);
  }

  learn(account: string, key: string, value: string | undefined): void {
    this.set(account, key, value);
  }

  hold(): void {}
  release(): void {}

  written(): Promise<void> {
    return Promise.resolve();
  }

  close(): void {}
}

/**
 * Metadata kept per account: what a logged-in person sets on themselves (through any door, with
 * `hub.setMetadata`) is stored for the account, given back to every later connection of it (on
 * registration, or on logging in), and set at once on the account's other connections (their room
 * neighbours are told as usual, and the connection itself through `Sink.ownMetadata`) — on the other
 * nodes too, through the bus, once stored. A guest's metadata stays with the connection. Keys the
 * connection had before logging in stay, unstored.
 */
export class AccountMetadata {
  readonly #connections = new Map<string, Set<User>>();
  readonly #accountOf = new Map<User, string>();
  /** Set while this service sets keys itself (restoring, syncing): those changes are not stored again. */
  #applying = false;

  constructor(
    readonly hub: Hub,
    private readonly store: MetadataStore,
  ) {
    hub.observe({
      // Registration: the user is in no room yet, so nobody is to be told; the keys are simply there.
      registered: (u) => {
        if (this.#index(u)) for (const [k, v] of this.#stored(u)) (u.metadata ??= new Map()).set(k, v);
      },
      // Logging in later (NickServ IDENTIFY, SASL after registration): the room neighbours are told.
      accountChanged: (u) => {
        if (this.#index(u)) this.#apply(u, this.#stored(u));
      },
      quit: (u) => this.#unindex(u),
      metadataChanged: (u, key, value) => this.#changed(u, key, value),
      keptChanged: (c) => this.#heard(c),
    });
  }

  /** Reads the keys of `account` before it logs in (see {@link MetadataStore.load}). */
  load(account: string): Promise<void> {
    return this.store.load(nickKey(account));
  }

  close(): void | Promise<void> {
    return this.store.close();
  }

  #stored(user: User): Array<[string, string]> {
    const account = this.#accountOf.get(user);
    return account === undefined ? [] : this.store.all(account);
  }

  #changed(user: User, key: string, value: string | undefined): void {
    if (this.#applying) return;
    const account = this.#accountOf.get(user);
    if (account === undefined) return;
    this.store.set(account, key, value);
    for (const other of this.#connections.get(account) ?? []) {
      if (other !== user) this.#apply(other, [[key, value]]);
    }
    if (!this.store.shared) return;
    const change = { kind: 'metadata' as const, account, key, ...(value === undefined ? {} : { value }) };
    void this.store.written().then(() => this.hub.publishKept(change));
  }

  /** Another node set or removed a key of an account: kept, and set on its connections here. */
  #heard(c: KeptChange): void {
    if (c.kind !== 'metadata' || !this.store.shared) return;
    this.store.learn(c.account, c.key, c.value);
    for (const user of this.#connections.get(c.account) ?? []) this.#apply(user, [[c.key, c.value]]);
  }

  /** Sets keys on a connection through the hub (its neighbours are told), and tells the connection. */
  #apply(user: User, keys: Array<[string, string | undefined]>): void {
    this.#applying = true;
    try {
      for (const [key, value] of keys) {
        if (user.metadata?.get(key) === value) continue;
        this.hub.setMetadata(user, key, value);
        user.sink.ownMetadata?.(key, value);
      }
    } finally {
      this.#applying = false;
    }
  }

  /** Indexes `user` by its account; true when it has one. */
  #index(user: User): boolean {
    this.#unindex(user);
    if (user.account === undefined) return false;
    const account = nickKey(user.account);
    this.#accountOf.set(user, account);
    let set = this.#connections.get(account);
    if (!set) {
      this.#connections.set(account, (set = new Set()));
      this.store.hold(account);
    }
    set.add(user);
    return true;
  }

  #unindex(user: User): void {
    const account = this.#accountOf.get(user);
    if (account === undefined) return;
    this.#accountOf.delete(user);
    const set = this.#connections.get(account);
    set?.delete(user);
    if (set?.size === 0) {
      this.#connections.delete(account);
      this.store.release(account);
    }
  }
}
