import type { MemberSnapshot, RoomSnapshot, UserSnapshot } from './events.js';
import type { Room } from './room.js';
import type { User } from './user.js';

/** The event's snapshot of a user: what renderers show, taken when it happened. */
export function snapshotUser(u: User): UserSnapshot {
  const s: UserSnapshot = { id: u.id, nick: u.nick, mask: u.mask, door: u.door, realname: u.realname };
  if (u.away !== undefined) s.away = u.away;
  if (u.account !== undefined) s.account = u.account;
  return s;
}

export function snapshotRoom(r: Room): RoomSnapshot {
  return { name: r.name, key: r.key };
}

export function snapshotMembers(room: Room): MemberSnapshot[] {
  return [...room.members].map(([u, ms]) => ({
    nick: u.nick,
    op: ms.op,
    voice: ms.voice,
    door: u.door,
    ...profileOf(u),
  }));
}

/** The user's `display-name` and `avatar` metadata, the fields that are set (what the web shows of a person). */
export function profileOf(u: User): { displayName?: string; avatar?: string } {
  const p: { displayName?: string; avatar?: string } = {};
  const displayName = u.metadata?.get('display-name');
  const avatar = u.metadata?.get('avatar');
  if (displayName !== undefined) p.displayName = displayName;
  if (avatar !== undefined) p.avatar = avatar;
  return p;
}
