import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import {
  type Reaction,
  SEARCH_LIMIT_MAX,
  searchTerms,
  type ChatMessage,
  type Cursor,
  type HistoryQuery,
  type HistoryStore,
  type SearchQuery,
} from '../core/history.js';
import { casefold } from '../core/names.js';
import { BACKSTOP_FRAMES, WalCheckpointer } from './sqlite-checkpointer.js';

interface Row {
  seq: number;
  time: number;
  room: string;
  sender: string;
  sender_mask: string;
  sender_account: string | null;
  text: string;
  kind: ChatMessage['kind'];
}

const KINDS = new Set(['message', 'action', 'notice']);

/** Commits after which the WAL's checkpoints move to a worker thread. */
const CHECKPOINTER_AFTER = 32;

interface PendingReaction {
  roomKey: string;
  seq: number;
  nick: string;
  emoji: string;
  time: number;
}

/**
 * Room history in SQLite (WAL). Appends are buffered in memory and committed in one transaction per
 * event-loop turn by `flush()`, which the hub runs before that turn's socket writes.
 *
 * `synchronous=NORMAL` in WAL mode: a committed transaction survives the process being killed (`kill -9`);
 * only a power loss can take the last commits, which is the trade every chat server makes.
 */
export class SqliteHistory implements HistoryStore {
  readonly db: Database.Database;
  #pending: ChatMessage[] = [];
  #pendingReactions: PendingReaction[] = [];
  readonly #insert: Database.Statement;
  readonly #insertReaction: Database.Statement;
  readonly #commit: (rows: ChatMessage[], reactions: PendingReaction[]) => void;
  /**
   * Prepared once per query shape (a handful: before/after, by id or by time). Preparing per query cost
   * a parse and plan each time, and each statement held native memory until the JS wrapper was
   * collected: 10,000 joins held about 7 MiB (bench scenario 3).
   */
  readonly #statements = new Map<string, Database.Statement>();
  /** The database's file (undefined in memory): its WAL is checkpointed by a worker once writes come. */
  readonly #file: string | undefined;
  #commits = 0;
  #checkpointer: WalCheckpointer | undefined;

