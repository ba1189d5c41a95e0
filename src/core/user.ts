import type { Sink } from './events.js';
import { nickKey } from './names.js';
import type { Room } from './room.js';

export interface UserInit {
  nick: string;
  username?: string;
  host: string;
  realname?: string;
  /** Preferred language of the person, when the door knows it (`en`, `pt-BR`). */
  lang?: string;
  /** The account the person logged in to before coming in (SASL, a password, the line door's /login). */
  account?: { name: string; oper: boolean };
}

const NO_ROOMS: ReadonlySet<Room> = new Set();

/** One connected person (or bot), whichever door they came through. */
export class User {
  nick: string;
  key: string;
  username: string;
  host: string;
  realname: string;
  lang: string | undefined;
  away: string | undefined;
  /** The account the person logged in to (undefined: a guest). */
  account: string | undefined;
  invisible = false;
  oper = false;
  /** A bot (IRC user mode `+B`): its messages say so. */
  bot = false;
  /**
   * What the person says about themselves, by key (`display-name`, `avatar`…; IRC metadata), for as long
   * as the connection lasts. Made on the first key.
   */
  metadata: Map<string, string> | undefined;
  /** Set for a user of another node (a mirror, `core/remote.ts`): that node's number. */
  remote: number | undefined = undefined;
  // Made on the first join: an idle connection in no room holds no set (bench scenario 3).
  #rooms: Set<Room> | undefined;
  readonly connectedAt = Date.now();
  lastActive = Date.now();

  constructor(
    readonly id: number,
    readonly sink: Sink,
    init: UserInit,
  ) {
    this.nick = init.nick;
    this.key = nickKey(init.nick);
    this.username = init.username ?? init.nick;
    this.host = init.host;
    this.realname = init.realname ?? init.nick;
    this.lang = init.lang;
    if (init.account) {
      this.account = init.account.name;
      if (init.account.oper) this.oper = true;
    }
  }

  /** The rooms the user is in (changed by the hub only, through {@link enter} and {@link leave}). */
  get rooms(): ReadonlySet<Room> {
    return this.#rooms ?? NO_ROOMS;
  }

  enter(room: Room): void {
    (this.#rooms ??= new Set()).add(room);
  }

  leave(room: Room): void {
    const rooms = this.#rooms;
    if (!rooms) return;
    rooms.delete(room);
    if (rooms.size === 0) this.#rooms = undefined;
  }

  leaveAll(): void {
    this.#rooms = undefined;
  }

  /** A room this user shares with `other`, if any. */
  sharedRoom(other: User): Room | undefined {
    for (const r of this.rooms) if (r.members.has(other)) return r;
    return undefined;
  }

  /** `nick!user@host`, as IRC shows a user and as room bans match. */
  get mask(): string {
    return `${this.nick}!${this.username}@${this.host}`;
  }

  get door(): string {
    return this.sink.door;
  }
}
