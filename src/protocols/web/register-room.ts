import type { RoomRegistry } from '../../core/room-registry.js';
import type { Hub } from '../../core/hub.js';
import { normaliseRoomName } from '../../core/names.js';
import type { User } from '../../core/user.js';
import type { Translate } from '../../i18n/index.js';
import type { ClientMessage, ServerMessage } from './json-protocol.js';

/** What `register` needs of the session: the hub and the room registry, its language, a way to answer. */
interface Asker {
  readonly ctx: { hub: Hub; rooms?: RoomRegistry | undefined };
  readonly closed: boolean;
  readonly tr: Translate;
  send(message: ServerMessage): void;
}

/** The registry's refusals, as the JSON protocol's error codes (`web.error.CODE` in the catalogue). */
const REFUSED = {
  NOT_LOGGED_IN: 'NOT_SIGNED_IN',
  NOT_IN_ROOM: 'NOT_IN_ROOM',
  NOT_OP: 'NOT_ROOM_OP',
  EXISTS: 'ROOM_ALREADY_REGISTERED',
} as const;

/**
 * `register` (`/register #room` in the page): the room gets an owner (see {@link RoomRegistry}): the
 * person, signed in and its operator. Answered with `registered`, or an `error` saying why not.
 */
export async function registerRoom(
  s: Asker,
  user: User,
  m: Extract<ClientMessage, { type: 'register' }>,
): Promise<void> {
  const name = normaliseRoomName(m.room);
  const error = (code: string, room: string) =>
    s.send({ type: 'error', ref: m.ref, time: Date.now(), code, text: s.tr(`web.error.${code}`, { room }), room });
  if (!s.ctx.rooms) return error('ROOMS_UNAVAILABLE', name);
  const r = await s.ctx.rooms.register(user, name);
  if (s.closed) return;
  const room = s.ctx.hub.findRoom(name)?.name ?? name;
  if (r !== 'REGISTERED') return error(REFUSED[r], room);
  const account = user.account ?? '';
  s.send({
    type: 'registered',
    ref: m.ref,
    time: Date.now(),
    room,
    account,
    text: s.tr('services.cs.registered', { room, account }),
  });
}
