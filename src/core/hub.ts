import { HubError } from './errors.js';
import type { HubEvent, ModeChange, Sink } from './events.js';
import type { ChatMessage, HistoryQuery, HistoryStore } from './history.js';
import { MemoryHistory } from './history.js';
import {
  casefold,
  cleanText,
  maskMatches,
  nickKey,
  nickProblem,
  normaliseMask,
  roomProblem,
  TOPIC_MAX,
} from './names.js';
import { Room } from './room.js';
import { Turn } from './turn.js';
import { User, type UserInit } from './user.js';

export interface HubOptions {
  history?: HistoryStore;
  /** Rooms one user may be in at once. */
  maxRoomsPerUser?: number;
  /** Entries kept for WHOWAS. */
  whowasSize?: number;
  now?: () => number;
  /** See {@link Turn}: the shortest interval between two ends of turn under load (ms; 0: every turn). */
  coalesceMs?: number;
}

export interface WhowasEntry {
  nick: string;
  username: string;
  host: string;
  realname: string;
  door: string;
  at: number;
}

/** Counters the metrics endpoint and the benchmarks read. */
export interface HubStats {
  messages: number;
  deliveries: number;
  historyWrites: number;
}

/**
 * The chat domain: users with unique nicknames, rooms with members, messages, and fan-out. It knows no
 * protocol and no socket: each door registers users with a {@link Sink} and turns {@link HubEvent}s into
 * its own bytes. Operations that break a rule throw {@link HubError} with a code the door translates.
 */
export class Hub {
  readonly users = new Map<string, User>();
  readonly rooms = new Map<string, Room>();
  readonly history: HistoryStore;
  readonly turn: Turn;
  readonly stats: HubStats = { messages: 0, deliveries: 0, historyWrites: 0 };
  readonly maxRoomsPerUser: number;
  readonly #whowas: WhowasEntry[] = [];
  readonly #whowasSize: number;
  readonly #now: () => number;
  /** Set when the server is shutting down: leaving users are not announced to each other (N² for nothing). */
  stopping = false;
  #nextUserId = 1;
  #seq: number;
  readonly startedAt: number;

  constructor(options: HubOptions = {}) {
    this.turn = new Turn(options.coalesceMs ?? 0);
    this.history = options.history ?? new MemoryHistory();
    this.maxRoomsPerUser = options.maxRoomsPerUser ?? 50;
    this.#whowasSize = options.whowasSize ?? 200;
    this.#now = options.now ?? Date.now;
    this.#seq = this.history.lastSeq();
    this.startedAt = this.#now();
    this.turn.on(0, () => this.history.flush());
  }

  // ---- users -------------------------------------------------------------------------------------

  /** Checks a nickname for a new user or a nick change (`self` may keep its own nick in another case). */
  checkNick(nick: string, self?: User): void {
    const problem = nickProblem(nick);
    if (problem) throw new HubError('NICK_INVALID', { nick, problem });
    const other = this.users.get(nickKey(nick));
    if (other && other !== self) throw new HubError('NICK_IN_USE', { nick });
  }

