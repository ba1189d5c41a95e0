import type { RedactEvent } from '../../core/events.js';
import { andThen, type HistoryPage, type MaybePromise } from '../../core/history.js';
import type { Hub } from '../../core/hub.js';
import type { User } from '../../core/user.js';
import { wireMessage, type ClientMessage, type ServerMessage } from './json-protocol.js';

/** What these requests need of the session: its hub, its user, and a way to answer. */
interface Asker {
  readonly ctx: { hub: Hub };
  readonly closed: boolean;
  send(message: ServerMessage): void;
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
