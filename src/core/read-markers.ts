import type { KeptChange } from './bus.js';
import type { Hub } from './hub.js';
import { casefold, nickKey } from './names.js';
import type { User } from './user.js';

/**
 * Where read markers are kept, per account: the time (ms since the epoch) of the last message the person
 * read in each room or conversation. Answers at once; `target` is a room's key or a nick's key. A store
 * shared by several nodes (PostgreSQL) answers from memory: it reads an account's markers when the
 * account logs in ({@link load}) and writes each change behind. Every implementation passes
 * `test/storage/read-marker-contract.ts`.
 */
export interface ReadMarkerStore {
  /**
   * The same store for every node of a network (PostgreSQL), so an account is the same person on each:
   * then a change made here is told to the other nodes, and theirs are taken here. A node's own store
   * (SQLite, memory) keeps to itself, as its accounts do.
   */
  readonly shared?: boolean;
  /**
   * Makes the markers of `account` ready to be read at once (a shared store reads them into memory; a
   * local one has them: at once). Never rejects: a store that cannot read reports it, and answers from
   * what it holds.
   */
  load(account: string): Promise<void>;
  get(account: string, target: string): number | undefined;
  /** Keeps `time` when it is later than the one stored; returns the one stored afterwards. */
  advance(account: string, target: string, time: number): number;
  /**
   * A marker another node moved (and stored, if the store is shared): kept like {@link advance}, but a
   * shared store only takes it into what it holds in memory (nothing is written twice).
   */
  learn(account: string, target: string, time: number): number;
  /** A connection of `account` is on this node (`hold`), or its last one left (`release`): memory may go. */
  hold(account: string): void;
  release(account: string): void;
  /** Resolves when everything handed over so far is written (or failed, and was reported). Never rejects. */
  written(): Promise<void>;
  close(): void | Promise<void>;
}

/** Read markers in memory (tests, `--data-dir :memory:`). */
export class MemoryReadMarkerStore implements ReadMarkerStore {
  readonly #markers = new Map<string, number>();

  /** `shared`: one object for several hubs of a process (tests of a network in one process). */
  constructor(readonly shared = false) {}

  load(): Promise<void> {
    return Promise.resolve();
  }

  get(account: string, target: string): number | undefined {
    return this.#markers.get(`${account}\n${target}`);
  }

  advance(account: string, target: string, time: number): number {
    const key = `${account}\n${target}`;
    const stored = Math.max(this.#markers.get(key) ?? 0, time);
    this.#markers.set(key, stored);
    return stored;
  }

  learn(account: string, target: string, time: number): number {
    return this.advance(account, target, time);
  }

  hold(): void {}
  release(): void {}

  written(): Promise<void> {
    return Promise.resolve();
  }

  close(): void {}
}

/** The key of a room (`#…`) or of a person's nick. */
export function markerTarget(target: string): string {
  return target.startsWith('#') ? casefold(target) : nickKey(target);
}

/**
 * Read markers (IRCv3 `draft/read-marker`): kept per account for a logged-in user (in the store, shared by
 * every connection of that account, which are told of each change — on the other nodes too, through the
 * bus), per connection otherwise (in memory, gone with the connection). A marker only moves forward, and
 * never past the present.
 */
export class ReadMarkers {
  /** The connections of each account (by account key), for telling them of a change. */
  readonly #connections = new Map<string, Set<User>>();
  readonly #accountOf = new Map<User, string>();
  /** Markers of connections without an account. */
  readonly #guests = new WeakMap<User, Map<string, number>>();

  constructor(
    private readonly hub: Hub,
    private readonly store: ReadMarkerStore,
    private readonly now: () => number = Date.now,
  ) {
    hub.observe({
      registered: (u) => this.#index(u),
      accountChanged: (u) => this.#index(u),
      quit: (u) => this.#unindex(u),
      keptChanged: (c) => this.#heard(c),
    });
  }

  /** Reads the markers of `account` before it logs in (see {@link ReadMarkerStore.load}). */
  load(account: string): Promise<void> {
    return this.store.load(nickKey(account));
  }

  /** The marker of `user` for `target` (undefined: none yet). */
  get(user: User, target: string): number | undefined {
    const key = markerTarget(target);
    const account = this.#accountOf.get(user);
    return account !== undefined ? this.store.get(account, key) : this.#guests.get(user)?.get(key);
  }

  /**
   * Moves the marker of `user` for `target` to `time` (kept when earlier than the one stored, clamped to
   * now); returns the marker after. The user's other connections are told when it moved: on this node at
   * once, on the others once it is stored.
   */
  mark(user: User, target: string, time: number): number {
    const key = markerTarget(target);
    const at = Math.min(time, this.now());
    const account = this.#accountOf.get(user);
    if (account === undefined) {
      let markers = this.#guests.get(user);
      if (!markers) this.#guests.set(user, (markers = new Map<string, number>()));
      const stored = Math.max(markers.get(key) ?? 0, at);
      markers.set(key, stored);
      return stored;
    }
    const before = this.store.get(account, key);
    const stored = this.store.advance(account, key, at);
    if (stored !== before) {
      this.#tell(account, target, stored, user);
      if (this.store.shared)
        void this.store.written().then(() => this.hub.publishKept({ kind: 'marker', account, target, time: stored }));
    }
    return stored;
  }

  close(): void | Promise<void> {
    return this.store.close();
  }

  /**
   * Another node moved a marker of an account: kept, and its connections here are told (unless this node
   * knows a later one already, which they were told of).
   */
  #heard(c: KeptChange): void {
    if (c.kind !== 'marker' || !this.store.shared) return;
    if (this.store.learn(c.account, markerTarget(c.target), c.time) === c.time) this.#tell(c.account, c.target, c.time);
  }

  #tell(account: string, target: string, time: number, except?: User): void {
    for (const other of this.#connections.get(account) ?? []) {
      if (other !== except) other.sink.readMarker?.(target, time);
    }
  }

  #index(user: User): void {
    this.#unindex(user);
    if (user.account === undefined) return;
    const account = nickKey(user.account);
    this.#accountOf.set(user, account);
    let set = this.#connections.get(account);
    if (!set) {
      this.#connections.set(account, (set = new Set()));
      this.store.hold(account);
    }
    set.add(user);
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
