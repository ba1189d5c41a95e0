import { casefold } from './names.js';

/** A room message as the hub stamps it and as history keeps it. */
export interface ChatMessage {
  /** Server-wide sequence, increasing; `id` is its decimal string (IRC `msgid`, web `id`). */
  seq: number;
  id: string;
  /** Server time, milliseconds since the epoch. */
  time: number;
  /** Room name, or the recipient's nick for a private message. */
  target: string;
  private: boolean;
  from: string;
  /** `nick!user@host` of the sender when it was sent. */
  fromMask: string;
  text: string;
  kind: 'message' | 'action' | 'notice';
  /** Sent by a bot (live messages only: history does not keep it). */
  bot?: true;
  /** The sender's account, when logged in (kept in history: it says who may delete the message). */
  account?: string;
  /** Reactions kept with it (history only: a live message has none yet), oldest first; absent when none. */
  reactions?: Reaction[];
}

/** A reaction to a stored room message (IRC `+draft/react`), as history keeps it. */
export interface Reaction {
  nick: string;
  emoji: string;
}

/** A point in a room's history: a message (by sequence) or a time. */
export type Cursor = { seq: number } | { time: number };

/** The longest search text, in UTF-16 units (longer is refused: the doors say so). */
export const SEARCH_TEXT_MAX = 200;
/** The most results one search returns. */
export const SEARCH_LIMIT_MAX = 100;

/**
 * A full-text search over some rooms' history. Every word must appear (whole words, any case); a
 * `"quoted phrase"` must appear as written. The store answers the newest `limit` matches, oldest first.
 */
export interface SearchQuery {
  /** Case-folded room names searched: the rooms the person may read (the hub decides which). */
  rooms: string[];
  text: string;
  /** Only messages sent under this nickname (any case). */
  from?: string;
  /** Only messages sent at or after this time (ms since the epoch). */
  after?: number;
  /** Only messages sent at or before this time. */
  before?: number;
  limit: number;
}

export interface HistoryQuery {
  /** Only messages strictly before this point. */
  before?: Cursor;
  /** Only messages strictly after this point. */
  after?: Cursor;
  limit: number;
}

/**
 * Where room messages are kept, synchronously (memory, SQLite). `append` is called in the same event-loop
 * turn as the fan-out; the hub calls `flush` at the end of that turn, before any socket write of the turn,
 * so a message a client has received is always on disk (a `kill -9` loses nothing anyone saw).
 *
 * Every adapter passes `test/storage/history-contract.ts`.
 */
export interface HistoryStore {
  /** Absent or true: every call answers at once (see {@link AsyncHistoryStore}). */
  readonly sync?: true;
  /** Highest sequence stored (0 when empty), so ids keep increasing across restarts. */
  lastSeq(): number;
  append(message: ChatMessage): void;
  /**
   * Keeps a reaction to the message `seq` of a room, committed by the next `flush` (after the messages
   * appended before it). Ignored when that room has no such message, or when it is there already.
   */
  react(roomKey: string, seq: number, reaction: Reaction & { time: number }): void;
  flush(): void;
  /**
   * Messages of one room, oldest first. With `after`: the first `limit` after it (up to `before`);
   * otherwise the last `limit` (before `before` when given).
   */
  query(roomKey: string, q: HistoryQuery): ChatMessage[];
  /** Rooms that have history, most recent activity first (for listing known rooms). */
  rooms(limit: number): string[];
  /** Deletes one message of a room (a redaction): from every later query and search. Whether it was there. */
  remove(roomKey: string, seq: number): boolean;
  /** Full-text search (see {@link SearchQuery}). */
  search(q: SearchQuery): ChatMessage[];
  close(): void;
}

/**
 * Where room messages are kept, over a network (PostgreSQL): the same operations, answered later. The hub
 * holds a room message back until the `flush` that carries it has resolved, then fans it out; when it
 * rejects, the sender is refused (`HISTORY_UNAVAILABLE`) and no one receives it. Flushes commit in the
 * order they were called, so room order is commit order.
 *
 * Passes the same `test/storage/history-contract.ts` as the synchronous stores.
 */
export interface AsyncHistoryStore {
  readonly sync: false;
  /** Highest sequence stored when the store was opened (or since, by this store). */
  lastSeq(): number;
  append(message: ChatMessage): void;
  /** See {@link HistoryStore.react}; a reaction that cannot be stored is told to `onError`, never a refusal. */
  react(roomKey: string, seq: number, reaction: Reaction & { time: number }): void;
  /** Commits what was appended since the last call, in one transaction; rejects when it is not stored. */
  flush(): Promise<void>;
  query(roomKey: string, q: HistoryQuery): Promise<ChatMessage[]>;
  rooms(limit: number): Promise<string[]>;
  remove(roomKey: string, seq: number): Promise<boolean>;
  search(q: SearchQuery): Promise<ChatMessage[]>;
  /** Waits for the flushes under way, then lets go of the connections. */
  close(): Promise<void>;
}

export type AnyHistoryStore = HistoryStore | AsyncHistoryStore;

/** A value now (synchronous store) or later (asynchronous one). */
export type MaybePromise<T> = T | Promise<T>;

/**
 * Runs `f` on a value now, or when it arrives: the synchronous stores' path makes no promise at all.
 *
 * @example
 * return andThen(hub.roomHistory(room, { limit: 20 }), (messages) => show(messages));
 */
