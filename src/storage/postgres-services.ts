import type pg from 'pg';
import { MAX_CERTS, type CertAddResult, type CertStore } from '../core/cert-store.js';
import { casefold, nickKey } from '../core/names.js';
import type { RegisteredRoom, RoomSettings, RoomStore } from '../core/room-store.js';
import { settingsFromJson } from './sqlite-rooms.js';

/**
 * What the services keep beside the accounts in PostgreSQL (`--store`), as SQLite keeps it beside
 * `accounts.sqlite`: the certificates of SASL EXTERNAL and the registered rooms. Both tables have the
 * account as a foreign key, so `tomada account del --store URL` takes them along. The pool is the
 * account store's (it closes it).
 */

/** `pg`'s code for a foreign key that points at nothing. */
const FOREIGN_KEY_VIOLATION = '23503';

export class PostgresCertStore implements CertStore {
  constructor(
    readonly pool: pg.Pool,
    private readonly now: () => number = Date.now,
  ) {}

  async add(account: string, fingerprint: string): Promise<CertAddResult> {
    const key = nickKey(account);
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      try {
        // The account's row locked: two additions at once count the same list.
        const found = await client.query('SELECT 1 FROM accounts WHERE key = $1 FOR UPDATE', [key]);
        let result: CertAddResult;
        const owner = await client.query<{ account_key: string }>(
          'SELECT account_key FROM account_certs WHERE fingerprint = $1',
          [fingerprint],
        );
        if (found.rowCount !== 1) result = 'NO_ACCOUNT';
        else if (owner.rows[0]) result = owner.rows[0].account_key === key ? 'EXISTS' : 'TAKEN';
        else {
          const n = await client.query<{ n: string }>(
            'SELECT COUNT(*) AS n FROM account_certs WHERE account_key = $1',
            [key],
          );
          if (Number(n.rows[0]!.n) >= MAX_CERTS) result = 'FULL';
          else {
            const ins = await client.query(
              'INSERT INTO account_certs (fingerprint, account_key, added_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
              [fingerprint, key, this.now()],
            );
            result = ins.rowCount === 1 ? 'ADDED' : 'TAKEN';
          }
        }
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
    } finally {
      client.release();
    }
  }

  async remove(account: string, fingerprint: string): Promise<boolean> {
    const res = await this.pool.query('DELETE FROM account_certs WHERE fingerprint = $1 AND account_key = $2', [
      fingerprint,
      nickKey(account),
    ]);
    return res.rowCount === 1;
  }

  async list(account: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ fingerprint: string }>(
      'SELECT fingerprint FROM account_certs WHERE account_key = $1 ORDER BY added_at, seq',
      [nickKey(account)],
    );
    return rows.map((r) => r.fingerprint);
  }

  async owner(fingerprint: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ name: string }>(
      'SELECT a.name FROM account_certs c JOIN accounts a ON a.key = c.account_key WHERE c.fingerprint = $1',
      [fingerprint],
    );
    return rows[0]?.name;
  }

  async forget(account: string): Promise<void> {
    await this.pool.query('DELETE FROM account_certs WHERE account_key = $1', [nickKey(account)]);
  }
}

interface RoomRow {
  key: string;
  name: string;
  founder: string;
  registered_at: string;
  settings: RoomSettings;
}

const fromRow = (r: RoomRow): RegisteredRoom => ({
  name: r.name,
  key: r.key,
  founder: r.founder,
  registeredAt: Number(r.registered_at),
  settings: settingsFromJson(r.settings),
});

export class PostgresRoomStore implements RoomStore {
  readonly shared = true;

  constructor(readonly pool: pg.Pool) {}

  async register(room: RegisteredRoom): Promise<boolean> {
    try {
      const res = await this.pool.query(
        `INSERT INTO registered_rooms (key, name, founder, founder_key, registered_at, settings)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb) ON CONFLICT (key) DO NOTHING`,
        [room.key, room.name, room.founder, nickKey(room.founder), room.registeredAt, JSON.stringify(room.settings)],
      );
      return res.rowCount === 1;
    } catch (err) {
      // The founder's account is gone: nobody to register the room to.
      if ((err as { code?: string }).code === FOREIGN_KEY_VIOLATION) return false;
      throw err;
    }
  }

  async get(name: string): Promise<RegisteredRoom | undefined> {
    const { rows } = await this.pool.query<RoomRow>('SELECT * FROM registered_rooms WHERE key = $1', [casefold(name)]);
    return rows[0] && fromRow(rows[0]);
  }

  async list(): Promise<RegisteredRoom[]> {
    const { rows } = await this.pool.query<RoomRow>('SELECT * FROM registered_rooms ORDER BY key COLLATE "C"');
    return rows.map(fromRow);
  }

  async save(name: string, settings: RoomSettings): Promise<boolean> {
    const res = await this.pool.query('UPDATE registered_rooms SET settings = $1::jsonb WHERE key = $2', [
      JSON.stringify(settings),
      casefold(name),
    ]);
    return res.rowCount === 1;
  }

  async drop(name: string): Promise<boolean> {
    return (await this.pool.query('DELETE FROM registered_rooms WHERE key = $1', [casefold(name)])).rowCount === 1;
  }

  async forgetFounder(account: string): Promise<void> {
    await this.pool.query('DELETE FROM registered_rooms WHERE founder_key = $1', [nickKey(account)]);
  }
}
