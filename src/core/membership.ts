import { HubError } from './errors.js';
import type { HubState } from './hub-state.js';
import { casefold, cleanText, roomProblem } from './names.js';
import { Room } from './room.js';
import { profileOf, snapshotRoom, snapshotUser } from './snapshot.js';
import type { User } from './user.js';

/** Joining and leaving rooms: the hub's `join` and `part`, on its state. */

/**
 * Joins a room, creating it (with the user as its operator) when it does not exist. A registered room
 * (see `HubState.rules`) is made with its kept settings, which apply to its first member too, and makes
 * nobody operator by being made: its founder gets that on every join (the registry's doing).
 */
export function join(h: HubState, user: User, name: string, key: string | undefined, maxRooms: number): Room {
  const problem = roomProblem(name);
  if (problem) throw new HubError('ROOM_INVALID', { room: name, problem });
  let room = h.rooms.get(casefold(name));
  if (room?.members.has(user)) throw new HubError('ALREADY_IN_ROOM', { room: room.name });
  if (user.rooms.size >= maxRooms) throw new HubError('TOO_MANY_ROOMS', { room: name });
  // Joining while the other nodes cannot hear of it would split the room (and its operator) in two.
  h.needNetwork({ room: name });
  const rules = h.rules();
  let op = false;
  let made: Room | undefined;
  if (!room) {
    made = room = new Room(name);
    op = !(rules?.setUp(room) ?? false);
  }
  if (!op) {
    const refusal = rules?.passes(room, user) ? undefined : room.refusal(user, key);
    if (refusal) throw new HubError(refusal, { room: room.name });
    room.invited.delete(user.id);
  }
  if (made) h.rooms.set(made.key, made);
  room.members.set(user, { op, voice: false, joinedAt: h.now() });
  user.enter(room);
  const ev = h.event({
    type: 'join',
    room: snapshotRoom(room),
    user: snapshotUser(user),
    ...(op ? { op: true } : {}),
    ...profileOf(user),
  });
  h.fanout.toRoom(room, ev, undefined);
  for (const o of h.observers) o.joined?.(user, room);
  return room;
}

/** Leaves a room; its members (the leaver too) are told, with `reason`. */
export function part(h: HubState, user: User, name: string, reason: string): Room {
  const room = h.memberRoom(user, name);
  const ev = h.event({ type: 'part', room: snapshotRoom(room), user: snapshotUser(user), reason: cleanText(reason) });
  h.fanout.toRoom(room, ev, undefined);
  h.removeMember(room, user);
  user.leave(room);
  for (const o of h.observers) o.parted?.(user, room);
  return room;
}
