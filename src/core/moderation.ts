import { HubError } from './errors.js';
import type { ModeChange } from './events.js';
import type { HubState } from './hub-state.js';
import { applyRoomSettings } from './modes.js';
import { casefold, cleanText, roomProblem, TOPIC_MAX } from './names.js';
import type { Room } from './room.js';
import { snapshotMembers, snapshotRoom, snapshotUser } from './snapshot.js';
import type { User } from './user.js';

/*
 * What room operators do to a room and its members: kicks, invitations, the topic, a new name, settings.
 * The hub's methods of the same names call these with its state (see hub-state.ts); each event reaches
 * the room's members once, through the fan-out, and the observers are told after.
 */

export function kick(h: HubState, by: User, name: string, targetNick: string, reason: string): void {
  const room = h.memberRoom(by, name);
  const target = h.findUser(targetNick);
  if (!target) throw new HubError('NO_SUCH_NICK', { nick: targetNick });
  if (!room.members.has(target)) throw new HubError('USER_NOT_IN_ROOM', { nick: target.nick, room: room.name });
  if (!room.isOp(by)) throw new HubError('NOT_ROOM_OP', { room: room.name });
  const ev = h.event({
    type: 'kick',
    room: snapshotRoom(room),
    by: snapshotUser(by),
    target: snapshotUser(target),
    reason: cleanText(reason),
  });
  h.fanout.toRoom(room, ev, undefined);
  h.removeMember(room, target);
  target.leave(room);
}

export function invite(h: HubState, by: User, targetNick: string, name: string): { room: Room; target: User } {
  const target = h.findUser(targetNick);
  if (!target) throw new HubError('NO_SUCH_NICK', { nick: targetNick });
  const room = h.findRoom(name);
  if (!room) throw new HubError('NO_SUCH_ROOM', { room: name });
  if (!room.members.has(by)) throw new HubError('NOT_IN_ROOM', { room: room.name });
  if (room.members.has(target)) throw new HubError('ALREADY_IN_ROOM', { room: room.name, nick: target.nick });
  if (room.modes.inviteOnly && !room.isOp(by)) throw new HubError('NOT_ROOM_OP', { room: room.name });
  room.invited.add(target.id);
  h.fanout.deliver(
    target,
    h.event({ type: 'invite', room: snapshotRoom(room), by: snapshotUser(by), target: snapshotUser(target) }),
  );
  return { room, target };
}

export function setTopic(h: HubState, user: User, name: string, text: string): Room {
  const room = h.memberRoom(user, name);
  if (room.modes.topicOpsOnly && !room.isOp(user)) throw new HubError('NOT_ROOM_OP', { room: room.name });
  const clean = cleanText(text).slice(0, TOPIC_MAX);
  room.topic = clean === '' ? undefined : { text: clean, setBy: user.nick, setAt: h.now() };
  const ev = h.event({
    type: 'topic',
    room: snapshotRoom(room),
    user: snapshotUser(user),
    topic: room.topic ?? null,
  });
  h.fanout.toRoom(room, ev, undefined);
  for (const o of h.observers) o.topicChanged?.(room);
  return room;
}

/**
 * A room operator gives the room a new name (IRC `draft/channel-rename`); members, settings and topic
 * stay. Every member is told, the renamer too. History stays under the old name.
 */
export function rename(h: HubState, by: User, name: string, newName: string, reason = ''): Room {
  const room = h.memberRoom(by, name);
  if (!room.isOp(by)) throw new HubError('NOT_ROOM_OP', { room: room.name });
  const problem = roomProblem(newName);
  if (problem) throw new HubError('ROOM_INVALID', { room: newName, problem });
  const other = h.rooms.get(casefold(newName));
  if (other && other !== room) throw new HubError('ROOM_NAME_IN_USE', { room: newName });
  const keeps = (n: string) => h.rules()?.keepsName(n) ?? false;
  if (keeps(room.name) || (casefold(newName) !== room.key && keeps(newName))) {
    throw new HubError('ROOM_REGISTERED', { room: room.name });
  }
  const oldName = room.name;
  if (oldName === newName) return room;
  const oldKey = room.key;
  rekey(h.rooms, room, newName);
  const ev = h.event({
    type: 'rename',
    room: snapshotRoom(room),
    oldName,
    oldKey,
    by: snapshotUser(by),
    reason: cleanText(reason),
  });
  h.fanout.toRoom(room, ev, undefined);
  for (const o of h.observers) o.renamed?.(room, oldName, by);
  return room;
}

/** Files `room` under its new name (a rename here, or one that came from another node). */
export function rekey(rooms: Map<string, Room>, room: Room, name: string): void {
  rooms.delete(room.key);
  room.rename(name);
  rooms.set(room.key, room);
}

/**
 * Applies room settings by a room operator (or the server, `by` null). Returns the changes that took
 * effect (others are dropped silently); they reach every member as one event.
 */
export function setModes(h: HubState, by: User | null, name: string, changes: ModeChange[]): ModeChange[] {
  const room = h.findRoom(name);
  if (!room) throw new HubError('NO_SUCH_ROOM', { room: name });
  if (by && !room.isOp(by)) throw new HubError('NOT_ROOM_OP', { room: room.name });
  const applied = applyRoomSettings(room, by, changes, (n) => h.findUser(n), h.now());
  if (applied.length > 0) {
    const ev = h.event({
      type: 'mode',
      room: snapshotRoom(room),
      by: by ? snapshotUser(by) : null,
      changes: applied,
      members: snapshotMembers(room),
    });
    h.fanout.toRoom(room, ev, undefined);
    const memberOnly = applied.every((c) => c.mode === 'op' || c.mode === 'voice');
    for (const o of h.observers) o.modesChanged?.(room, memberOnly);
  }
  return applied;
}
