import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { ChatMessage } from '../core/history.js';
import { StoreError } from '../errors.js';
import { insertMessages, insertReactions, migrate, openPool, type PendingReaction } from './postgres.js';
import { redactUrl } from './url.js';

export interface CopyResult {
  /** Messages in the SQLite history. */
  total: number;
  /** Messages written to PostgreSQL by this run. */
  copied: number;
  /** Messages PostgreSQL had already (an earlier run, or a node that stored them): left as they are. */
  skipped: number;
}

interface SqliteRow {
  seq: number;
  time: number;
  room: string;
  sender: string;
  sender_mask: string;
  /** Absent in a database made before it. */
  sender_account?: string | null;
  text: string;
  kind: ChatMessage['kind'];
}

/** The SQLite history file of a data directory (`--data-dir`), or undefined when there is none. */
export function sqliteHistoryFile(dataDir: string): string | undefined {
  const file = join(dataDir, 'history.sqlite');
  return existsSync(file) ? file : undefined;
}

/**
 * Copies a single machine's SQLite history to PostgreSQL with the same ids, times and rooms, in batches
 * of `batch` messages, each in its own transaction. Idempotent: a message whose id PostgreSQL already
 * has is skipped, so running it again (or after an interruption) copies nothing twice.
 */
export async function copySqliteToPostgres(
  file: string,
  url: string,
  options: { batch?: number; progress?: (done: number, total: number) => void } = {},
): Promise<CopyResult> {
  const batch = options.batch ?? 1000;
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    db.prepare('SELECT seq FROM messages LIMIT 1').get();
  } catch (err) {
    throw new StoreError('store.migrate.badSqlite', { file, reason: (err as Error).message });
  }
  try {
    const pool = await openPool(url, 1);
    try {
      await migrate(pool).catch((err: unknown) => {
        throw new StoreError('store.migrateFailed', { url: redactUrl(url), reason: (err as Error).message });
      });
      const total = (db.prepare('SELECT COUNT(*) AS n FROM messages').get() as { n: number }).n;
      const page = db.prepare('SELECT * FROM messages WHERE seq > ? ORDER BY seq LIMIT ?');
      const result: CopyResult = { total, copied: 0, skipped: 0 };
      let after = -1;
      for (;;) {
        const rows = page.all(after, batch) as SqliteRow[];
        if (rows.length === 0) break;
        const messages = rows.map((r): ChatMessage => ({
          seq: r.seq,
          id: String(r.seq),
          time: r.time,
          target: r.room,
          private: false,
          from: r.sender,
          fromMask: r.sender_mask,
          text: r.text,
          kind: r.kind,
          ...(r.sender_account ? { account: r.sender_account } : {}),
        }));
        const copied = await insertMessages(pool, messages, 'skip').catch((err: unknown) => {
          throw new StoreError('store.unreachable', { url: redactUrl(url), reason: (err as Error).message });
        });
        result.copied += copied;
        result.skipped += rows.length - copied;
        after = rows.at(-1)!.seq;
        options.progress?.(result.copied + result.skipped, total);
      }
      await copyReactions(db, pool, batch);
      return result;
    } finally {
      await pool.end();
    }
  } finally {
    db.close();
  }
}

/** The reactions kept with the messages (a database from before them has none), once each. */
async function copyReactions(db: Database.Database, pool: Awaited<ReturnType<typeof openPool>>, batch: number) {
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'reactions'").get() !== undefined;
  if (!exists) return;
  const page = db.prepare(
    `SELECT r.rowid AS id, r.seq, r.nick, r.emoji, r.time, m.room_key AS roomKey
     FROM reactions r JOIN messages m ON m.seq = r.seq WHERE r.rowid > ? ORDER BY r.rowid LIMIT ?`,
  );
  let after = -1;
  for (;;) {
    const rows = page.all(after, batch) as Array<PendingReaction & { id: number }>;
    if (rows.length === 0) return;
    // ON CONFLICT DO NOTHING: a second run copies nothing twice.
    await insertReactions(pool, rows);
    after = rows.at(-1)!.id;
  }
}
