import pg from 'pg';
import {
  type Reaction,
  SEARCH_LIMIT_MAX,
  type AsyncHistoryStore,
  type ChatMessage,
  type Cursor,
  type HistoryQuery,
  type SearchQuery,
} from '../core/history.js';
import { casefold } from '../core/names.js';
import { StoreError } from '../errors.js';
import { redactUrl } from './url.js';

export { redactUrl, storeUrlProblem } from './url.js';
// The schema and its steps live in a file of their own; what imported them from here still can.
export { MIGRATIONS, migrate } from './postgres-migrations.js';
import { migrate } from './postgres-migrations.js';

export interface PendingReaction {
  roomKey: string;
  seq: number;
  nick: string;
  emoji: string;
  time: number;
}

/** Inserts reactions to messages that are there (of that room), once each. */
export async function insertReactions(db: pg.Pool, rows: readonly PendingReaction[]): Promise<void> {
  await db.query(
    `INSERT INTO reactions (seq, nick, emoji, time)
     SELECT r.seq, r.nick, r.emoji, r.time
     FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::text[]) AS r (seq, nick, emoji, time, room_key)
     WHERE EXISTS (SELECT 1 FROM messages m WHERE m.seq = r.seq AND m.room_key = r.room_key)
     ON CONFLICT DO NOTHING`,
    [
      rows.map((r) => r.seq),
      rows.map((r) => r.nick),
      rows.map((r) => r.emoji),
      rows.map((r) => r.time),
      rows.map((r) => r.roomKey),
    ],
  );
}

interface Row {
  seq: string;
  time: string;
  room: string;
  sender: string;
  sender_mask: string;
  sender_account: string | null;
  text: string;
  kind: ChatMessage['kind'];
}

const KINDS = new Set(['message', 'action', 'notice']);

export interface PostgresOptions {
  /** Told of every failed operation (the hub only learns that a message was refused). */
  onError?: (err: Error) => void;
  /** Connections kept (default 4: commits go one at a time, reads beside them). */
  poolSize?: number;
}

/** A row as the hub stamped it. */
function fromRow(r: Row): ChatMessage {
  const seq = Number(r.seq);
  return {
    seq,
    id: String(seq),
    time: Number(r.time),
    target: r.room,
    private: false,
    from: r.sender,
    fromMask: r.sender_mask,
    text: r.text,
    kind: KINDS.has(r.kind) ? r.kind : 'message',
    ...(r.sender_account !== null && r.sender_account !== undefined ? { account: r.sender_account } : {}),
  };
}

/**
 * Inserts messages with one statement: the rows as one JSON parameter (`json_to_recordset`), so any batch
 * size fits and the driver does no per-value work (nine arrays cost it, and the server, more per flush).
 */
export async function insertMessages(
  db: pg.Pool | pg.PoolClient,
  rows: readonly ChatMessage[],
  onConflict: 'fail' | 'skip',
): Promise<number> {
  const json = JSON.stringify(
    rows.map((m) => ({
      seq: m.seq,
      time: m.time,
      room: m.target,
      room_key: casefold(m.target),
      sender: m.from,
      sender_mask: m.fromMask,
      text: m.text,
      kind: m.kind,
      sender_account: m.account ?? null,
    })),
  );
  const res = await db.query({
    // Named: each connection parses and plans it once, not on every flush (the hot path of a node's history).
    name: `tomada-insert-messages-${onConflict}`,
    text: `INSERT INTO messages (seq, time, room, room_key, sender, sender_mask, text, kind, sender_account)
     SELECT seq, time, room, room_key, sender, sender_mask, text, kind, sender_account
     FROM json_to_recordset($1::json) AS r (seq bigint, time bigint, room text, room_key text, sender text,
       sender_mask text, text text, kind text, sender_account text)
     ${onConflict === 'skip' ? 'ON CONFLICT (seq) DO NOTHING' : ''}`,
    values: [json],
  });
  return res.rowCount ?? 0;
}

/**
 * Opens a pool on `url` (`sslmode` and the rest of libpq's URL are pg's to read) and checks that the
 * server answers; an unreachable one is a {@link StoreError} naming the URL without its password.
 */
