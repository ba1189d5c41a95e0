import { HubError } from './errors.js';
import { SEARCH_LIMIT_MAX, SEARCH_TEXT_MAX, type ChatMessage, type SearchQuery } from './history.js';
import { nickKey } from './names.js';
import type { Room } from './room.js';
import type { User } from './user.js';

/**
 * Who may delete a stored room message (IRCv3 `draft/message-redaction`): the room's operators, and its
 * sender: for a message sent while logged in, that account (under any nickname, from any host); for
 * one sent as a guest, the same nickname, user name and host as when it was sent (`nick!user@host`),
 * which a guest nickname taken over from the same host could pass for, as it could send in their name.
 */
export function mayRedact(user: User, room: Room, m: ChatMessage): boolean {
  if (room.isOp(user)) return true;
  // Sent while logged in: the account is the sender (under any nickname, from anywhere), and only it.
  if (m.account !== undefined) return user.account === m.account;
  const at = m.fromMask.indexOf('!');
  return nickKey(m.from) === user.key && at >= 0 && m.fromMask.slice(at) === user.mask.slice(user.mask.indexOf('!'));
}

/** A message id as the hub hands them out (the decimal sequence), or undefined. */
export function messageSeq(id: string): number | undefined {
  return /^\d{1,15}$/.test(id) ? Number(id) : undefined;
}

/**
 * The reaction a signal carries, if it is one history keeps: IRCv3 `+draft/react` (an emoji or a short
 * word: 1 to 32 characters, no spaces or control characters) with `+draft/reply` naming a message by
 * its id. Both doors send reactions under these names; other annotations stay relay-only.
 */
export function storedReaction(annotations: Record<string, string>): { seq: number; emoji: string } | undefined {
  const emoji = annotations['+draft/react'];
  const seq = messageSeq(annotations['+draft/reply'] ?? '');
  if (emoji === undefined || seq === undefined) return undefined;
  if (emoji.length === 0 || emoji.length > 32 || /[\s\p{Cc}]/u.test(emoji)) return undefined;
  return { seq, emoji };
}

/** What a person asks a search for, before the hub decides which rooms they may read. */
export interface SearchRequest {
  text: string;
  /** One room (the person must be in it); all the rooms they are in otherwise. */
  in?: string;
  from?: string;
  after?: number;
  before?: number;
  limit?: number;
}

/**
 * A search as the store runs it: over the rooms `user` is in (a secret room only to its members, as it
 * is), or the one room asked for when they are in it. Bounded text and result count.
 */
export function searchQuery(user: User, req: SearchRequest, findRoom: (name: string) => Room | undefined): SearchQuery {
  const text = req.text.trim();
  if (text === '') throw new HubError('SEARCH_INVALID', { problem: 'empty', max: SEARCH_TEXT_MAX });
  if (text.length > SEARCH_TEXT_MAX) throw new HubError('SEARCH_INVALID', { problem: 'long', max: SEARCH_TEXT_MAX });
  let rooms = [...user.rooms].map((r) => r.key);
  if (req.in !== undefined) {
    const room = findRoom(req.in);
    if (!room || !room.visibleTo(user)) throw new HubError('NO_SUCH_ROOM', { room: req.in });
    if (!room.members.has(user)) throw new HubError('NOT_IN_ROOM', { room: room.name });
    rooms = [room.key];
  }
  const limit = Math.max(1, Math.min(req.limit ?? SEARCH_LIMIT_MAX, SEARCH_LIMIT_MAX));
  return {
    rooms,
    text,
    limit,
    ...(req.from !== undefined ? { from: req.from } : {}),
    ...(req.after !== undefined ? { after: req.after } : {}),
    ...(req.before !== undefined ? { before: req.before } : {}),
  };
}
