import { nickProblem, roomProblem } from '../../../core/names.js';
import type { IrcSession } from '../session.js';
import type { CommandTable } from './types.js';

/** `timestamp=YYYY-MM-DDThh:mm:ss.sssZ`, the server-time format (draft/read-marker). */
const TIMESTAMP = /^timestamp=(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)$/;

/** A marker as MARKREAD carries it: `timestamp=…`, or `*` for none. */
export function markerParam(time: number | undefined): string {
  return time === undefined ? '*' : `timestamp=${new Date(time).toISOString()}`;
}

/** `MARKREAD <target> <marker>` from the server. */
export function sendMarker(s: IrcSession, target: string, time: number | undefined): void {
  s.fromServer('MARKREAD', target, markerParam(time));
}

function parseTimestamp(param: string): number | undefined {
  const m = TIMESTAMP.exec(param);
  if (!m) return undefined;
  const time = Date.parse(m[1]!);
  return Number.isNaN(time) ? undefined : time;
}

/**
 * MARKREAD (https://ircv3.net/specs/extensions/read-marker): `MARKREAD <target>` asks for the marker,
 * `MARKREAD <target> timestamp=…` moves it (never back: the reply is the marker kept). Kept per account,
 * every other connection of the account is told; per connection for a guest.
 */
function markread(s: IrcSession, target: string, param: string | undefined): void {
  const { readMarkers, hub } = s.ctx;
  const badTarget = target.startsWith('#') ? roomProblem(target) : nickProblem(target);
  if (badTarget) {
    s.fromServer('FAIL', 'MARKREAD', 'INVALID_PARAMS', target, 'Invalid parameters');
    return;
  }
  // The name as the room or person spells it now, when there is one.
  const shown = (target.startsWith('#') ? hub.findRoom(target)?.name : hub.findUser(target)?.nick) ?? target;
  if (param === undefined) {
    sendMarker(s, shown, readMarkers.get(s.me, target));
    return;
  }
  const time = parseTimestamp(param);
  if (time === undefined) {
    s.fromServer('FAIL', 'MARKREAD', 'INVALID_PARAMS', param, 'Invalid parameters');
    return;
  }
  sendMarker(s, shown, readMarkers.mark(s.me, shown, time));
}

export const readMarkerCommands: CommandTable = {
  MARKREAD: {
    min: 1,
    registered: true,
    handle: (s, m) => markread(s, m.params[0]!, m.params[1]),
    onMissing: (s) => s.fromServer('FAIL', 'MARKREAD', 'NEED_MORE_PARAMS', 'Missing parameters'),
  },
};