export async function openPool(url: string, size = 4): Promise<pg.Pool> {
  const pool = new pg.Pool({
    connectionString: url,
    max: size,
    connectionTimeoutMillis: 5_000,
    // A statement that hangs (a server that stopped answering) fails instead of holding messages forever.
    query_timeout: 10_000,
  });
  // An idle connection the server dropped: the pool discards it and connects again on next use.
  pool.on('error', () => {});
  try {
    await pool.query('SELECT 1');
  } catch (err) {
    await pool.end().catch(() => {});
    throw new StoreError('store.unreachable', { url: redactUrl(url), reason: (err as Error).message });
  }
  return pool;
}

/**
 * Room history in PostgreSQL, shared by every node of a network. Commits are group commits: what is
 * appended while one is under way goes together in the next (one INSERT, one round trip), and they run
 * one at a time, so flushes resolve in call order and room order is commit order.
 *
 * Open it with {@link PostgresHistory.open}: it migrates the schema and reads the last id.
 */
export class PostgresHistory implements AsyncHistoryStore {
  readonly sync = false;
  #last: number;
  #buffer: ChatMessage[] = [];
  #reactions: PendingReaction[] = [];
  /** The commit under way, and the batch that waits for it (all flushes meanwhile join it). */
  #running: Promise<void> | undefined;
  #next:
    | {
        rows: ChatMessage[];
        reactions: PendingReaction[];
        done: Promise<void>;
        resolve(): void;
        reject(err: unknown): void;
      }
    | undefined;

  private constructor(
    readonly pool: pg.Pool,
    last: number,
    private readonly options: PostgresOptions,
  ) {
    this.#last = last;
  }

  static async open(url: string, options: PostgresOptions = {}): Promise<PostgresHistory> {
    const pool = await openPool(url, options.poolSize);
    try {
      await migrate(pool);
      const { rows } = await pool.query<{ seq: string | null }>('SELECT MAX(seq) AS seq FROM messages');
      return new PostgresHistory(pool, Number(rows[0]?.seq ?? 0), options);
    } catch (err) {
      await pool.end().catch(() => {});
      throw new StoreError('store.migrateFailed', { url: redactUrl(url), reason: (err as Error).message });
    }
  }

  lastSeq(): number {
    return this.#last;
  }

  append(message: ChatMessage): void {
    if (message.private) return;
    this.#buffer.push(message);
  }

  react(roomKey: string, seq: number, r: Reaction & { time: number }): void {
    this.#reactions.push({ roomKey, seq, nick: r.nick, emoji: r.emoji, time: r.time });
  }

  flush(): Promise<void> {
    if (this.#buffer.length === 0 && this.#reactions.length === 0)
      return this.#next?.done ?? this.#running ?? Promise.resolve();
    const rows = this.#buffer;
    const reactions = this.#reactions;
    this.#buffer = [];
    this.#reactions = [];
    if (!this.#next) {
      let resolve!: () => void;
      let reject!: (err: unknown) => void;
      const done = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      this.#next = { rows: [], reactions: [], done, resolve, reject };
    }
    this.#next.rows.push(...rows);
    this.#next.reactions.push(...reactions);
    const { done } = this.#next;
    if (!this.#running) this.#start();
    return done;
  }

  /** Commits the waiting batch; when it is done, the one that gathered meanwhile. */
  #start(): void {
    const batch = this.#next!;
    this.#next = undefined;
    // The messages decide the batch's fate; its reactions follow them, and one that fails is only told.
    const messages = batch.rows.length > 0 ? insertMessages(this.pool, batch.rows, 'fail') : Promise.resolve(0);
    const stored = messages.then(async () => {
      if (batch.reactions.length > 0)
        await insertReactions(this.pool, batch.reactions).catch((err: unknown) => this.options.onError?.(err as Error));
    });
    this.#running = stored.then(
      () => {
        for (const m of batch.rows) if (m.seq > this.#last) this.#last = m.seq;
        batch.resolve();
      },
      (err: unknown) => {
        this.options.onError?.(err as Error);
        batch.reject(err);
      },
    );
    void this.#running.then(() => {
      this.#running = undefined;
      if (this.#next) this.#start();
    });
  }

