import type { RedactEvent } from '../../core/events.js';
import { HubError } from '../../core/errors.js';
import { andThen, type HistoryPage, type MaybePromise } from '../../core/history.js';
import type { Hub } from '../../core/hub.js';
import { normaliseRoomName } from '../../core/names.js';
import type { Room } from '../../core/room.js';
import type { User } from '../../core/user.js';
import { wireMessage, type ClientMessage, type ServerMessage } from './json-protocol.js';

/** What these requests need of the session: its hub, its user, and a way to answer. */
interface Asker {
  readonly ctx: { hub: Hub };
  readonly closed: boolean;
  send(message: ServerMessage): void;
}

const PAGE_DEFAULT = 50;

/** `history`: a page of a room the person is in (older, newer, or around one message). */
export function history(s: Asker, user: User, m: Extract<ClientMessage, { type: 'history' }>): void | Promise<void> {
  const { hub } = s.ctx;
  const room = memberRoom(hub, user, m.room);
  const page = m.around
    ? aroundPage(hub, room.name, Number(m.around), m.limit ?? PAGE_DEFAULT)
    : hub.historyPage(room.name, {
        limit: m.limit ?? PAGE_DEFAULT,
        ...(m.after ? { after: { seq: Number(m.after) } } : {}),
        ...(m.before ? { before: { seq: Number(m.before) } } : {}),
      });
  return andThen(page, ({ messages, more }) => {
    if (s.closed) return;
    s.send({
      type: 'history',
      ref: m.ref,
      time: Date.now(),
      room: room.name,
      messages: messages.map((msg) => wireMessage(msg)),
      more,
      ...(m.around ? { around: m.around } : {}),
    });
  });
}

function memberRoom(hub: Hub, user: User, name: string): Room {
  const room = hub.findRoom(normaliseRoomName(name));
  if (!room) throw new HubError('NO_SUCH_ROOM', { room: name });
  if (!room.members.has(user)) throw new HubError('NOT_IN_ROOM', { room: room.name });
  return room;
}

/** A deletion as every web reader gets it (and the deleter, with its `ref`). */
export function redactMessage(ev: RedactEvent): Extract<ServerMessage, { type: 'redact' }> {
  return {
    type: 'redact',
    time: ev.time,
    id: ev.id,
    room: ev.room.name,
    msgid: ev.msgid,
    by: ev.by.nick,
    ...(ev.reason ? { reason: ev.reason } : {}),
  };
}

/** `redact`: the hub deletes (or refuses, thrown); the deleter's own answer carries its `ref`. */
export function redact(s: Asker, user: User, m: Extract<ClientMessage, { type: 'redact' }>): void | Promise<void> {
  return andThen(s.ctx.hub.redact(user, m.target, m.msgid, m.reason ?? ''), (ev) => {
    if (!s.closed) s.send({ ...redactMessage(ev), ref: m.ref });
  });
}

/** `search`: the rooms the person is in (the hub decides), answered with the matching messages. */
export function search(s: Asker, user: User, m: Extract<ClientMessage, { type: 'search' }>): void | Promise<void> {
  const req = {
    text: m.text,
    ...(m.room !== undefined ? { in: m.room } : {}),
    ...(m.from !== undefined ? { from: m.from } : {}),
    ...(m.limit !== undefined ? { limit: m.limit } : {}),
  };
  return andThen(s.ctx.hub.search(user, req), (found) => {
    if (!s.closed)
      s.send({
        type: 'search',
        ref: m.ref,
        time: Date.now(),
        text: m.text,
        messages: found.map((x) => wireMessage(x)),
      });
  });
}

/**
 * The page of a room's history around one message: up to half of `limit` before it, then it and what
 * follows; `more` says whether older messages exist (the page pages back from there as usual, and
 * forward with `after` up to the present).
 */
export function aroundPage(hub: Hub, room: string, seq: number, limit: number): MaybePromise<HistoryPage> {
  const half = Math.floor(limit / 2);
  return andThen(hub.historyPage(room, { before: { seq }, limit: Math.max(1, half) }), (older) =>
    andThen(hub.roomHistory(room, { after: { seq: seq - 1 }, limit: limit - half }), (rest) => ({
      messages: [...older.messages, ...rest],
      more: older.more,
    })),
  );
}
