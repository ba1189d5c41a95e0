import type pg from 'pg';
import { byName, type AccountFlags, type AccountRecord, type AccountStore } from '../core/account-store.js';
import { nickKey } from '../core/names.js';
import type { PasswordSecrets } from '../core/passwords.js';
import type { SignInRecord, SignInStore } from '../core/sign-ins.js';
import type { CertStore } from '../core/cert-store.js';
import type { RoomStore } from '../core/room-store.js';
import { PostgresCertStore, PostgresRoomStore } from './postgres-services.js';
import { PostgresReadMarkerStore, type PostgresKeptOptions } from './postgres-read-markers.js';
import { PostgresMetadataStore } from './postgres-metadata.js';
import { StoreError } from '../errors.js';
import { migrate, openPool } from './postgres.js';
import { redactUrl } from './url.js';

interface Row {
  name: string;
  key: string;
  created_at: string;
  oper: boolean;
  hash: string;
  scram_salt: string;
  scram_iterations: number;
  scram_stored_key: string;
  scram_server_key: string;
}

function fromRow(r: Row): AccountRecord {
  return {
    name: r.name,
    key: r.key,
    createdAt: Number(r.created_at),
    oper: r.oper,
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

/**
 * Accounts in PostgreSQL (`--store`), shared by every node of a network. Nothing is cached: every login
 * reads the row, so `tomada account … --store URL` is seen at the next login on every node. Its pool
 * also serves what is kept beside the accounts: the web door's sign-ins, SASL EXTERNAL's certificates,
 * the registered rooms, and the accounts' read markers and metadata.
 */
export class PostgresAccountStore implements AccountStore {
  private constructor(
    readonly pool: pg.Pool,
    private readonly now: () => number,
  ) {}

  /** Connects, migrates (the accounts' steps are 10–19 of the shared schema), and checks. */
  static async open(
    url: string,
    options: { now?: () => number; poolSize?: number } = {},
  ): Promise<PostgresAccountStore> {
    const pool = await openPool(url, options.poolSize ?? 2);
    try {
      await migrate(pool);
    } catch (err) {
      await pool.end().catch(() => {});
      throw new StoreError('store.migrateFailed', { url: redactUrl(url), reason: (err as Error).message });
    }
    return new PostgresAccountStore(pool, options.now ?? Date.now);
  }

  /** The web door's sign-ins, in the same database (closed with this store). */
  signIns(): SignInStore {
    return new PostgresSignInStore(this.pool);
  }

  /** SASL EXTERNAL's certificates, in the same database. */
  certs(): CertStore {
    return new PostgresCertStore(this.pool, this.now);
  }

  /** Registered rooms, in the same database. */
  rooms(): RoomStore {
    return new PostgresRoomStore(this.pool);
  }

  /** The read markers of accounts, in the same database (memory for those logged in here). */
  readMarkers(options: PostgresKeptOptions = {}): PostgresReadMarkerStore {
    return new PostgresReadMarkerStore(this.pool, options);
  }

  /** The metadata of accounts, in the same database (memory for those logged in here). */
  metadata(options: PostgresKeptOptions = {}): PostgresMetadataStore {
    return new PostgresMetadataStore(this.pool, options);
  }

  async create(name: string, secrets: PasswordSecrets, flags: AccountFlags = {}): Promise<boolean> {
    const s = secrets.scram;
    const res = await this.pool.query(
      `INSERT INTO accounts (key, name, created_at, oper, hash, scram_salt, scram_iterations, scram_stored_key,
         scram_server_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (key) DO NOTHING`,
      [
        nickKey(name),
        name,
        this.now(),
        flags.oper === true,
        secrets.hash,
        s.salt,
        s.iterations,
        s.storedKey,
        s.serverKey,
      ],
    );
    return res.rowCount === 1;
  }

  async get(name: string): Promise<AccountRecord | undefined> {
    const { rows } = await this.pool.query<Row>('SELECT * FROM accounts WHERE key = $1', [nickKey(name)]);
    return rows[0] && fromRow(rows[0]);
  }

  async setSecrets(name: string, secrets: PasswordSecrets): Promise<boolean> {
    const s = secrets.scram;
    const res = await this.pool.query(
      `UPDATE accounts SET hash = $1, scram_salt = $2, scram_iterations = $3, scram_stored_key = $4,
         scram_server_key = $5 WHERE key = $6`,
      [secrets.hash, s.salt, s.iterations, s.storedKey, s.serverKey, nickKey(name)],
    );
    return res.rowCount === 1;
  }

  async setFlags(name: string, flags: AccountFlags): Promise<boolean> {
    const res =
      flags.oper !== undefined
        ? await this.pool.query('UPDATE accounts SET oper = $1 WHERE key = $2', [flags.oper, nickKey(name)])
        : await this.pool.query('SELECT 1 FROM accounts WHERE key = $1', [nickKey(name)]);
    return res.rowCount === 1;
  }

  async delete(name: string): Promise<boolean> {
    return (await this.pool.query('DELETE FROM accounts WHERE key = $1', [nickKey(name)])).rowCount === 1;
  }

  async list(): Promise<AccountRecord[]> {
    const { rows } = await this.pool.query<Row>('SELECT * FROM accounts');
    return rows.map(fromRow).sort(byName);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

interface SignInRow {
  account: string;
  account_key: string;
  created_at: string;
  expires_at: string;
}

/** The web door's sign-ins in PostgreSQL (by the token's SHA-256), beside the accounts. */
export class PostgresSignInStore implements SignInStore {
  /** The pool is the account store's: it closes it. */
  constructor(readonly pool: pg.Pool) {}

  async add(hash: string, r: SignInRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO web_sign_ins (hash, account, account_key, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (hash) DO UPDATE SET account = $2, account_key = $3, created_at = $4, expires_at = $5`,
      [hash, r.account, r.accountKey, r.createdAt, r.expiresAt],
    );
  }

  async get(hash: string, now: number): Promise<SignInRecord | undefined> {
    const { rows } = await this.pool.query<SignInRow>(
      'SELECT * FROM web_sign_ins WHERE hash = $1 AND expires_at > $2',
      [hash, now],
    );
    const r = rows[0];
    return (
      r && {
        account: r.account,
        accountKey: r.account_key,
        createdAt: Number(r.created_at),
        expiresAt: Number(r.expires_at),
      }
    );
  }

  async remove(hash: string): Promise<boolean> {
    return (await this.pool.query('DELETE FROM web_sign_ins WHERE hash = $1', [hash])).rowCount === 1;
  }

  async removeAccount(accountKey: string, except = ''): Promise<number> {
    const res = await this.pool.query('DELETE FROM web_sign_ins WHERE account_key = $1 AND hash <> $2', [
      accountKey,
      except,
    ]);
    return res.rowCount ?? 0;
  }

  async purge(now: number): Promise<void> {
    await this.pool.query('DELETE FROM web_sign_ins WHERE expires_at <= $1', [now]);
  }

  close(): void {}
}