  async query(roomKey: string, q: HistoryQuery): Promise<ChatMessage[]> {
    const where = ['room_key = $1'];
    const args: Array<string | number> = [roomKey];
    const cond = (c: Cursor, op: '<' | '>') => {
      args.push('seq' in c ? c.seq : c.time);
      where.push(`${'seq' in c ? 'seq' : 'time'} ${op} $${args.length}`);
    };
    if (q.before) cond(q.before, '<');
    if (q.after) cond(q.after, '>');
    args.push(Math.max(0, Math.min(q.limit, 10_000)));
    const limit = `$${args.length}`;
    const sql = q.after
      ? `SELECT * FROM messages WHERE ${where.join(' AND ')} ORDER BY seq ASC LIMIT ${limit}`
      : `SELECT * FROM (SELECT * FROM messages WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT ${limit}) t ORDER BY seq ASC`;
    return this.#read(async () => this.#withReactions((await this.pool.query<Row>(sql, args)).rows.map(fromRow)));
  }

  /** The messages with their reactions (one more query for the page), oldest reaction first. */
  async #withReactions(list: ChatMessage[]): Promise<ChatMessage[]> {
    if (list.length === 0) return list;
    const { rows } = await this.pool.query<{ seq: string; nick: string; emoji: string }>(
      'SELECT seq, nick, emoji FROM reactions WHERE seq = ANY($1::bigint[]) ORDER BY n',
      [list.map((m) => m.seq)],
    );
    const bySeq = new Map(list.map((m) => [m.seq, m]));
    for (const r of rows) (bySeq.get(Number(r.seq))!.reactions ??= []).push({ nick: r.nick, emoji: r.emoji });
    return list;
  }

  async remove(roomKey: string, seq: number): Promise<boolean> {
    // A message still on its way to the database is deleted once it is there: flushes commit in order.
    await this.flush().catch(() => {});
    return this.#read(async () => {
      const res = await this.pool.query('DELETE FROM messages WHERE room_key = $1 AND seq = $2', [roomKey, seq]);
      return (res.rowCount ?? 0) > 0;
    });
  }

  /** `websearch_to_tsquery`: words, "quoted phrases", `or`, `-word`; any text is a valid query. */
  async search(q: SearchQuery): Promise<ChatMessage[]> {
    if (q.rooms.length === 0 || q.text.trim() === '') return [];
    const args: Array<string | number | string[]> = [q.text, [...new Set(q.rooms)]];
    const where = ["to_tsvector('simple', text) @@ websearch_to_tsquery('simple', $1)", 'room_key = ANY($2::text[])'];
    const add = (sql: string, value: string | number) => {
      args.push(value);
      where.push(sql.replace('?', `$${args.length}`));
    };
    if (q.from !== undefined) add('lower(sender) = lower(?)', q.from);
    if (q.after !== undefined) add('time >= ?', q.after);
    if (q.before !== undefined) add('time <= ?', q.before);
    args.push(Math.max(0, Math.min(q.limit, SEARCH_LIMIT_MAX)));
    const sql = `SELECT * FROM messages WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT $${args.length}`;
    return this.#read(async () => (await this.pool.query<Row>(sql, args)).rows.reverse().map(fromRow));
  }

  /** A statement whose failure the operator is told of (the hub only words it to the person). */
  async #read<T>(f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (err) {
      this.options.onError?.(err as Error);
      throw err;
    }
  }

  async rooms(limit: number): Promise<string[]> {
    const { rows } = await this.pool.query<{ room: string }>(
      `SELECT room FROM (SELECT DISTINCT ON (room_key) room, seq FROM messages ORDER BY room_key, seq DESC) t
       ORDER BY seq DESC LIMIT $1`,
      [limit],
    );
    return rows.map((r) => r.room);
  }

  async close(): Promise<void> {
    const pending = this.flush();
    await pending.catch(() => {});
    await this.#running?.catch(() => {});
    await this.pool.end();
  }
}
