import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { ReadMarkerStore } from '../core/read-markers.js';

/**
 * Read markers in SQLite: `read-markers.sqlite` in the data directory (WAL), a file of its own beside
 * the history and the accounts. One row per account and target; a marker only moves forward, in the
 * statement itself (`MAX`), so two servers on one file cannot move it back.
 */
export class SqliteReadMarkerStore implements ReadMarkerStore {
  readonly db: Database.Database;
  readonly #get: Database.Statement<[string, string], { time: number }>;
  readonly #advance: Database.Statement<[string, string, number]>;

  /** `dataDir` of `:memory:` keeps nothing on disk. */
  constructor(dataDir: string) {
    let file = ':memory:';
    if (dataDir !== ':memory:') {
      mkdirSync(dataDir, { recursive: true });
      file = join(dataDir, 'read-markers.sqlite');
    }
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS read_markers (
        account TEXT NOT NULL,
        target TEXT NOT NULL,
        time INTEGER NOT NULL,
        PRIMARY KEY (account, target)
      ) WITHOUT ROWID;
    `);
    this.#get = this.db.prepare('SELECT time FROM read_markers WHERE account = ? AND target = ?');
    this.#advance = this.db.prepare(
      `INSERT INTO read_markers (account, target, time) VALUES (?, ?, ?)
       ON CONFLICT (account, target) DO UPDATE SET time = MAX(time, excluded.time)`,
    );
  }

  /** The markers are on disk: nothing to read ahead. */
  load(): Promise<void> {
    return Promise.resolve();
  }

  get(account: string, target: string): number | undefined {
    return this.#get.get(account, target)?.time;
  }

  advance(account: string, target: string, time: number): number {
    this.#advance.run(account, target, time);
    return this.get(account, target) ?? time;
  }

  /** Kept like {@link advance} (a node's own file is not shared: the other nodes do not tell it theirs). */
  learn(account: string, target: string, time: number): number {
    return this.advance(account, target, time);
  }

  hold(): void {}
  release(): void {}

  /** Written in the statement itself. */
  written(): Promise<void> {
    return Promise.resolve();
  }

  close(): void {
    this.db.close();
  }
}
