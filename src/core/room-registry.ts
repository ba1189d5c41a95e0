import type { KeptChange } from './bus.js';
import type { Hub } from './hub.js';
import type { RoomRules } from './hub-options.js';
import type { Identity } from './identity.js';
import { casefold, nickKey } from './names.js';
import type { HubObserver } from './observer.js';
import type { Room } from './room.js';
import type { RegisteredRoom, RoomSettings, RoomStore } from './room-store.js';
import type { User } from './user.js';

export interface RoomRegistryOptions {
  /** A store that failed to keep a change (the room goes on; its kept settings are older). */
  onError?: (err: unknown) => void;
  /** The clock registrations are dated by (the account store's: a founder is an account made before). */
  now?: () => number;
}

export type RoomRegisterResult = 'REGISTERED' | 'NOT_LOGGED_IN' | 'NOT_IN_ROOM' | 'NOT_OP' | 'EXISTS';
export type RoomDropResult = 'DROPPED' | 'NOT_REGISTERED' | 'NOT_FOUNDER';

/** A room's settings as kept: copies, not the live room's objects. */
export function roomSettings(room: Room): RoomSettings {
  return structuredClone({
    topic: room.topic,
    modes: room.modes,
    bans: room.bans,
    mutes: room.mutes,
    inviteExceptions: room.inviteExceptions,
  });
}

/**
 * Rooms with an owner, as the doors use them: a logged-in operator of a room registers it (ChanServ
 * REGISTER, the line door's `/register #room`); from then on its topic, settings and mask lists are
 * kept (each change written to the store) and given back when the room is made again (after a
 * restart), and its founder gets operator status on every join, and on logging in while inside.
 *
 * The registered rooms are read once at start and kept in memory (the hub joins people without
 * waiting); the founder is checked against the store before each operator grant, and an account made
 * after the room was registered is not its founder (a name dropped and taken again). With several nodes
 * on one shared store (PostgreSQL), each change is told to the others (`Hub.publishKept`: a registration once the store took it, a drop once
 * done, settings as they are saved), which take it into their memory: a founder who joins on another
 * node right after registering is made an operator there. Core: knows no protocol.
 */
export class RoomRegistry implements HubObserver, RoomRules {
  readonly #rooms = new Map<string, RegisteredRoom>();
  /** Rooms whose settings are being written, and whether they changed again meanwhile (see {@link #write}). */
  readonly #writing = new Map<string, { again: boolean }>();

  readonly #onError: (err: unknown) => void;
  readonly #now: () => number;

  private constructor(
    private readonly hub: Hub,
    readonly store: RoomStore,
    private readonly identity: Identity,
    options: RoomRegistryOptions,
  ) {
    this.#onError = options.onError ?? (() => {});
    this.#now = options.now ?? Date.now;
  }

  /** Reads the registered rooms and starts watching the hub (its {@link Hub.roomRules}). */
  static async open(
    hub: Hub,
    store: RoomStore,
    identity: Identity,
    options: RoomRegistryOptions = {},
  ): Promise<RoomRegistry> {
    const registry = new RoomRegistry(hub, store, identity, options);
    for (const r of await store.list()) registry.#rooms.set(r.key, r);
    hub.roomRules = registry;
    hub.observe(registry);
    return registry;
  }

  /** The registered room of that name (as known here), if any. */
  find(name: string): RegisteredRoom | undefined {
    return this.#rooms.get(casefold(name));
  }

