import type Database from 'better-sqlite3';
import { MAX_CERTS, type CertAddResult, type CertStore } from '../core/cert-store.js';
import { nickKey } from '../core/names.js';

/**
 * Certificate fingerprints in the accounts' SQLite file (`accounts.sqlite`), one table beside
 * `accounts`: a fingerprint is the primary key (one account each), and deleting an account deletes its
 * fingerprints (a foreign key; {@link SqliteAccountStore} turns foreign keys on, `tomada account del`
 * included).
 */
export class SqliteCertStore implements CertStore {
  readonly #owner: Database.Statement;
  readonly #list: Database.Statement;
  readonly #ownerName: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number = Date.now,
  ) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS account_certs (
        fingerprint TEXT PRIMARY KEY,
        account_key TEXT NOT NULL REFERENCES accounts(key) ON DELETE CASCADE,
        added_at INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS account_certs_by_account ON account_certs (account_key, added_at);
    `);
    this.#owner = db.prepare('SELECT account_key FROM account_certs WHERE fingerprint = ?').pluck();
    this.#ownerName = db
      .prepare('SELECT a.name FROM account_certs c JOIN accounts a ON a.key = c.account_key WHERE c.fingerprint = ?')
      .pluck();
    this.#list = db
      .prepare('SELECT fingerprint FROM account_certs WHERE account_key = ? ORDER BY added_at, rowid')
      .pluck();
  }

  add(account: string, fingerprint: string): Promise<CertAddResult> {
    const key = nickKey(account);
    const tx = this.db.transaction((): CertAddResult => {
      if (!this.db.prepare('SELECT 1 FROM accounts WHERE key = ?').get(key)) return 'NO_ACCOUNT';
      const owner = this.#owner.get(fingerprint) as string | undefined;
      if (owner !== undefined) return owner === key ? 'EXISTS' : 'TAKEN';
      if (this.#list.all(key).length >= MAX_CERTS) return 'FULL';
      this.db
        .prepare('INSERT INTO account_certs (fingerprint, account_key, added_at) VALUES (?, ?, ?)')
        .run(fingerprint, key, this.now());
      return 'ADDED';
    });
    return Promise.resolve(tx.immediate());
  }

  remove(account: string, fingerprint: string): Promise<boolean> {
    const info = this.db
      .prepare('DELETE FROM account_certs WHERE fingerprint = ? AND account_key = ?')
      .run(fingerprint, nickKey(account));
    return Promise.resolve(info.changes === 1);
  }

  list(account: string): Promise<string[]> {
    return Promise.resolve(this.#list.all(nickKey(account)) as string[]);
  }

  owner(fingerprint: string): Promise<string | undefined> {
    return Promise.resolve(this.#ownerName.get(fingerprint) as string | undefined);
  }

  forget(account: string): Promise<void> {
    this.db.prepare('DELETE FROM account_certs WHERE account_key = ?').run(nickKey(account));
    return Promise.resolve();
  }
}
