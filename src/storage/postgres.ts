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
import { isCertificateError, StoreError } from '../errors.js';
import { transientPgError } from './postgres-errors.js';
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
  /** Failed inserts so far (a reaction kept for another try; see PostgresHistory). */
  tries?: number;
}

/** A kept reaction is tried again this long after a failure at first, doubling up to the most (ms). */
const REACTION_RETRY_FIRST_MS = 500;
const REACTION_RETRY_MAX_MS = 30_000;
/** Tries of one reaction at most, and reactions kept at most (the oldest go first), before they are dropped. */
const REACTION_MAX_TRIES = 20;
const REACTIONS_KEPT_MAX = 10_000;

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
    // A Buffer, sent in binary format (for `json` that is the text itself): a string of the whole batch
    // handed to the driver outlived young collections at every flush (as with ioredis: see redis-bus.ts),
    // copied twice and promoted; a Buffer's bytes live outside the JS heap.
    values: [Buffer.from(json)],
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
    const key = isCertificateError(err) ? 'store.untrusted' : 'store.unreachable';
    throw new StoreError(key, { url: redactUrl(url), reason: (err as Error).message });
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
  /** Reactions for the next commit: new ones, after any kept from a commit that failed. */
  #reactions: PendingReaction[] = [];
  #reactionRetry: NodeJS.Timeout | undefined;
  #reactionDelay = REACTION_RETRY_FIRST_MS;
  #closing = false;
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
    // The messages decide the batch's fate; its reactions follow them (those to a message of this batch
    // need it there first), and when they fail they are kept for another try, not the messages' concern.
    const messages = batch.rows.length > 0 ? insertMessages(this.pool, batch.rows, 'fail') : Promise.resolve(0);
    const stored = messages.then(async () => {
      if (batch.reactions.length === 0) return;
      await insertReactions(this.pool, batch.reactions).then(
        () => (this.#reactionDelay = REACTION_RETRY_FIRST_MS),
        (err: unknown) => this.#keepReactions(batch.reactions, err as Error, true),
      );
    });
    this.#running = stored.then(
      () => {
        for (const m of batch.rows) if (m.seq > this.#last) this.#last = m.seq;
        batch.resolve();
      },
      (err: unknown) => {
        this.options.onError?.(err as Error);
        // Not tried: the messages before them failed.
        this.#keepReactions(batch.reactions, err as Error, false);
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

  /**
   * A reaction insert that failed because the database was away (or was not tried: its batch's messages
   * failed) is kept, ahead of newer reactions, and tried again 0.5 s to 30 s later: the people saw the
   * reaction, so the table must get it. One that PostgreSQL refuses, tried too often, or too many kept
   * at once, is reported and dropped. Reactions are idempotent rows (`ON CONFLICT DO NOTHING`), so a try
   * that did reach the table is harmless.
   */
  #keepReactions(list: PendingReaction[], err: Error, tried: boolean): void {
    if (tried) this.options.onError?.(err);
    if (list.length === 0 || this.#closing || (tried && !transientPgError(err))) return;
    const kept = list.filter((r) => (r.tries = (r.tries ?? 0) + 1) < REACTION_MAX_TRIES);
    const all = [...kept, ...this.#reactions];
    this.#reactions = all.length > REACTIONS_KEPT_MAX ? all.slice(all.length - REACTIONS_KEPT_MAX) : all;
    const dropped = list.length - kept.length + Math.max(0, all.length - REACTIONS_KEPT_MAX);
    if (dropped > 0) this.options.onError?.(new Error(`${dropped} reaction(s) dropped: not stored after retries`));
    if (this.#reactionRetry || this.#reactions.length === 0) return;
    this.#reactionRetry = setTimeout(() => {
      this.#reactionRetry = undefined;
      this.flush().catch(() => {}); // a failure is reported (and its reactions kept) by #start
    }, this.#reactionDelay);
    this.#reactionRetry.unref();
    this.#reactionDelay = Math.min(this.#reactionDelay * 2, REACTION_RETRY_MAX_MS);
  }

  /**
   * The messages with their reactions (one more query for the page), oldest reaction first; those kept
   * for another try (the database was away) follow the table's, so a page read meanwhile shows them too.
   */
  async #withReactions(list: ChatMessage[]): Promise<ChatMessage[]> {
    if (list.length === 0) return list;
    const { rows } = await this.pool.query<{ seq: string; nick: string; emoji: string }>(
      'SELECT seq, nick, emoji FROM reactions WHERE seq = ANY($1::bigint[]) ORDER BY n',
      [list.map((m) => m.seq)],
    );
    const bySeq = new Map(list.map((m) => [m.seq, m]));
    for (const r of rows) (bySeq.get(Number(r.seq))!.reactions ??= []).push({ nick: r.nick, emoji: r.emoji });
    for (const r of this.#reactions) {
      const m = bySeq.get(r.seq);
      if (!m || casefold(m.target) !== r.roomKey || m.reactions?.some((x) => x.nick === r.nick && x.emoji === r.emoji))
        continue;
      (m.reactions ??= []).push({ nick: r.nick, emoji: r.emoji });
    }
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
    this.#closing = true; // the last flush is the kept reactions' last try
    clearTimeout(this.#reactionRetry);
    const pending = this.flush();
    await pending.catch(() => {});
    await this.#running?.catch(() => {});
    await this.pool.end();
  }
}
