import type pg from 'pg';
import type { MetadataStore } from '../core/account-metadata.js';
import { AccountCache, Reread } from './account-cache.js';
import type { PostgresKeptOptions } from './postgres-read-markers.js';
import { transientPgError } from './postgres-errors.js';
import { WriteBehind } from './write-behind.js';

type Change = [key: string, value: string | undefined];

/** What memory holds of an account: its keys (read again at each login). */
type Entry = Reread<Map<string, string>, Change>;

/** A change waiting to be written: `value` undefined removes the key; `anew` sets it after the others. */
interface Write {
  account: string;
  key: string;
  value: string | undefined;
  anew: boolean;
}

function apply(keys: Map<string, string>, [key, value]: Change): void {
  if (value === undefined) keys.delete(key);
  else keys.set(key, value);
}

/**
 * The metadata of accounts in PostgreSQL (`--store`), shared by every node: table `account_metadata`,
 * beside the accounts (deleted with them), `seq` keeping the order keys were first set. The doors ask
 * without waiting, so an account's keys are read into memory when it logs in ({@link load}), answered
 * from there, and each change is written behind, in order, one batch at a time. The pool is the account
 * store's (it closes it).
 */
export class PostgresMetadataStore implements MetadataStore {
  readonly shared = true;
  readonly #cache: AccountCache<Entry>;
  readonly #writes: WriteBehind<Write>;
  readonly #onError: (err: Error) => void;

  constructor(
    readonly pool: pg.Pool,
    options: PostgresKeptOptions = {},
  ) {
    this.#onError = options.onError ?? (() => {});
    this.#cache = new AccountCache<Entry>(
      () => new Reread(new Map<string, string>(), apply),
      options.graceMs,
      options.now,
    );
    this.#writes = new WriteBehind((batch) => this.#write(batch), this.#onError, {
      retryable: transientPgError,
      // A key deleted (or set anew) in the failed batch is deleted first in the retry too.
      merge: (older, newer) => ({
        ...newer,
        anew: newer.value !== undefined && (newer.anew || older.anew || older.value === undefined),
      }),
    });
  }

  /**
   * Reads the account's keys, once this node's own changes are written: the table has the last word,
   * with the changes made here or heard from the other nodes while it was being read on top.
   */
  async load(account: string): Promise<void> {
    try {
      await this.#cache.ensure(account).read(async () => {
        await this.#writes.written();
        const { rows } = await this.pool.query<{ key: string; value: string }>(
          'SELECT key, value FROM account_metadata WHERE account_key = $1 ORDER BY seq',
          [account],
        );
        const keys = new Map(rows.map((r) => [r.key, r.value]));
        // Changes of ours the table does not have yet (the database was away: they wait for a retry).
        for (const w of this.#writes.waitingChanges()) {
          if (w.account !== account) continue;
          if (w.value === undefined || w.anew) keys.delete(w.key);
          if (w.value !== undefined) keys.set(w.key, w.value);
        }
        return keys;
      });
    } catch (err) {
      this.#onError(err as Error);
    }
  }

  all(account: string): Array<[string, string]> {
    return [...(this.#cache.get(account)?.value ?? [])];
  }

  set(account: string, key: string, value: string | undefined): void {
    const entry = this.#cache.ensure(account);
    const isNew = value !== undefined && !entry.value.has(key);
    entry.change([key, value]);
    this.#writes.put(
      `${account}\n${key}`,
      (w) => ({
        account,
        key,
        value,
        anew: value !== undefined && w !== undefined && (w.anew || w.value === undefined),
      }),
      isNew,
    );
  }

  learn(account: string, key: string, value: string | undefined): void {
    const entry = this.#cache.get(account);
    // An account not here: nothing held to bring up to date (it is read when it logs in).
    entry?.change([key, value]);
  }

  hold(account: string): void {
    // A connection that came in by a way that read nothing ahead: read now, late rather than never.
    if (this.#cache.hold(account)) void this.load(account);
  }

  release(account: string): void {
    this.#cache.release(account);
  }

  written(): Promise<void> {
    return this.#writes.written();
  }

  /** Writes what waits, one last try (the pool is closed by the account store, after). */
  close(): Promise<void> {
    return this.#writes.close();
  }

  /** One batch, in one transaction, in the order handed over. Accounts deleted meanwhile are left out. */
  async #write(batch: Write[]): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      try {
        for (const w of batch) {
          if (w.value === undefined || w.anew)
            await client.query('DELETE FROM account_metadata WHERE account_key = $1 AND key = $2', [w.account, w.key]);
          if (w.value === undefined) continue;
          await client.query(
            `INSERT INTO account_metadata (account_key, key, value)
             SELECT $1, $2, $3 WHERE EXISTS (SELECT 1 FROM accounts WHERE key = $1)
             ON CONFLICT (account_key, key) DO UPDATE SET value = excluded.value`,
            [w.account, w.key, w.value],
          );
        }
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      }
    } finally {
      client.release();
    }
  }
}
