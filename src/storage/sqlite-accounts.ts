import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { AccountFlags, AccountRecord, AccountStore } from '../core/account-store.js';
import { nickKey } from '../core/names.js';
import type { PasswordSecrets } from '../core/passwords.js';

interface Row {
  name: string;
  key: string;
  created_at: number;
  oper: number;
  hash: string;
  scram_salt: string;
  scram_iterations: number;
  scram_stored_key: string;
  scram_server_key: string;
}

/**
 * Accounts in SQLite: `accounts.sqlite` in the data directory (WAL), a file of its own beside the
 * history. Nothing is cached: the server reads the row at each login, so `tomada account` run while
 * the server is up (another process on the same file) is seen at the next login.
 */
export class SqliteAccountStore implements AccountStore {
  readonly db: Database.Database;
  readonly #get: Database.Statement;

  /** `dataDir` of `:memory:` keeps nothing on disk. */
  constructor(
    dataDir: string,
    private readonly now: () => number = Date.now,
  ) {
    let file = ':memory:';
    if (dataDir !== ':memory:') {
      mkdirSync(dataDir, { recursive: true });
      file = join(dataDir, 'accounts.sqlite');
    }
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    // Certificates and registered rooms refer to their account: deleting it deletes them (sqlite-certs.ts).
    this.db.pragma('foreign_keys = ON');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS accounts (
        key TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        oper INTEGER NOT NULL DEFAULT 0,
        hash TEXT NOT NULL,
        scram_salt TEXT NOT NULL,
        scram_iterations INTEGER NOT NULL,
        scram_stored_key TEXT NOT NULL,
        scram_server_key TEXT NOT NULL
      );
    `);
    this.#get = this.db.prepare('SELECT * FROM accounts WHERE key = ?');
  }

  create(name: string, secrets: PasswordSecrets, flags: AccountFlags = {}): Promise<boolean> {
    const s = secrets.scram;
    const info = this.db
      .prepare(
        `INSERT OR IGNORE INTO accounts (key, name, created_at, oper, hash, scram_salt, scram_iterations,
           scram_stored_key, scram_server_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        nickKey(name),
        name,
        this.now(),
        flags.oper ? 1 : 0,
        secrets.hash,
        s.salt,
        s.iterations,
        s.storedKey,
        s.serverKey,
      );
    return Promise.resolve(info.changes === 1);
  }

  get(name: string): Promise<AccountRecord | undefined> {
    const row = this.#get.get(nickKey(name)) as Row | undefined;
    return Promise.resolve(row && fromRow(row));
  }

  setSecrets(name: string, secrets: PasswordSecrets): Promise<boolean> {
    const s = secrets.scram;
    const info = this.db
      .prepare(
        `UPDATE accounts SET hash = ?, scram_salt = ?, scram_iterations = ?, scram_stored_key = ?,
           scram_server_key = ? WHERE key = ?`,
      )
      .run(secrets.hash, s.salt, s.iterations, s.storedKey, s.serverKey, nickKey(name));
    return Promise.resolve(info.changes === 1);
  }

  setFlags(name: string, flags: AccountFlags): Promise<boolean> {
    const key = nickKey(name);
    if (flags.oper !== undefined) {
      const info = this.db.prepare('UPDATE accounts SET oper = ? WHERE key = ?').run(flags.oper ? 1 : 0, key);
      return Promise.resolve(info.changes === 1);
    }
    return Promise.resolve(this.#get.get(key) !== undefined);
  }

  delete(name: string): Promise<boolean> {
    const info = this.db.prepare('DELETE FROM accounts WHERE key = ?').run(nickKey(name));
    return Promise.resolve(info.changes === 1);
  }

  list(): Promise<AccountRecord[]> {
    const rows = this.db.prepare('SELECT * FROM accounts ORDER BY key').all() as Row[];
    return Promise.resolve(rows.map(fromRow));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function fromRow(r: Row): AccountRecord {
  return {
    name: r.name,
    key: r.key,
    createdAt: r.created_at,
    oper: r.oper === 1,
    secrets: {
      hash: r.hash,
      scram: {
        salt: r.scram_salt,
        iterations: r.scram_iterations,
        storedKey: r.scram_stored_key,
        serverKey: r.scram_server_key,
      },
    },
  };
}
