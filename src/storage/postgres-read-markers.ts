import type pg from 'pg';
import type { ReadMarkerStore } from '../core/read-markers.js';
import { AccountCache, Reread } from './account-cache.js';
import { transientPgError } from './postgres-errors.js';
import { WriteBehind } from './write-behind.js';

/** What memory holds of an account: its markers (read again at each login); a change gives the marker kept. */
type Entry = Reread<Map<string, number>, [target: string, time: number], number>;

interface Marker {
  account: string;
  target: string;
  time: number;
}

/** Keeps the later of the two times; returns it. */
function keep(markers: Map<string, number>, target: string, time: number): number {
  const stored = Math.max(markers.get(target) ?? 0, time);
  markers.set(target, stored);
  return stored;
}

/** Rows written in one statement at most (a batch larger than this takes several). */
const ROWS_PER_STATEMENT = 1_000;

export interface PostgresKeptOptions {
  /**
   * Told of a read or a write that failed. Memory goes on; a write that failed because the database was
   * away is tried again (see WriteBehind), any other is dropped (the table is behind until the next change).
   */
  onError?: (err: Error) => void;
  /** How long what is kept of an account stays in memory after its last connection left (default 60 s). */
  graceMs?: number;
  now?: () => number;
}

/**
 * Read markers in PostgreSQL (`--store`), shared by every node: table `read_markers`, beside the
 * accounts (deleted with them). The doors ask without waiting, so an account's markers are read into
 * memory when it logs in ({@link load}), answered from there, and each change is written behind (a
 * marker only moves forward, in the statement itself: `GREATEST`), batched. The pool is the account
 * store's (it closes it).
 */
export class PostgresReadMarkerStore implements ReadMarkerStore {
  readonly shared = true;
  readonly #cache: AccountCache<Entry>;
  readonly #writes: WriteBehind<Marker>;
  readonly #onError: (err: Error) => void;

  constructor(
    readonly pool: pg.Pool,
    options: PostgresKeptOptions = {},
  ) {
    this.#onError = options.onError ?? (() => {});
    this.#cache = new AccountCache<Entry>(
      () => new Reread(new Map<string, number>(), (markers, [target, time]) => keep(markers, target, time)),
      options.graceMs,
      options.now,
    );
    this.#writes = new WriteBehind((batch) => this.#write(batch), this.#onError, {
      retryable: transientPgError,
      merge: (older, newer) => ({ ...newer, time: Math.max(older.time, newer.time) }),
    });
  }

  /**
   * Reads the account's markers, once this node's own changes are written: the table has the last word
   * (an account deleted and made again starts afresh), with the changes made here or heard from the
   * other nodes while it was being read on top.
   */
  async load(account: string): Promise<void> {
    try {
      await this.#cache.ensure(account).read(async () => {
        await this.#writes.written();
        const { rows } = await this.pool.query<{ target: string; time: string }>(
          'SELECT target, time FROM read_markers WHERE account_key = $1',
          [account],
        );
        const markers = new Map(rows.map((r) => [r.target, Number(r.time)]));
        // Changes of ours the table does not have yet (the database was away: they wait for a retry).
        for (const w of this.#writes.waitingChanges()) if (w.account === account) keep(markers, w.target, w.time);
        return markers;
      });
    } catch (err) {
      this.#onError(err as Error);
    }
  }

  get(account: string, target: string): number | undefined {
    return this.#cache.get(account)?.value.get(target);
  }

  advance(account: string, target: string, time: number): number {
    const stored = this.#cache.ensure(account).change([target, time]);
    this.#writes.put(`${account}\n${target}`, (w) => ({ account, target, time: Math.max(w?.time ?? 0, stored) }));
    return stored;
  }

  learn(account: string, target: string, time: number): number {
    const entry = this.#cache.get(account);
    // An account not here: nothing held to bring up to date (it is read when it logs in).
    return entry ? entry.change([target, time]) : time;
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

  async #write(batch: Marker[]): Promise<void> {
    for (let i = 0; i < batch.length; i += ROWS_PER_STATEMENT) {
      const rows = batch.slice(i, i + ROWS_PER_STATEMENT);
      // Accounts deleted meanwhile are left out (their markers went with them).
      await this.pool.query(
        `INSERT INTO read_markers (account_key, target, time)
         SELECT m.account_key, m.target, m.time
         FROM unnest($1::text[], $2::text[], $3::bigint[]) AS m (account_key, target, time)
         WHERE EXISTS (SELECT 1 FROM accounts a WHERE a.key = m.account_key)
         ON CONFLICT (account_key, target) DO UPDATE SET time = GREATEST(read_markers.time, excluded.time)`,
        [rows.map((r) => r.account), rows.map((r) => r.target), rows.map((r) => r.time)],
      );
    }
  }
}