  async register(by: User, name: string): Promise<RoomRegisterResult> {
    const room = this.hub.findRoom(name);
    if (by.account === undefined) return 'NOT_LOGGED_IN';
    if (!room?.members.has(by)) return 'NOT_IN_ROOM';
    if (!room.isOp(by)) return 'NOT_OP';
    if (this.#rooms.has(room.key)) return 'EXISTS';
    const r: RegisteredRoom = {
      name: room.name,
      key: room.key,
      founder: by.account,
      registeredAt: this.#now(),
      settings: roomSettings(room),
    };
    if (!(await this.store.register(r))) return 'EXISTS';
    this.#rooms.set(r.key, r);
    this.#told(r.name, r);
    return 'REGISTERED';
  }

  /** The room as the store has it now (INFO). */
  info(name: string): Promise<RegisteredRoom | undefined> {
    return this.store.get(name);
  }

  /** Only its founder, or a server operator, drops a room's registration (the room itself stays). */
  async drop(by: User, name: string): Promise<RoomDropResult> {
    const r = this.#rooms.get(casefold(name)) ?? (await this.store.get(name));
    if (!r) return 'NOT_REGISTERED';
    if (!by.oper && !this.#isFounderName(r, by)) return 'NOT_FOUNDER';
    await this.store.drop(r.name);
    this.#rooms.delete(r.key);
    this.#told(r.name);
    return 'DROPPED';
  }

  /** The founder's account was deleted: its rooms are nobody's now. */
  async forgetFounder(account: string): Promise<void> {
    await this.store.forgetFounder(account);
    const key = nickKey(account);
    for (const [k, r] of [...this.#rooms]) {
      if (nickKey(r.founder) !== key) continue;
      this.#rooms.delete(k);
      this.#told(r.name);
    }
  }

  /**
   * Tells the other nodes how this room's registration stands now (`r`: registered, with its settings;
   * none: not any more), in the order of the changes here.
   */
  #told(name: string, r?: RegisteredRoom): void {
    if (this.store.shared) this.hub.publishKept({ kind: 'room', room: name, ...(r ? { registered: r } : {}) });
  }

  // ---- RoomRules ----------------------------------------------------------------------------------

  setUp(room: Room): boolean {
    const r = this.#rooms.get(room.key);
    if (!r) return false;
    const s = structuredClone(r.settings);
    room.topic = s.topic;
    Object.assign(room.modes, s.modes);
    room.bans.push(...s.bans);
    room.mutes.push(...s.mutes);
    room.inviteExceptions.push(...s.inviteExceptions);
    return true;
  }

  keepsName(name: string): boolean {
    return this.#rooms.has(casefold(name));
  }

  passes(room: Room, user: User): boolean {
    const r = this.#rooms.get(room.key);
    return r !== undefined && this.#isFounderName(r, user);
  }

  // ---- HubObserver --------------------------------------------------------------------------------

  joined(user: User, room: Room): void {
    const r = this.#rooms.get(room.key);
    if (r && this.#isFounderName(r, user)) void this.#opFounder(r, user);
  }

  accountChanged(user: User): void {
    for (const room of user.rooms) this.joined(user, room);
  }

  /** Another node registered, dropped or saved a room: this node knows it as that node said. */
  keptChanged(change: KeptChange): void {
    if (change.kind !== 'room' || !this.store.shared) return;
    if (change.registered) this.#rooms.set(change.registered.key, structuredClone(change.registered));
    else this.#rooms.delete(casefold(change.room));
  }

  topicChanged(room: Room): void {
    this.#save(room);
  }

  modesChanged(room: Room, memberOnly: boolean): void {
    if (!memberOnly) this.#save(room);
  }

  #save(room: Room): void {
    const r = this.#rooms.get(room.key);
    if (!r) return;
    r.settings = roomSettings(room);
    this.#told(r.name, r);
    this.#write(r);
  }

  /**
   * Writes a room's settings, one write at a time per room: two writes side by side (a topic, then a mode,
   * at once) may commit in either order on PostgreSQL, and the older could win. A change made while one is
   * on its way is written after it, once, with the settings as they are then (the latest).
   */
  #write(r: RegisteredRoom): void {
    const writing = this.#writing.get(r.key);
    if (writing) {
      writing.again = true;
      return;
    }
    const state = { again: false };
    this.#writing.set(r.key, state);
    const start = (): void => {
      let saved: Promise<boolean>;
      // An observer never throws into the hub: a store that fails at once (closed) is reported like a late one.
      try {
        saved = this.store.save(r.name, r.settings);
      } catch (err) {
        this.#writing.delete(r.key);
        this.#onError(err);
        return;
      }
      void saved.catch(this.#onError).finally(() => {
        if (state.again && this.#rooms.get(r.key) === r) {
          state.again = false;
          start();
        } else this.#writing.delete(r.key);
      });
    };
    start();
  }

  #isFounderName(r: RegisteredRoom, user: User): boolean {
    return user.account !== undefined && nickKey(user.account) === nickKey(r.founder);
  }

  /** After the join is answered: the server makes the founder an operator, if the account is theirs. */
  async #opFounder(r: RegisteredRoom, user: User): Promise<void> {
    try {
      // The store has the last word: `tomada account del` (another process) may have taken the room along.
      const [stored, account] = await Promise.all([this.store.get(r.name), this.identity.store.get(r.founder)]);
      if (!stored) {
        if (this.#rooms.get(r.key) === r) this.#rooms.delete(r.key);
        return;
      }
      if (!account || account.createdAt > r.registeredAt) return;
      const room = this.hub.findRoom(r.name);
      if (!room || !room.members.has(user) || room.isOp(user) || !this.#isFounderName(r, user)) return;
      this.hub.setModes(null, room.name, [{ adding: true, mode: 'op', param: user.nick }]);
    } catch (err) {
      this.#onError(err);
    }
  }
}
