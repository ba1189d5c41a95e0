import { HubError } from './errors.js';
import type { ModeChange } from './events.js';
import { casefold, normaliseMask } from './names.js';
import { MAX_BANS, type Room } from './room.js';
import type { User } from './user.js';

const FLAGS = {
  inviteOnly: 'inviteOnly',
  moderated: 'moderated',
  noExternal: 'noExternal',
  secret: 'secret',
  topicOpsOnly: 'topicOpsOnly',
  noRequests: 'noRequests',
} as const;

/** The mask lists a setting edits. */
const LISTS = { ban: 'bans', mute: 'mutes', inviteException: 'inviteExceptions' } as const;

/**
 * Applies named room settings (the rules of every door; IRC's letters are the IRC door's business).
 * Returns the changes that took effect (others are dropped silently, as IRC servers do).
 */
export function applyRoomSettings(
  room: Room,
  by: User | null,
  changes: ModeChange[],
  findUser: (nick: string) => User | undefined,
  now: number,
): ModeChange[] {
  const applied: ModeChange[] = [];
  const m = room.modes;
  for (const c of changes) {
    switch (c.mode) {
      case 'op':
      case 'voice': {
        const target = c.param !== undefined ? findUser(c.param) : undefined;
        if (!target) throw new HubError('NO_SUCH_NICK', { nick: c.param ?? '' });
        const ms = room.members.get(target);
        if (!ms) throw new HubError('USER_NOT_IN_ROOM', { nick: target.nick, room: room.name });
        if (ms[c.mode] === c.adding) continue;
        ms[c.mode] = c.adding;
        applied.push({ ...c, param: target.nick });
        break;
      }
      case 'ban':
      case 'mute':
      case 'inviteException': {
        if (c.param === undefined) continue;
        const list = room[LISTS[c.mode]];
        const mask = normaliseMask(c.param);
        const i = list.findIndex((b) => casefold(b.mask) === casefold(mask));
        if (c.adding && i === -1) {
          if (list.length >= MAX_BANS) throw new HubError('BAN_LIST_FULL', { room: room.name, mask });
          list.push({ mask, setBy: by?.nick ?? 'server', setAt: now });
        } else if (!c.adding && i !== -1) list.splice(i, 1);
        else continue;
        applied.push({ ...c, param: mask });
        break;
      }
      case 'key':
        if (c.adding) {
          if (!c.param || /[\s,]/.test(c.param)) continue;
          m.key = c.param;
        } else {
          if (m.key === undefined) continue;
          m.key = undefined;
        }
        applied.push(c.adding ? c : { adding: false, mode: 'key', param: '*' });
        break;
      case 'limit':
        if (c.adding) {
          const n = Number(c.param);
          if (!Number.isInteger(n) || n <= 0) continue;
          m.limit = n;
          applied.push({ ...c, param: String(n) });
        } else {
          if (m.limit === undefined) continue;
          m.limit = undefined;
          applied.push({ adding: false, mode: 'limit' });
        }
        break;
      default: {
        const field = FLAGS[c.mode];
        if (field === undefined || m[field] === c.adding) continue;
        m[field] = c.adding;
        applied.push({ adding: c.adding, mode: c.mode });
      }
    }
  }
  return applied;
}
