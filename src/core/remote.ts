import type { HubEvent, Sink, UserSnapshot } from './events.js';
import type { RemoteChange } from './observer.js';
import { applyRoomSettings } from './modes.js';
import { casefold, nickKey } from './names.js';
import { Room, type Ban, type RoomModes, type Topic } from './room.js';
import { User } from './user.js';

/** A user as a node tells the others: the snapshot and the rooms they are in, with their standing. */
export interface UserState {
  user: UserSnapshot;
  rooms: Array<{ room: string; key: string; op: boolean; voice: boolean }>;
}

/** A room's settings as a node tells the others (the rooms its users are in). */
export interface RoomState {
  name: string;
  topic?: Topic;
  modes: RoomModes;
  bans: Ban[];
  mutes: Ban[];
  inviteExceptions: Ban[];
}

/** Everything a node tells a node that came: its users and their rooms. */
export interface NodeState {
  users: UserState[];
  rooms: RoomState[];
}

/**
 * Where a mirror's events would go: nowhere here (its own node delivers them). Ending its session is
 * asked of its node (`MirrorHost.disconnect`).
 */
function remoteSink(door: string, disconnect: (reason: string) => void): Sink {
  return { door, deliver: () => undefined, disconnect };
}

/** What the mirror needs of the hub: its rooms (the same map) and its own users by id. */
export interface MirrorHost {
  readonly rooms: Map<string, Room>;
  localById(id: number): User | undefined;
  /** Any user of the network by nick (mode changes name their targets by nick). */
  findUser(nick: string): User | undefined;
  now(): number;
  /** Asks the node of mirror `user` to end that session. */
  disconnect(user: User, reason: string): void;
  /** A mirror came, left or changed (after the change). */
  changed(kind: RemoteChange, user: User, oldNick?: string): void;
}

/**
 * The users of the other nodes, as this node knows them: a {@link User} each (its `remote` set to its
 * node), a member of this node's {@link Room}s beside local members, so that NAMES, WHO, WHOIS, LIST
 * and the room rules (limits, bans, who is an operator) see the whole network. Kept up to date by the
 * other nodes' events, in the one order the bus gives them; a mirror's sink delivers nothing (its own
 * node delivers to it), and the fan-out skips it.
 */
export class RemoteUsers {
  readonly #byId = new Map<number, User>();
  readonly #byKey = new Map<string, User>();

  constructor(private readonly host: MirrorHost) {}

  get size(): number {
    return this.#byId.size;
  }

  values(): IterableIterator<User> {
    return this.#byId.values();
  }

  get(key: string): User | undefined {
    return this.#byKey.get(key);
  }

  byId(id: number): User | undefined {
    return this.#byId.get(id);
  }

  /** The mirrors of one node. */
  ofNode(node: number): User[] {
    return [...this.#byId.values()].filter((u) => u.remote === node);
  }

  /** The mirror of a user of `node` (made when new; its details brought up to date when known). */
  ensure(node: number, s: UserSnapshot): User {
    let u = this.#byId.get(s.id);
    if (!u) {
      const at = s.mask.indexOf('!');
      const host = s.mask.slice(s.mask.indexOf('@') + 1);
      const sink = remoteSink(s.door, (reason) => this.host.disconnect(u!, reason));
      u = new User(s.id, sink, {
        nick: s.nick,
        username: at > 0 ? s.mask.slice(at + 1, s.mask.indexOf('@')) : s.nick,
        host,
        realname: s.realname,
      });
      u.remote = node;
      this.#byId.set(s.id, u);
      this.#byKey.set(u.key, u);
      this.#update(u, s, false);
      this.host.changed('on', u);
      return u;
    }
    this.#update(u, s);
    return u;
  }

  /** A mirror's details as its node says them now (`tell`: the host hears what changed). */
  #update(u: User, s: UserSnapshot, tell = true): void {
    const oldNick = u.nick;
    if (u.nick !== s.nick) {
      if (this.#byKey.get(u.key) === u) this.#byKey.delete(u.key);
      u.nick = s.nick;
      u.key = nickKey(s.nick);
      this.#byKey.set(u.key, u);
    }
    const away = u.away !== s.away;
    const realname = u.realname !== s.realname;
    u.realname = s.realname;
    u.away = s.away;
    u.account = s.account;
    if (!tell) return;
    if (oldNick !== u.nick) this.host.changed('nick', u, oldNick);
    if (away) this.host.changed('away', u);
    if (realname) this.host.changed('setname', u);
  }

  /** A mirror leaves every room and the network. */
  remove(u: User): void {
    for (const room of u.rooms) this.#leave(room, u);
    u.leaveAll();
    this.#byId.delete(u.id);
    if (this.#byKey.get(u.key) === u) this.#byKey.delete(u.key);
    this.host.changed('off', u);
  }

  #room(name: string, key: string): Room {
    let room = this.host.rooms.get(key);
    if (!room) {
      room = new Room(name);
      this.host.rooms.set(room.key, room);
    }
    return room;
  }

  #enter(room: Room, u: User, op: boolean, voice: boolean, at: number): void {
    if (room.members.has(u)) return;
    room.members.set(u, { op, voice, joinedAt: at });
    room.invited.delete(u.id);
    u.enter(room);
  }