export function andThen<T, R>(value: MaybePromise<T>, f: (v: T) => R): R | Promise<Awaited<R>> {
  return value instanceof Promise ? (value.then(f) as Promise<Awaited<R>>) : f(value);
}

/** Every value, now when all are (see {@link andThen}). */
export function allOf<T>(values: Array<MaybePromise<T>>): MaybePromise<T[]> {
  return values.some((v) => v instanceof Promise) ? Promise.all(values) : (values as T[]);
}

function afterCursor(m: ChatMessage, c: Cursor): boolean {
  return 'seq' in c ? m.seq > c.seq : m.time > c.time;
}
function beforeCursor(m: ChatMessage, c: Cursor): boolean {
  return 'seq' in c ? m.seq < c.seq : m.time < c.time;
}

/**
 * One page of a room's history, and whether there is more beyond it in the direction of paging (later
 * messages with `after`, earlier ones otherwise). The one rule of paging for every door.
 */
export function historyPage(store: AnyHistoryStore, roomKey: string, q: HistoryQuery): MaybePromise<HistoryPage> {
  return andThen(store.query(roomKey, { ...q, limit: q.limit + 1 }), (messages): HistoryPage => {
    const more = messages.length > q.limit;
    if (!more) return { messages, more };
    return { messages: q.after ? messages.slice(0, q.limit) : messages.slice(1), more };
  });
}

export interface HistoryPage {
  messages: ChatMessage[];
  more: boolean;
}

/**
 * The words and `"quoted phrases"` of a search text, as the stores read it (at most 16; quotes removed).
 *
 * @example
 * searchTerms('bom "dia de sol"') // ['bom', 'dia de sol']
 */
export function searchTerms(text: string): string[] {
  return (text.match(/"[^"]*"|[^\s"]+/g) ?? [])
    .map((t) => t.replace(/^"|"$/g, '').trim())
    .filter((t) => t !== '')
    .slice(0, 16);
}

/** The words of a text as full-text search sees them: letters and digits, lower case, without accents. */
function words(text: string): string[] {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '');
}

/** History in memory, bounded per room: for tests and embedding. */
export class MemoryHistory implements HistoryStore {
  readonly #rooms = new Map<string, ChatMessage[]>();
  readonly #names = new Map<string, string>();
  #last = 0;

  constructor(private readonly perRoom = 10_000) {}

  lastSeq(): number {
    return this.#last;
  }

  append(message: ChatMessage): void {
    if (message.private) return;
    const key = casefold(message.target);
    let list = this.#rooms.get(key);
    if (!list) this.#rooms.set(key, (list = []));
    this.#names.set(key, message.target);
    list.push(message);
    if (list.length > this.perRoom) list.splice(0, list.length - this.perRoom);
    this.#last = Math.max(this.#last, message.seq);
  }

  react(roomKey: string, seq: number, r: Reaction & { time: number }): void {
    const m = this.#rooms.get(roomKey)?.find((x) => x.seq === seq);
    if (!m || m.reactions?.some((x) => x.nick === r.nick && x.emoji === r.emoji)) return;
    // The stored object is not the one the hub fanned out (that one stays without reactions).
    const i = this.#rooms.get(roomKey)!.indexOf(m);
    this.#rooms.get(roomKey)![i] = { ...m, reactions: [...(m.reactions ?? []), { nick: r.nick, emoji: r.emoji }] };
  }

  flush(): void {}

  query(roomKey: string, q: HistoryQuery): ChatMessage[] {
    const list = this.#rooms.get(roomKey) ?? [];
    let selected = list.filter(
      (m) => (!q.before || beforeCursor(m, q.before)) && (!q.after || afterCursor(m, q.after)),
    );
    selected = q.after ? selected.slice(0, q.limit) : selected.slice(Math.max(0, selected.length - q.limit));
    return selected;
  }

  remove(roomKey: string, seq: number): boolean {
    const list = this.#rooms.get(roomKey);
    const i = list?.findIndex((m) => m.seq === seq) ?? -1;
    if (i < 0) return false;
    list!.splice(i, 1);
    return true;
  }

  search(q: SearchQuery): ChatMessage[] {
    const wanted = searchTerms(q.text).map((t) => ` ${words(t).join(' ')} `);
    if (wanted.length === 0 || wanted.some((w) => w.trim() === '')) return [];
    const from = q.from?.toLowerCase();
    const found: ChatMessage[] = [];
    for (const key of new Set(q.rooms)) {
      for (const m of this.#rooms.get(key) ?? []) {
        if (from !== undefined && m.from.toLowerCase() !== from) continue;
        if ((q.after !== undefined && m.time < q.after) || (q.before !== undefined && m.time > q.before)) continue;
        const text = ` ${words(m.text).join(' ')} `;
        if (wanted.every((w) => text.includes(w))) found.push(m);
      }
    }
    found.sort((a, b) => a.seq - b.seq);
    return found.slice(Math.max(0, found.length - Math.max(0, Math.min(q.limit, SEARCH_LIMIT_MAX))));
  }

  rooms(limit: number): string[] {
    return [...this.#rooms.entries()]
      .sort((a, b) => (b[1].at(-1)?.seq ?? 0) - (a[1].at(-1)?.seq ?? 0))
      .slice(0, limit)
      .map(([k]) => this.#names.get(k) ?? k);
  }

  close(): void {}
}