  /** Registers a connected user under a unique nickname. */
  register(sink: Sink, init: UserInit): User {
    this.checkNick(init.nick);
    const user = new User(this.#nextUserId++, sink, init);
    this.users.set(user.key, user);
    return user;
  }

  findUser(nick: string): User | undefined {
    return this.users.get(nickKey(nick));
  }

  /** Removes a user from every room (others get one quit event each) and from the server. */
  quit(user: User, reason: string): void {
    if (this.users.get(user.key) !== user) return;
    if (!this.stopping) this.#toNeighbours(user, { type: 'quit', user, reason: cleanText(reason), wire: {} }, false);
    for (const room of user.rooms) this.#removeMember(room, user);
    user.rooms.clear();
    this.users.delete(user.key);
    this.#rememberWhowas(user);
  }

  changeNick(user: User, nick: string): void {
    if (nick === user.nick) return;
    this.checkNick(nick, user);
    const oldNick = user.nick;
    const oldMask = user.mask;
    this.#rememberWhowas(user);
    this.users.delete(user.key);
    user.nick = nick;
    user.key = nickKey(nick);
    this.users.set(user.key, user);
    this.#toNeighbours(user, { type: 'nick', user, oldNick, oldMask, wire: {} }, true);
  }

  setAway(user: User, message: string | undefined): void {
    user.away = message === '' ? undefined : message;
    this.#toNeighbours(user, { type: 'away', user, wire: {} }, false);
  }

  setRealname(user: User, realname: string): void {
    user.realname = realname;
    this.#toNeighbours(user, { type: 'setname', user, wire: {} }, true);
  }

  whowas(nick: string, limit = 10): WhowasEntry[] {
    const key = nickKey(nick);
    return this.#whowas
      .filter((w) => nickKey(w.nick) === key)
      .slice(-limit)
      .reverse();
  }

  /** A server operator ends another user's session. */
  kill(by: User, target: User, reason: string): void {
    if (!by.oper) throw new HubError('NOT_SERVER_OP');
    target.sink.disconnect(`Killed (${by.nick} (${reason}))`);
  }

  // ---- rooms -------------------------------------------------------------------------------------

  findRoom(name: string): Room | undefined {
    return this.rooms.get(casefold(name));
  }

  /** Joins a room, creating it (with the user as its operator) when it does not exist. */
  join(user: User, name: string, key?: string): Room {
    const problem = roomProblem(name);
    if (problem) throw new HubError('ROOM_INVALID', { room: name, problem });
    let room = this.rooms.get(casefold(name));
    if (room?.members.has(user)) throw new HubError('ALREADY_IN_ROOM', { room: room.name });
    if (user.rooms.size >= this.maxRoomsPerUser) throw new HubError('TOO_MANY_ROOMS', { room: name });
    const created = !room;
    if (!room) {
      room = new Room(name);
      this.rooms.set(room.key, room);
    } else {
      const invited = room.invited.has(user.id);
      if (room.modes.key !== undefined && key !== room.modes.key && !invited) {
        throw new HubError('BAD_KEY', { room: room.name });
      }
      if (room.modes.limit !== undefined && room.members.size >= room.modes.limit && !invited) {
        throw new HubError('ROOM_FULL', { room: room.name });
      }
      if (room.modes.inviteOnly && !invited) throw new HubError('INVITE_ONLY', { room: room.name });
      if (this.isBanned(room, user) && !invited) throw new HubError('BANNED', { room: room.name });
      room.invited.delete(user.id);
    }
    room.members.set(user, { op: created, voice: false, joinedAt: this.#now() });
    user.rooms.add(room);
    this.#toRoom(room, { type: 'join', room, user, wire: {} }, undefined);
    return room;
  }

  part(user: User, name: string, reason = ''): Room {
    const room = this.#memberRoom(user, name);
    this.#toRoom(room, { type: 'part', room, user, reason: cleanText(reason), wire: {} }, undefined);
    this.#removeMember(room, user);
    user.rooms.delete(room);
    return room;
  }

  kick(by: User, name: string, targetNick: string, reason: string): void {
    const room = this.#memberRoom(by, name);
    const target = this.findUser(targetNick);
    if (!target) throw new HubError('NO_SUCH_NICK', { nick: targetNick });
    if (!room.members.has(target)) throw new HubError('USER_NOT_IN_ROOM', { nick: target.nick, room: room.name });
    if (!room.isOp(by)) throw new HubError('NOT_ROOM_OP', { room: room.name });
    this.#toRoom(room, { type: 'kick', room, by, target, reason: cleanText(reason), wire: {} }, undefined);
    this.#removeMember(room, target);
    target.rooms.delete(room);
  }

  invite(by: User, targetNick: string, name: string): { room: Room; target: User } {
    const target = this.findUser(targetNick);
    if (!target) throw new HubError('NO_SUCH_NICK', { nick: targetNick });
    const room = this.findRoom(name);
    if (!room) throw new HubError('NO_SUCH_ROOM', { room: name });
    if (!room.members.has(by)) throw new HubError('NOT_IN_ROOM', { room: room.name });
    if (room.members.has(target)) throw new HubError('ALREADY_IN_ROOM', { room: room.name, nick: target.nick });
    if (room.modes.inviteOnly && !room.isOp(by)) throw new HubError('NOT_ROOM_OP', { room: room.name });
    room.invited.add(target.id);
    this.#deliver(target, { type: 'invite', room, by, target, wire: {} });
    return { room, target };
  }

  setTopic(user: User, name: string, text: string): Room {
    const room = this.#memberRoom(user, name);
    if (room.modes.topicOpsOnly && !room.isOp(user)) throw new HubError('NOT_ROOM_OP', { room: room.name });
    const clean = cleanText(text).slice(0, TOPIC_MAX);
    room.topic = clean === '' ? undefined : { text: clean, setBy: user.nick, setAt: this.#now() };
    this.#toRoom(room, { type: 'topic', room, user, wire: {} }, undefined);
    return room;
  }

  isBanned(room: Room, user: User): boolean {
    if (room.bans.length === 0) return false;
    const mask = user.mask;
    return room.bans.some((b) => maskMatches(b.mask, mask));
  }

  /**
   * Applies room mode changes (`o v b i k l m n s t`) by a room operator. Returns the changes that took
   * effect (others are dropped silently, as IRC servers do); they reach every member as one event.
   */
  setModes(by: User | null, name: string, changes: ModeChange[]): ModeChange[] {
    const room = this.findRoom(name);
    if (!room) throw new HubError('NO_SUCH_ROOM', { room: name });
    if (by && !room.isOp(by)) throw new HubError('NOT_ROOM_OP', { room: room.name });
    const applied: ModeChange[] = [];
    for (const c of changes) {
      const m = room.modes;
      switch (c.mode) {
        case 'o':
        case 'v': {
          const target = c.param !== undefined ? this.findUser(c.param) : undefined;
          if (!target) throw new HubError('NO_SUCH_NICK', { nick: c.param ?? '' });
          const ms = room.members.get(target);
          if (!ms) throw new HubError('USER_NOT_IN_ROOM', { nick: target.nick, room: room.name });
          const field = c.mode === 'o' ? 'op' : 'voice';
          if (ms[field] === c.adding) continue;
          ms[field] = c.adding;
          applied.push({ ...c, param: target.nick });
          break;
        }
        case 'b': {
          if (c.param === undefined) continue;
          const mask = normaliseMask(c.param);
          const i = room.bans.findIndex((b) => casefold(b.mask) === casefold(mask));
          if (c.adding && i === -1) room.bans.push({ mask, setBy: by?.nick ?? 'server', setAt: this.#now() });
          else if (!c.adding && i !== -1) room.bans.splice(i, 1);
          else continue;
          applied.push({ ...c, param: mask });
          break;
        }
        case 'k':
          if (c.adding) {
            if (!c.param || /[\s,]/.test(c.param)) continue;
            m.key = c.param;
          } else {
            if (m.key === undefined) continue;
            m.key = undefined;
          }
          applied.push(c.adding ? c : { adding: false, mode: 'k', param: '*' });
          break;
        case 'l':
          if (c.adding) {
            const n = Number(c.param);
            if (!Number.isInteger(n) || n <= 0) continue;
            m.limit = n;
            applied.push({ ...c, param: String(n) });
          } else {
            if (m.limit === undefined) continue;
            m.limit = undefined;
            applied.push({ adding: false, mode: 'l' });
          }
          break;
        case 'i':
        case 'm':
        case 'n':
        case 's':
        case 't': {
          const field = ({ i: 'inviteOnly', m: 'moderated', n: 'noExternal', s: 'secret', t: 'topicOpsOnly' } as const)[
            c.mode
          ];
          if (m[field] === c.adding) continue;
          m[field] = c.adding;
          applied.push({ adding: c.adding, mode: c.mode });
          break;
        }
        default:
          continue;
      }
    }
    if (applied.length > 0) this.#toRoom(room, { type: 'mode', room, by, changes: applied, wire: {} }, undefined);
    return applied;
  }

  // ---- messages ----------------------------------------------------------------------------------

  /**
   * Sends text to a room (`#name`) or a user (nick). The message is stamped (id, time), stored when it is
   * for a room, and delivered to everyone concerned except the sender; it is returned so the sender's door
   * can echo it (IRC `echo-message`, the web client's own messages).
   */
  message(from: User, target: string, text: string, kind: ChatMessage['kind'] = 'message'): ChatMessage {
    if (text.length === 0) throw new HubError('EMPTY_TEXT');
    from.lastActive = this.#now();
    const clean = cleanText(text);
    if (target.startsWith('#')) {
      const room = this.findRoom(target);
      if (!room) throw new HubError('NO_SUCH_ROOM', { room: target });
      if (!room.canSpeak(from) || (room.bans.length > 0 && this.isBanned(room, from))) {
        throw new HubError('CANNOT_SEND', { room: room.name });
      }
      const message = this.#stamp(from, room.name, false, clean, kind);
      this.history.append(message);
      this.stats.historyWrites++;
      this.turn.request();
      this.#toRoom(room, { type: 'message', message, wire: {} }, from);
      return message;
    }
    const to = this.findUser(target);
    if (!to) throw new HubError('NO_SUCH_NICK', { nick: target });
    const message = this.#stamp(from, to.nick, true, clean, kind);
    if (to !== from) this.#deliver(to, { type: 'message', message, to, wire: {} });
    return message;
  }

  /** A room's stored messages (see {@link HistoryStore.query}). */
  roomHistory(name: string, q: HistoryQuery): ChatMessage[] {
    return this.history.query(casefold(name), q);
  }

  /** Ends every session (shutdown), flushes history. */
  shutdown(reason: string): void {
    this.stopping = true;
    for (const user of [...this.users.values()]) user.sink.disconnect(reason);
    this.turn.run();
  }

  // ---- fan-out -----------------------------------------------------------------------------------

  #stamp(from: User, target: string, isPrivate: boolean, text: string, kind: ChatMessage['kind']): ChatMessage {
    const seq = ++this.#seq;
    this.stats.messages++;
    return {
      seq,
      id: String(seq),
      time: this.#now(),
      target,
      private: isPrivate,
      from: from.nick,
      fromMask: from.mask,
      text,
      kind,
    };
  }

  #deliver(user: User, event: HubEvent): void {
    this.stats.deliveries++;
    user.sink.deliver(event);
  }

  /** Hot path: one event, every member but `except`. */
  #toRoom(room: Room, event: HubEvent, except: User | undefined): void {
    let n = 0;
    for (const member of room.members.keys()) {
      if (member === except) continue;
      member.sink.deliver(event);
      n++;
    }
    this.stats.deliveries += n;
  }

  /** Everyone sharing a room with `user`, once each (and `user` too when `self`). */
  #toNeighbours(user: User, event: HubEvent, self: boolean): void {
    const seen = new Set<User>();
    if (self) {
      seen.add(user);
      this.#deliver(user, event);
    } else seen.add(user);
    for (const room of user.rooms) {
      for (const member of room.members.keys()) {
        if (seen.has(member)) continue;
        seen.add(member);
        this.#deliver(member, event);
      }
    }
  }

  #memberRoom(user: User, name: string): Room {
    const room = this.findRoom(name);
    if (!room) throw new HubError('NO_SUCH_ROOM', { room: name });
    if (!room.members.has(user)) throw new HubError('NOT_IN_ROOM', { room: room.name });
    return room;
  }

  #removeMember(room: Room, user: User): void {
    room.members.delete(user);
    room.invited.delete(user.id);
    if (room.members.size === 0) this.rooms.delete(room.key);
  }

  #rememberWhowas(user: User): void {
    this.#whowas.push({
      nick: user.nick,
      username: user.username,
      host: user.host,
      realname: user.realname,
      door: user.door,
      at: this.#now(),
    });
    if (this.#whowas.length > this.#whowasSize) this.#whowas.shift();
  }
}