  #leave(room: Room, u: User): void {
    room.members.delete(u);
    room.invited.delete(u.id);
    if (u.remote === undefined) u.leave(room);
    if (room.members.size === 0) this.host.rooms.delete(room.key);
  }

  /** Any user of the network by id: a mirror, or one of ours (a remote operator kicks one of ours). */
  #anyById(id: number): User | undefined {
    return this.#byId.get(id) ?? this.host.localById(id);
  }

  /** Brings the mirrors and rooms up to date with an event of `origin` (after its delivery here). */
  apply(origin: number, ev: HubEvent): void {
    switch (ev.type) {
      case 'join': {
        const u = this.ensure(origin, ev.user);
        this.#enter(this.#room(ev.room.name, ev.room.key), u, ev.op === true, false, ev.time);
        break;
      }
      case 'part': {
        const u = this.#byId.get(ev.user.id);
        const room = this.host.rooms.get(ev.room.key);
        if (u && room) this.#leave(room, u);
        break;
      }
      case 'kick': {
        const u = this.#anyById(ev.target.id);
        const room = this.host.rooms.get(ev.room.key);
        if (u && room?.members.has(u)) this.#leave(room, u);
        break;
      }
      case 'quit': {
        const u = this.#byId.get(ev.user.id);
        if (u) this.remove(u);
        break;
      }
      case 'nick':
      case 'away':
      case 'setname':
      case 'account': {
        const u = this.#byId.get(ev.user.id);
        if (u) this.#update(u, ev.user);
        break;
      }
      case 'metadata': {
        // Kept on the mirror too: METADATA GET, WHOIS and the web's profiles read it here.
        const u = this.#byId.get(ev.user.id);
        if (!u) break;
        if (ev.value === undefined) {
          u.metadata?.delete(ev.key);
          if (u.metadata?.size === 0) u.metadata = undefined;
        } else (u.metadata ??= new Map()).set(ev.key, ev.value);
        break;
      }
      case 'topic': {
        const room = this.host.rooms.get(ev.room.key);
        if (room) room.topic = ev.topic ?? undefined;
        break;
      }
      case 'mode': {
        const room = this.host.rooms.get(ev.room.key);
        if (!room) break;
        const by = ev.by ? (this.#byId.get(ev.by.id) ?? null) : null;
        // The origin checked the rules; here each change is only carried out (one that cannot be, skipped).
        for (const c of ev.changes) {
          try {
            applyRoomSettings(room, by, [c], (n) => this.host.findUser(n), ev.time);
          } catch {
            // a member who left meanwhile, a full list: this node's copy of the room is as it can be
          }
        }
        break;
      }
      case 'invite': {
        const room = this.host.rooms.get(ev.room.key);
        if (room) room.invited.add(ev.target.id);
        break;
      }
      default:
        break;
    }
  }

  /** A user of `origin` registered: known before they join anything (WHOIS, a private message). */
  add(origin: number, s: UserState): void {
    const u = this.ensure(origin, s.user);
    for (const m of s.rooms) this.#enter(this.#room(m.room, m.key), u, m.op, m.voice, this.host.now());
  }

  /**
   * What `origin` said it has, in answer to this node's hello: its users replace the mirrors of it
   * this node had; the settings of a room are taken when this node had no such room.
   */
  replace(origin: number, state: NodeState): void {
    for (const u of this.ofNode(origin)) this.remove(u);
    for (const r of state.rooms) {
      const key = casefold(r.name);
      if (this.host.rooms.has(key)) continue;
      const room = this.#room(r.name, key);
      room.topic = r.topic;
      Object.assign(room.modes, r.modes);
      room.bans.push(...r.bans);
      room.mutes.push(...r.mutes);
      room.inviteExceptions.push(...r.inviteExceptions);
    }
    for (const s of state.users) this.add(origin, s);
  }
}

/** A user as the other nodes learn of them. */
export function userState(u: User, snapshot: UserSnapshot): UserState {
  return {
    user: snapshot,
    rooms: [...u.rooms].map((r) => {
      const m = r.members.get(u);
      return { room: r.name, key: r.key, op: m?.op ?? false, voice: m?.voice ?? false };
    }),
  };
}

/** This node's users and the settings of their rooms, for a node that came. */
export function nodeState(users: Iterable<User>, snapshot: (u: User) => UserSnapshot): NodeState {
  const list = [...users];
  const rooms = new Set<Room>();
  for (const u of list) for (const r of u.rooms) rooms.add(r);
  return {
    users: list.map((u) => userState(u, snapshot(u))),
    rooms: [...rooms].map((r) => ({
      name: r.name,
      ...(r.topic ? { topic: r.topic } : {}),
      modes: { ...r.modes },
      bans: [...r.bans],
      mutes: [...r.mutes],
      inviteExceptions: [...r.inviteExceptions],
    })),
  };
}
