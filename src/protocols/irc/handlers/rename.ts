import { HubError } from '../../../core/errors.js';
import type { RenameEvent } from '../../../core/events.js';
import { casefold } from '../../../core/names.js';
import type { IrcSession } from '../session.js';
import { sendNames, sendTopic } from './channels.js';
import type { CommandTable } from './types.js';

/**
 * RENAME <#old> <#new> [:reason] (https://ircv3.net/specs/extensions/channel-rename): a channel operator
 * renames the channel, members, modes and topic kept. Whether or not the renamer has the capability;
 * the name taken or not valid is a FAIL, the rest the usual numerics (403, 442, 482).
 */
function rename(s: IrcSession, from: string, to: string, reason: string): void {
  try {
    s.ctx.hub.rename(s.me, from, to, reason);
  } catch (err) {
    if (err instanceof HubError && err.reason === 'ROOM_NAME_IN_USE') {
      s.fromServer('FAIL', 'RENAME', 'CHANNEL_NAME_IN_USE', from, to, 'The channel name is already taken');
    } else if (err instanceof HubError && err.reason === 'ROOM_INVALID' && s.ctx.hub.findRoom(from)) {
      s.fromServer('FAIL', 'RENAME', 'CANNOT_RENAME', from, to, 'The channel cannot be renamed');
    } else if (err instanceof HubError && err.reason === 'ROOM_REGISTERED') {
      s.fromServer('FAIL', 'RENAME', 'CANNOT_RENAME', from, to, 'A registered channel keeps its name');
    } else s.hubError(err, 'RENAME');
  }
}

/**
 * What a client without `draft/channel-rename` sees of a rename (the specification's "Fallback"): it
 * parts the old channel (with the reason) and joins the new one, with its topic and names. A change of
 * case alone is not shown that way.
 */
export function renameFallback(s: IrcSession, ev: RenameEvent): void {
  if (casefold(ev.oldName) === casefold(ev.room.name)) return;
  const room = s.ctx.hub.findRoom(ev.room.name);
  const me = s.me;
  if (!room?.members.has(me)) return;
  const time = new Date(ev.time).toISOString();
  const params = ev.reason ? [ev.oldName, ev.reason] : [ev.oldName];
  s.send({ tags: { time }, source: me.mask, command: 'PART', params });
  const joinParams = s.caps.has('extended-join') ? [room.name, me.account ?? '*', me.realname] : [room.name];
  s.send({ tags: { time }, source: me.mask, command: 'JOIN', params: joinParams });
  sendTopic(s, room, false);
  sendNames(s, room);
}

export const renameCommands: CommandTable = {
  RENAME: { min: 2, registered: true, handle: (s, m) => rename(s, m.params[0]!, m.params[1]!, m.params[2] ?? '') },
};
