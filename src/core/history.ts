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
  /** The sender's account, when logged in (live messages only, like `bot`). */
  account?: string;
}

/** A point in a room's history: a message (by sequence) or a time. */
export type Cursor = { seq: number } | { time: number };

export interface HistoryQuery {
  /** Only messages strictly before this point. */
  before?: Cursor;
  /** Only messages strictly after this point. */
  after?: Cursor;
  limit: number;
}

/**
 * Where room messages are kept. `append` is called in the same event-loop turn as the fan-out; the hub
 * calls `flush` at the end of that turn, before any socket write of the turn, so a message a client has
 * received is always on disk (a `kill -9` loses nothing anyone saw).
 *
 * Every adapter passes `test/storage/history-contract.ts`.
 */
export interface HistoryStore {
  /** Highest sequence stored (0 when empty), so ids keep increasing across restarts. */
  lastSeq(): number;
  append(message: ChatMessage): void;
  flush(): void;
  /**
   * Messages of one room, oldest first. With `after`: the first `limit` after it (up to `before`);
   * otherwise the last `limit` (before `before` when given).
   */
  query(roomKey: string, q: HistoryQuery): ChatMessage[];
  /** Rooms that have history, most recent activity first (for listing known rooms). */
  rooms(limit: number): string[];
  close(): void;
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
export function historyPage(
  store: HistoryStore,
  roomKey: string,
  q: HistoryQuery,
): { messages: ChatMessage[]; more: boolean } {
  const messages = store.query(roomKey, { ...q, limit: q.limit + 1 });
  const more = messages.length > q.limit;
  if (!more) return { messages, more };
  return { messages: q.after ? messages.slice(0, q.limit) : messages.slice(1), more };
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

  flush(): void {}

  query(roomKey: string, q: HistoryQuery): ChatMessage[] {
    const list = this.#rooms.get(roomKey) ?? [];
    let selected = list.filter(
      (m) => (!q.before || beforeCursor(m, q.before)) && (!q.after || afterCursor(m, q.after)),
    );
    selected = q.after ? selected.slice(0, q.limit) : selected.slice(Math.max(0, selected.length - q.limit));
    return selected;
  }

  rooms(limit: number): string[] {
    return [...this.#rooms.entries()]
      .sort((a, b) => (b[1].at(-1)?.seq ?? 0) - (a[1].at(-1)?.seq ?? 0))
      .slice(0, limit)
      .map(([k]) => this.#names.get(k) ?? k);
  }

  close(): void {}
}
