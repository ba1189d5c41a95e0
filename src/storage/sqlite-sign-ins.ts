import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { SignInRecord, SignInStore } from '../core/sign-ins.js';

interface Row {
  account: string;
  account_key: string;
  created_at: number;
  expires_at: number;
}

/**
 * The web door's sign-ins in SQLite: a table of their own in `accounts.sqlite` (beside the accounts), so
 * a restart signs nobody out. Rows are keyed by the token's SHA-256; the token is never stored.
 */
export class SqliteSignInStore implements SignInStore {
  readonly db: Database.Database;

  /** `dataDir` of `:memory:` keeps nothing on disk. */
  constructor(dataDir: string) {
    let file = ':memory:';
    if (dataDir !== ':memory:') {
      mkdirSync(dataDir, { recursive: true });
      file = join(dataDir, 'accounts.sqlite');
    }
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS web_sign_ins (
        hash TEXT PRIMARY KEY,
        account TEXT NOT NULL,
        account_key TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS web_sign_ins_account ON web_sign_ins (account_key);
    `);
  }

  add(hash: string, r: SignInRecord): Promise<void> {
    this.db
      .prepare(
        'INSERT OR REPLACE INTO web_sign_ins (hash, account, account_key, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(hash, r.account, r.accountKey, r.createdAt, r.expiresAt);
    return Promise.resolve();
  }

  get(hash: string, now: number): Promise<SignInRecord | undefined> {
    const row = this.db.prepare('SELECT * FROM web_sign_ins WHERE hash = ? AND expires_at > ?').get(hash, now) as
      Row | undefined;
    return Promise.resolve(
      row && {
        account: row.account,
        accountKey: row.account_key,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
      },
    );
  }

  remove(hash: string): Promise<boolean> {
    return Promise.resolve(this.db.prepare('DELETE FROM web_sign_ins WHERE hash = ?').run(hash).changes === 1);
  }

  removeAccount(accountKey: string, except = ''): Promise<number> {
    const info = this.db
      .prepare('DELETE FROM web_sign_ins WHERE account_key = ? AND hash <> ?')
      .run(accountKey, except);
    return Promise.resolve(info.changes);
  }

  purge(now: number): Promise<void> {
    this.db.prepare('DELETE FROM web_sign_ins WHERE expires_at <= ?').run(now);
    return Promise.resolve();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
