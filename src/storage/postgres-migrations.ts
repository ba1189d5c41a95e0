import type pg from 'pg';

/**
 * The schema, in numbered steps, in version order (each area has its range: 1–9 history, 10–19 accounts,
 * 20–29 search). A step is never edited once released: a change is a new step. Each runs
 * in its own transaction with its row in `schema_migrations`, under an advisory lock, so two nodes that
 * start at once apply each step once.
 */
export const MIGRATIONS: ReadonlyArray<{ version: number; sql: string }> = [
  {
    version: 1,
    sql: `
      CREATE TABLE messages (
        seq BIGINT PRIMARY KEY,
        time BIGINT NOT NULL,
        room TEXT NOT NULL,
        room_key TEXT NOT NULL,
        sender TEXT NOT NULL,
        sender_mask TEXT NOT NULL,
        text TEXT NOT NULL,
        kind TEXT NOT NULL
      );
      CREATE INDEX messages_room_seq ON messages (room_key, seq);
      CREATE INDEX messages_room_time ON messages (room_key, time);
    `,
  },
  {
    // Full-text search: the 'simple' configuration (any case, no stemming: rooms speak several languages);
    // the search's WHERE repeats this expression exactly, so the planner uses the index.
    version: 2,
    sql: `CREATE INDEX messages_text_search ON messages USING GIN (to_tsvector('simple', text));`,
  },
  {
    // Reactions kept with their message (IRC +draft/react), deleted with it; `n` keeps their order.
    version: 3,
    sql: `
      CREATE TABLE reactions (
        n BIGINT GENERATED ALWAYS AS IDENTITY,
        seq BIGINT NOT NULL REFERENCES messages (seq) ON DELETE CASCADE,
        nick TEXT NOT NULL,
        emoji TEXT NOT NULL,
        time BIGINT NOT NULL,
        PRIMARY KEY (seq, nick, emoji)
      );
    `,
  },
  {
    // The sender's account (who may delete the message; IRC account-tag on history).
    version: 4,
    sql: `ALTER TABLE messages ADD COLUMN sender_account TEXT;`,
  },
  {
    // The search index's pending list (where GIN puts new entries until it merges them) at 128 kB, not
    // 4 MB: the insert that fills it merges it before its commit returns. At 2,000 messages a second that
    // was a 55-ms commit every 9 s, holding every message behind it; at 128 kB the longest commit in 25 s
    // was 12 ms, for the same CPU (64 kB: 7 ms, 12 % more CPU). Measured on this project's test
    // PostgreSQL, flushes of 34 messages of chat text every 17 ms.
    version: 5,
    sql: `ALTER INDEX messages_text_search SET (gin_pending_list_limit = 128);`,
  },
  // 10–19: accounts (postgres-accounts.ts).
  {
    version: 10,
    sql: `
      CREATE TABLE accounts (
        key TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        oper BOOLEAN NOT NULL DEFAULT false,
        hash TEXT NOT NULL,
        scram_salt TEXT NOT NULL,
        scram_iterations INTEGER NOT NULL,
        scram_stored_key TEXT NOT NULL,
        scram_server_key TEXT NOT NULL
      );
    `,
  },
  {
    version: 11,
    sql: `
      CREATE TABLE web_sign_ins (
        hash TEXT PRIMARY KEY,
        account TEXT NOT NULL,
        account_key TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL
      );
      CREATE INDEX web_sign_ins_account ON web_sign_ins (account_key);
    `,
  },
  {
    version: 12,
    sql: `
      CREATE TABLE account_certs (
        fingerprint TEXT PRIMARY KEY,
        account_key TEXT NOT NULL REFERENCES accounts(key) ON DELETE CASCADE,
        added_at BIGINT NOT NULL,
        seq BIGSERIAL NOT NULL
      );
      CREATE INDEX account_certs_by_account ON account_certs (account_key, added_at, seq);
    `,
  },
  {
    version: 13,
    sql: `
      CREATE TABLE registered_rooms (
        key TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        founder TEXT NOT NULL,
        founder_key TEXT NOT NULL REFERENCES accounts(key) ON DELETE CASCADE,
        registered_at BIGINT NOT NULL,
        settings JSONB NOT NULL
      );
      CREATE INDEX registered_rooms_by_founder ON registered_rooms (founder_key);
    `,
  },
  {
    // Read markers of accounts (postgres-read-markers.ts): one row per account and room or nick.
    version: 14,
    sql: `
      CREATE TABLE read_markers (
        account_key TEXT NOT NULL REFERENCES accounts(key) ON DELETE CASCADE,
        target TEXT NOT NULL,
        time BIGINT NOT NULL,
        PRIMARY KEY (account_key, target)
      );
    `,
  },
  {
    // Metadata of accounts (postgres-metadata.ts): `seq` keeps the order the keys were first set.
    version: 15,
    sql: `
      CREATE TABLE account_metadata (
        account_key TEXT NOT NULL REFERENCES accounts(key) ON DELETE CASCADE,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        seq BIGINT GENERATED ALWAYS AS IDENTITY,
        PRIMARY KEY (account_key, key)
      );
    `,
  },
];

/** `pg_advisory_lock` key of tomada's migrations (any constant of ours; "tomada" in ASCII). */
const MIGRATION_LOCK = 0x746f6d616461;

/** Applies the steps of {@link MIGRATIONS} this database lacks. Returns the versions applied. */
export async function migrate(pool: pg.Pool): Promise<number[]> {
  const client = await pool.connect();
  const applied: number[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
      );
      const done = new Set(
        (await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version),
      );
      for (const step of MIGRATIONS) {
        if (done.has(step.version)) continue;
        await client.query('BEGIN');
        try {
          await client.query(step.sql);
          await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [step.version]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK');
          throw err;
        }
        applied.push(step.version);
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
  return applied;
}
