import { RPL } from '../../../codec/irc/numerics.js';
import { casefold, maskMatches } from '../../../core/names.js';
import type { Room } from '../../../core/room.js';
import type { IrcSession } from '../session.js';
import { channelModeString } from './channels.js';
import { list, type CommandTable } from './types.js';

type Test = (room: Room, now: number) => boolean;

const MINUTE = 60_000;

/**
 * One LIST item as a test, by ELIST=CMNTU (modern.ircdocs.horse "ELIST"): `>n`/`<n` users; `C>n`/`C<n`
 * created more/less than n minutes ago; `T>n`/`T<n` topic set more/less than n minutes ago (a room with
 * no topic matches neither); `!mask` names that do not match; a mask with `*`/`?`; else a room's name.
 * Undefined for a condition that is not one (a number that is not).
 */
function condition(item: string): { test: Test; name?: boolean } | undefined {
  const m = /^([CT]?)([<>])(\d+)$/i.exec(item);
  if (m) {
    const n = Number(m[3]);
    const more = m[2] === '>';
    const kind = m[1]!.toUpperCase();
    if (kind === '') return { test: (r) => (more ? r.members.size > n : r.members.size < n) };
    return {
      test: (r, now) => {
        const at = kind === 'C' ? r.createdAt : r.topic?.setAt;
        if (at === undefined) return false;
        const age = (now - at) / MINUTE;
        return more ? age > n : age < n;
      },
    };
  }
  if (/^[CT]?[<>]/i.test(item)) return undefined;
  if (item.startsWith('!')) return { test: (r) => !maskMatches(item.slice(1), r.name) };
  if (/[*?]/.test(item)) return { test: (r) => maskMatches(item, r.name), name: true };
  return { test: (r) => casefold(r.name) === casefold(item), name: true };
}

function listRooms(s: IrcSession, filter: string | undefined): void {
  const { hub } = s.ctx;
  const tests: Test[] = [];
  const names: Test[] = [];
  for (const item of list(filter)) {
    const c = condition(item);
    if (!c) continue;
    (c.name ? names : tests).push(c.test);
  }
  const now = Date.now();
  s.reply(RPL.LISTSTART, 'Channel', 'Users  Name');
  for (const room of hub.rooms()) {
    if (!room.visibleTo(s.me)) continue;
    // Names and masks: any of them; the other conditions: all of them.
    if (names.length > 0 && !names.some((t) => t(room, now))) continue;
    if (!tests.every((t) => t(room, now))) continue;
    const modes = channelModeString(room, false)[0]!;
    s.reply(RPL.LIST, room.name, String(room.members.size), `[${modes}] ${room.topic?.text ?? ''}`.trimEnd());
  }
  s.reply(RPL.LISTEND, 'End of /LIST');
}

export const listCommands: CommandTable = {
  LIST: { min: 0, registered: true, handle: (s, m) => listRooms(s, m.params[0]) },
};
