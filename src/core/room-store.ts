import { casefold, nickKey } from './names.js';
import type { Ban, RoomModes, Topic } from './room.js';

/** What a registered room keeps across restarts: its topic, its settings and its mask lists. */
export interface RoomSettings {
  topic: Topic | undefined;
  modes: RoomModes;
  bans: Ban[];
  mutes: Ban[];
  inviteExceptions: Ban[];
}

/** A room with an owner: its founder (an account) gets operator status on every join. */
export interface RegisteredRoom {
  /** The name as it was registered (shown). */
  name: string;
  /** The key names are compared by ({@link casefold}). */
  key: string;
  /** The founder's account name. */
  founder: string;
  /** Registered at (ms since the epoch): an account made later under the founder's name is not them. */
  registeredAt: number;
  settings: RoomSettings;
}

/**
 * Where registered rooms are kept, beside the accounts. Every method may answer later (a PostgreSQL store
 * will); a founder's account deleted takes its rooms along. Every implementation passes
 * `test/storage/room-store-contract.ts`.
 */
export interface RoomStore {
  /**
   * The same store for every node of a network (PostgreSQL): then a registration, a drop or new settings
   * are told to the other nodes, and theirs are taken. A node's own store (SQLite) keeps to itself.
   */
  readonly shared?: boolean;
  /** False when the room (by key) is registered already. */
  register(room: RegisteredRoom): Promise<boolean>;
  get(name: string): Promise<RegisteredRoom | undefined>;
  /** Every registered room, by key. */
  list(): Promise<RegisteredRoom[]>;
  /** Replaces the settings kept for a registered room; false when it is not registered. */
  save(name: string, settings: RoomSettings): Promise<boolean>;
  drop(name: string): Promise<boolean>;
  /** Forgets every room this account founded (the account was deleted). */
  forgetFounder(account: string): Promise<void>;
}

const copy = (r: RegisteredRoom): RegisteredRoom => structuredClone(r);

/** Registered rooms in memory (tests, servers that keep nothing). */
export class MemoryRoomStore implements RoomStore {
  readonly #rooms = new Map<string, RegisteredRoom>();

  /** `shared`: one object for several hubs of a process (tests of a network in one process). */
  constructor(readonly shared = false) {}

  register(room: RegisteredRoom): Promise<boolean> {
    if (this.#rooms.has(room.key)) return Promise.resolve(false);
    this.#rooms.set(room.key, copy(room));
    return Promise.resolve(true);
  }

  get(name: string): Promise<RegisteredRoom | undefined> {
    const r = this.#rooms.get(casefold(name));
    return Promise.resolve(r && copy(r));
  }

  list(): Promise<RegisteredRoom[]> {
    return Promise.resolve([...this.#rooms.values()].map(copy).sort((a, b) => (a.key < b.key ? -1 : 1)));
  }

  save(name: string, settings: RoomSettings): Promise<boolean> {
    const r = this.#rooms.get(casefold(name));
    if (r) r.settings = structuredClone(settings);
    return Promise.resolve(r !== undefined);
  }

  drop(name: string): Promise<boolean> {
    return Promise.resolve(this.#rooms.delete(casefold(name)));
  }

  forgetFounder(account: string): Promise<void> {
    const key = nickKey(account);
    for (const [k, r] of [...this.#rooms]) if (nickKey(r.founder) === key) this.#rooms.delete(k);
    return Promise.resolve();
  }
}
