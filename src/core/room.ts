import type { HubErrorCode } from './errors.js';
import type { Audience } from './events.js';
import { banMatches, casefold } from './names.js';
import type { User } from './user.js';

export interface Membership {
  op: boolean;
  voice: boolean;
  joinedAt: number;
}

export interface Topic {
  text: string;
  setBy: string;
  setAt: number;
}

/** Room settings. IRC shows them as channel modes (+i +k +l +m +n +s +t); other doors use them too. */
export interface RoomModes {
  inviteOnly: boolean;
  key: string | undefined;
  limit: number | undefined;
  moderated: boolean;
  noExternal: boolean;
  secret: boolean;
  topicOpsOnly: boolean;
  /** Client-to-client requests (IRC's CTCP, but for ACTION) are refused; the doors that have them check. */
  noRequests: boolean;
}

export interface Ban {
  mask: string;
  setBy: string;
  setAt: number;
}

/** Bans one room keeps (IRC `MAXLIST=b:100`): the hub refuses more, whichever door asks. */
export const MAX_BANS = 100;

export class Room {
  readonly key: string;
  topic: Topic | undefined;
  readonly modes: RoomModes = {
    inviteOnly: false,
    key: undefined,
    limit: undefined,
    moderated: false,
    noExternal: true,
    secret: false,
    topicOpsOnly: true,
    noRequests: false,
  };
  readonly bans: Ban[] = [];
  /** Masks that may come in but not speak. */
  readonly mutes: Ban[] = [];
  /** Masks that may come in past invite-only without an invitation. */
  readonly inviteExceptions: Ban[] = [];
  /** Users invited past +i (by user id); cleared when they join. */
  readonly invited = new Set<number>();
  readonly members = new Map<User, Membership>();
  readonly createdAt = Date.now();

  constructor(readonly name: string) {
    this.key = casefold(name);
  }

  isOp(user: User): boolean {
    return this.members.get(user)?.op ?? false;
  }

  /** The rule every listing and query follows: a secret room is seen only by its members. */
  visibleTo(user: User | undefined): boolean {
    return !this.modes.secret || (user !== undefined && this.members.has(user));
  }

  /** Whether a ban matches `user`'s mask (or account: `$a:name`). */
  isBanned(user: User): boolean {
    return this.bans.length > 0 && this.bans.some((b) => banMatches(b.mask, user));
  }

  /** Whether a mute matches `user`'s mask (or account). */
  isMuted(user: User): boolean {
    return this.mutes.length > 0 && this.mutes.some((b) => banMatches(b.mask, user));
  }

  /** Whether a member of this standing is in `audience` (everyone when there is none). */
  static admits(m: Membership | undefined, audience: Audience | undefined): boolean {
    if (audience === undefined) return true;
    return m !== undefined && (m.op || (audience === 'voice' && m.voice));
  }

  /** Why `user` may not come in with `key` (an invitation passes key, limit, +i and bans), if not. */
  refusal(user: User, key: string | undefined): HubErrorCode | undefined {
    if (this.invited.has(user.id)) return undefined;
    if (this.modes.key !== undefined && key !== this.modes.key) return 'BAD_KEY';
    if (this.modes.limit !== undefined && this.members.size >= this.modes.limit) return 'ROOM_FULL';
    if (this.modes.inviteOnly && !this.inviteExceptions.some((b) => banMatches(b.mask, user))) {
      return 'INVITE_ONLY';
    }
    if (this.isBanned(user)) return 'BANNED';
    return undefined;
  }

  /** Whether `user` may speak: moderation, outside messages and mutes (ops and voices pass mutes). */
  canSpeak(user: User): boolean {
    const m = this.members.get(user);
    if (this.isMuted(user) && !m?.op && !m?.voice) return false;
    if (!m) return !this.modes.noExternal && !this.modes.moderated;
    return !this.modes.moderated || m.op || m.voice;
  }
}
