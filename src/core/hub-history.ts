import { HubError } from './errors.js';
import { EVENT_VERSION, type RedactEvent } from './events.js';
import {
  andThen,
  historyPage as pageOf,
  type ChatMessage,
  type HistoryPage,
  type HistoryQuery,
  type MaybePromise,
} from './history.js';
import { mayRedact, messageSeq, searchQuery, type SearchRequest } from './history-rules.js';
import type { HubState } from './hub-state.js';
import { casefold, cleanText, TOPIC_MAX } from './names.js';
import { snapshotRoom, snapshotUser } from './snapshot.js';
import type { User } from './user.js';

/*
 * Reading a room's history, deleting a message from it and searching it, under the rules of
 * history-rules.ts. The hub's methods of the same names call these with its state (see hub-state.ts).
 */

/** A room's stored messages (see {@link HistoryStore.query}); later with an asynchronous store. */
export function roomHistory(h: HubState, name: string, q: HistoryQuery): MaybePromise<ChatMessage[]> {
  return unavailable(h.history.query(casefold(name), q), name);
}

/** One page of a room's history (see {@link historyPage}, the one rule of paging). */
export function historyPage(h: HubState, name: string, q: HistoryQuery): MaybePromise<HistoryPage> {
  return unavailable(pageOf(h.history, casefold(name), q), name);
}

/**
 * Deletes a stored room message, for everyone and from history (IRCv3 `draft/message-redaction`): by
 * its sender or a room operator (see {@link mayRedact}). The room's other members get a `redact` event
 * (other nodes too, through the bus); the returned event is for the door to echo to `by`. Later with
 * an asynchronous store. Private messages are not kept, so there is nothing to delete: `NO_SUCH_ROOM`.
 */
export function redact(h: HubState, by: User, target: string, msgid: string, reason = ''): MaybePromise<RedactEvent> {
  const room = h.memberRoom(by, target);
  const seq = messageSeq(msgid);
  if (seq === undefined) throw new HubError('MESSAGE_UNKNOWN', { room: room.name, msgid });
  const found = unavailable(h.history.query(room.key, { after: { seq: seq - 1 }, limit: 1 }), room.name);
  return andThen(found, (list) => {
    const m = list[0];
    if (m?.seq !== seq) throw new HubError('MESSAGE_UNKNOWN', { room: room.name, msgid });
    if (!mayRedact(by, room, m)) throw new HubError('REDACT_FORBIDDEN', { room: room.name, msgid });
    return andThen(unavailable(h.history.remove(room.key, seq), room.name), (removed) => {
      if (!removed) throw new HubError('MESSAGE_UNKNOWN', { room: room.name, msgid });
      const ev: RedactEvent = {
        v: EVENT_VERSION,
        type: 'redact',
        time: h.now(),
        id: String(h.messageIds.next()),
        room: snapshotRoom(room),
        by: snapshotUser(by),
        msgid: m.id,
        reason: cleanText(reason).slice(0, TOPIC_MAX),
        wire: {},
      };
      h.fanout.toRoom(h.rooms.get(room.key) ?? room, ev, by);
      return ev;
    });
  });
}

/**
 * Full-text search of the history `user` may read: the rooms they are in (see {@link searchQuery}),
 * newest matches, oldest first. Later with an asynchronous store.
 */
export function search(h: HubState, user: User, req: SearchRequest): MaybePromise<ChatMessage[]> {
  const q = searchQuery(user, req, (name) => h.findRoom(name));
  return unavailable(h.history.search(q), req.in ?? '*');
}

/** A store that could not be read is a refusal the doors can word (`HISTORY_UNAVAILABLE`), not a crash. */
export function unavailable<T>(result: MaybePromise<T>, room: string): MaybePromise<T> {
  if (!(result instanceof Promise)) return result;
  return result.catch(() => {
    throw new HubError('HISTORY_UNAVAILABLE', { room });
  });
}