  /** `dataDir` of `:memory:` keeps nothing on disk. */
  constructor(dataDir: string) {
    let file = ':memory:';
    if (dataDir !== ':memory:') {
      mkdirSync(dataDir, { recursive: true });
      file = join(dataDir, 'history.sqlite');
      this.#file = file;
    }
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS messages (
        seq INTEGER PRIMARY KEY,
        time INTEGER NOT NULL,
        room TEXT NOT NULL,
        room_key TEXT NOT NULL,
        sender TEXT NOT NULL,
        sender_mask TEXT NOT NULL,
        text TEXT NOT NULL,
        kind TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS messages_room_seq ON messages (room_key, seq);
      CREATE INDEX IF NOT EXISTS messages_room_time ON messages (room_key, time);
    `);
    // The sender's account (who may delete the message): a column added to databases made before it.
    const columns = this.db.prepare('PRAGMA table_info(messages)').all() as Array<{ name: string }>;
    if (!columns.some((c) => c.name === 'sender_account'))
      this.db.exec('ALTER TABLE messages ADD COLUMN sender_account TEXT');
    this.#createSearchIndex();
    // Reactions kept with their message (IRC +draft/react); deleted with it.
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS reactions (
        seq INTEGER NOT NULL,
        nick TEXT NOT NULL,
        emoji TEXT NOT NULL,
        time INTEGER NOT NULL,
        PRIMARY KEY (seq, nick, emoji)
      );
      CREATE TRIGGER IF NOT EXISTS messages_reactions_delete AFTER DELETE ON messages BEGIN
        DELETE FROM reactions WHERE seq = old.seq;
      END;
    `);
    this.#insertReaction = this.db.prepare(
      `INSERT OR IGNORE INTO reactions (seq, nick, emoji, time)
       SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM messages WHERE seq = ? AND room_key = ?)`,
    );
    this.#insert = this.db.prepare(
      `INSERT INTO messages (seq, time, room, room_key, sender, sender_mask, sender_account, text, kind)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#commit = this.db.transaction((rows: ChatMessage[], reactions: PendingReaction[]) => {
      for (const m of rows)
        this.#insert.run(
          m.seq,
          m.time,
          m.target,
          casefold(m.target),
          m.from,
          m.fromMask,
          m.account ?? null,
          m.text,
          m.kind,
        );
      for (const r of reactions) this.#insertReaction.run(r.seq, r.nick, r.emoji, r.time, r.seq, r.roomKey);
    });
  }

  /**
   * Full-text search: an FTS5 index of the messages' text (external content: the text is kept once),
   * kept in step by triggers on insert and delete. A database from before it is indexed once, on open.
   * `unicode61 remove_diacritics 2`: any case, and `nao` finds `não`.
   */
  #createSearchIndex(): void {
    const had = this.db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'messages_fts'").get() !== undefined;
    this.db.exec(`
      CREATE VIRTUAL TABLE IF NOT EXISTS messages_fts USING fts5(
        text, content = 'messages', content_rowid = 'seq', tokenize = 'unicode61 remove_diacritics 2'
      );
      CREATE TRIGGER IF NOT EXISTS messages_fts_insert AFTER INSERT ON messages BEGIN
        INSERT INTO messages_fts (rowid, text) VALUES (new.seq, new.text);
      END;
      CREATE TRIGGER IF NOT EXISTS messages_fts_delete AFTER DELETE ON messages BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.seq, old.text);
      END;
    `);
    if (!had) this.db.exec("INSERT INTO messages_fts (messages_fts) VALUES ('rebuild')");
  }

  lastSeq(): number {
    const row = this.db.prepare('SELECT MAX(seq) AS seq FROM messages').get() as { seq: number | null };
    return row.seq ?? 0;
  }

  append(message: ChatMessage): void {
    if (message.private) return;
    this.#pending.push(message);
  }

  react(roomKey: string, seq: number, r: Reaction & { time: number }): void {
    this.#pendingReactions.push({ roomKey, seq, nick: r.nick, emoji: r.emoji, time: r.time });
  }

  flush(): void {
    if (this.#pending.length === 0 && this.#pendingReactions.length === 0) return;
    const rows = this.#pending;
    const reactions = this.#pendingReactions;
    this.#pending = [];
    this.#pendingReactions = [];
    this.#commit(rows, reactions);
    if (++this.#commits === CHECKPOINTER_AFTER) this.#startCheckpointer();
  }

  /**
   * From the first few commits on (a store that is written to, not one a test or a quiet server opens),
   * the WAL is checkpointed by a worker thread, off the event loop (see {@link WalCheckpointer}), and this
   * connection checkpoints only as a backstop.
   */
  #startCheckpointer(): void {
    if (this.#file === undefined) return;
    this.#checkpointer = new WalCheckpointer(this.#file, (err) => process.emitWarning(err));
    this.db.pragma(`wal_autocheckpoint = ${BACKSTOP_FRAMES}`);
  }

  /** The worker checkpointing the WAL, once started (tests). */
  get checkpointer(): WalCheckpointer | undefined {
    return this.#checkpointer;
  }

  query(roomKey: string, q: HistoryQuery): ChatMessage[] {
    this.flush();
    const where = ['room_key = ?'];
    const args: Array<string | number> = [roomKey];
    const cond = (c: Cursor, op: '<' | '>') => {
      if ('seq' in c) {
        where.push(`seq ${op} ?`);
        args.push(c.seq);
      } else {
        where.push(`time ${op} ?`);
        args.push(c.time);
      }
    };
    if (q.before) cond(q.before, '<');
    if (q.after) cond(q.after, '>');
    const limit = Math.max(0, Math.min(q.limit, 10_000));
    const sql = q.after
      ? `SELECT * FROM messages WHERE ${where.join(' AND ')} ORDER BY seq ASC LIMIT ?`
      : `SELECT * FROM (SELECT * FROM messages WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT ?) ORDER BY seq ASC`;
    return this.#withReactions((this.#statement(sql).all(...args, limit) as Row[]).map(fromRow));
  }

  /** The messages with their reactions (one query for the page), oldest reaction first. */
  #withReactions(list: ChatMessage[]): ChatMessage[] {
    if (list.length === 0) return list;
    const rows = this.#statement(
      'SELECT seq, nick, emoji FROM reactions WHERE seq IN (SELECT value FROM json_each(?)) ORDER BY time, rowid',
    ).all(JSON.stringify(list.map((m) => m.seq))) as Array<{ seq: number; nick: string; emoji: string }>;
    if (rows.length === 0) return list;
    const bySeq = new Map(list.map((m) => [m.seq, m]));
    for (const r of rows) (bySeq.get(r.seq)!.reactions ??= []).push({ nick: r.nick, emoji: r.emoji });
    return list;
  }

  remove(roomKey: string, seq: number): boolean {
    this.flush();
    return this.#statement('DELETE FROM messages WHERE room_key = ? AND seq = ?').run(roomKey, seq).changes > 0;
  }

  search(q: SearchQuery): ChatMessage[] {
    this.flush();
    const terms = searchTerms(q.text);
    if (terms.length === 0 || q.rooms.length === 0) return [];
    // Each word or phrase as an FTS5 string (its own quotes doubled): no operator of the query language.
    const match = terms.map((t) => `"${t.replaceAll('"', '""')}"`).join(' ');
    const where = ['messages_fts MATCH ?', 'm.room_key IN (SELECT value FROM json_each(?))'];
    const args: Array<string | number> = [match, JSON.stringify([...new Set(q.rooms)])];
    if (q.from !== undefined) {
      where.push('lower(m.sender) = lower(?)');
      args.push(q.from);
    }
    if (q.after !== undefined) {
      where.push('m.time >= ?');
      args.push(q.after);
    }
    if (q.before !== undefined) {
      where.push('m.time <= ?');
      args.push(q.before);
    }
    const sql = `SELECT m.* FROM messages_fts JOIN messages m ON m.seq = messages_fts.rowid
      WHERE ${where.join(' AND ')} ORDER BY m.seq DESC LIMIT ?`;
    const rows = this.#statement(sql).all(...args, Math.max(0, Math.min(q.limit, SEARCH_LIMIT_MAX))) as Row[];
    return rows.reverse().map(fromRow);
  }

  rooms(limit: number): string[] {
    const rows = this.#statement(
      'SELECT room, MAX(seq) AS last FROM messages GROUP BY room_key ORDER BY last DESC LIMIT ?',
    ).all(limit) as Array<{ room: string }>;
    return rows.map((r) => r.room);
  }

  #statement(sql: string): Database.Statement {
    let st = this.#statements.get(sql);
    if (!st) {
      st = this.db.prepare(sql);
      this.#statements.set(sql, st);
    }
    return st;
  }

  close(): void {
    this.flush();
    this.#checkpointer?.stop();
    this.db.close();
  }
}

function fromRow(r: Row): ChatMessage {
  return {
    seq: r.seq,
    id: String(r.seq),
    time: r.time,
    target: r.room,
    private: false,
    from: r.sender,
    fromMask: r.sender_mask,
    text: r.text,
    kind: KINDS.has(r.kind) ? r.kind : 'message',
    ...(r.sender_account !== null && r.sender_account !== undefined ? { account: r.sender_account } : {}),
  };
}
