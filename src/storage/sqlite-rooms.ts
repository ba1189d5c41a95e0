import type Database from 'better-sqlite3';
import { casefold, nickKey } from '../core/names.js';
import type { RegisteredRoom, RoomSettings, RoomStore } from '../core/room-store.js';

interface Row {
  key: string;
  name: string;
  founder: string;
  registered_at: number;
  settings: string;
}

/**
 * Registered rooms in the accounts' SQLite file (`accounts.sqlite`): one row per room, its settings as
 * JSON (they are read and written whole). The founder's account is a foreign key: deleting the account
 * (`tomada account del` too) deletes the rooms it founded.
 */
export class SqliteRoomStore implements RoomStore {
  readonly #get: Database.Statement;

  constructor(private readonly db: Database.Database) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS registered_rooms (
        key TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        founder TEXT NOT NULL,
        founder_key TEXT NOT NULL REFERENCES accounts(key) ON DELETE CASCADE,
        registered_at INTEGER NOT NULL,
        settings TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS registered_rooms_by_founder ON registered_rooms (founder_key);
    `);
    this.#get = db.prepare('SELECT * FROM registered_rooms WHERE key = ?');
  }

  register(room: RegisteredRoom): Promise<boolean> {
    try {
      const info = this.db
        .prepare(
          `INSERT OR IGNORE INTO registered_rooms (key, name, founder, founder_key, registered_at, settings)
           VALUES (?, ?, ?, ?, ?, ?)`,
        )
        .run(
          room.key,
          room.name,
          room.founder,
          nickKey(room.founder),
          room.registeredAt,
          JSON.stringify(room.settings),
        );
      return Promise.resolve(info.changes === 1);
    } catch (err) {
      // The founder's account is gone (a foreign key): nobody to register the room to.
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return Promise.resolve(false);
      throw err;
    }
  }

  get(name: string): Promise<RegisteredRoom | undefined> {
    const row = this.#get.get(casefold(name)) as Row | undefined;
    return Promise.resolve(row && fromRow(row));
  }

  list(): Promise<RegisteredRoom[]> {
    const rows = this.db.prepare('SELECT * FROM registered_rooms ORDER BY key').all() as Row[];
    return Promise.resolve(rows.map(fromRow));
  }

  save(name: string, settings: RoomSettings): Promise<boolean> {
    const info = this.db
      .prepare('UPDATE registered_rooms SET settings = ? WHERE key = ?')
      .run(JSON.stringify(settings), casefold(name));
    return Promise.resolve(info.changes === 1);
  }

  drop(name: string): Promise<boolean> {
    const info = this.db.prepare('DELETE FROM registered_rooms WHERE key = ?').run(casefold(name));
    return Promise.resolve(info.changes === 1);
  }

  forgetFounder(account: string): Promise<void> {
    this.db.prepare('DELETE FROM registered_rooms WHERE founder_key = ?').run(nickKey(account));
    return Promise.resolve();
  }
}

function fromRow(r: Row): RegisteredRoom {
  return {
    name: r.name,
    key: r.key,
    founder: r.founder,
    registeredAt: r.registered_at,
    settings: settingsFromJson(JSON.parse(r.settings) as RoomSettings),
  };
}

/** Settings as JSON gave them back: JSON leaves out what is undefined, so it is put back (PostgreSQL's too). */
export function settingsFromJson(s: RoomSettings): RoomSettings {
  return {
    topic: s.topic ?? undefined,
    modes: { ...s.modes, key: s.modes.key ?? undefined, limit: s.modes.limit ?? undefined },
    bans: s.bans ?? [],
    mutes: s.mutes ?? [],
    inviteExceptions: s.inviteExceptions ?? [],
  };
}
