import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { MetadataStore } from '../core/account-metadata.js';

/**
 * The metadata of accounts in SQLite: `metadata.sqlite` in the data directory (WAL), a file of its own
 * beside the history, the accounts and the read markers. One row per account and key, in the order the
 * keys were first set.
 */
export class SqliteMetadataStore implements MetadataStore {
  readonly db: Database.Database;
  readonly #all: Database.Statement<[string], { key: string; value: string }>;
  readonly #set: Database.Statement<[string, string, string]>;
  readonly #delete: Database.Statement<[string, string]>;

  /** `dataDir` of `:memory:` keeps nothing on disk. */
  constructor(dataDir: string) {
    let file = ':memory:';
    if (dataDir !== ':memory:') {
      mkdirSync(dataDir, { recursive: true });
      file = join(dataDir, 'metadata.sqlite');
    }
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS account_metadata (
        account TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        UNIQUE (account, key)
      );
    `);
    this.#all = this.db.prepare('SELECT key, value FROM account_metadata WHERE account = ? ORDER BY rowid');
    this.#set = this.db.prepare(
      `INSERT INTO account_metadata (account, key, value) VALUES (?, ?, ?)
       ON CONFLICT (account, key) DO UPDATE SET value = excluded.value`,
    );
    this.#delete = this.db.prepare('DELETE FROM account_metadata WHERE account = ? AND key = ?');
  }

  /** The keys are on disk: nothing to read ahead. */
  load(): Promise<void> {
    return Promise.resolve();
  }

  all(account: string): Array<[string, string]> {
    return this.#all.all(account).map((r) => [r.key, r.value]);
  }

  set(account: string, key: string, value: string | undefined): void {
    if (value === undefined) this.#delete.run(account, key);
    else this.#set.run(account, key, value);
  }

  /** Kept like {@link set} (a node's own file is not shared: the other nodes do not tell it theirs). */
  learn(account: string, key: string, value: string | undefined): void {
    this.set(account, key, value);
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
