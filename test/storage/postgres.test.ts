import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import type { ChatMessage } from '../../src/core/history.js';
import { StoreError } from '../../src/errors.js';
import { MIGRATIONS, PostgresHistory, redactUrl } from '../../src/storage/postgres.js';
import { historyContract } from './history-contract.js';
import { PostgresServer } from './postgres.js';

const server = new PostgresServer();
const stores: PostgresHistory[] = [];
before(() => server.start());
after(async () => {
  for (const s of stores) await s.close().catch(() => {});
  await server.dispose();
});

async function fresh(): Promise<PostgresHistory> {
  const h = await PostgresHistory.open(await server.createDatabase());
  stores.push(h);
  return h;
}

historyContract('PostgresHistory', fresh);

const msg = (seq: number): ChatMessage => ({
  seq,
  id: String(seq),
  time: 5_000 + seq,
  target: '#geral',
  private: false,
  from: 'ana',
  fromMask: 'ana!line@127.0.0.1',
  text: `m${seq}`,
  kind: 'message',
});

describe('PostgresHistory', () => {
  it('migrates once when two nodes open the same empty database at the same moment, and reads the last id at open', async () => {
    const url = await server.createDatabase();
    const [a, b] = await Promise.all([PostgresHistory.open(url), PostgresHistory.open(url)]);
    stores.push(a, b);
    const c = new pg.Client(url);
    await c.connect();
    const { rows } = await c.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    // The search index merges its pending entries in small steps (migration 5), not a 4-MB one in a commit.
    const index = await c.query<{ reloptions: string[] | null }>(
      "SELECT reloptions FROM pg_class WHERE relname = 'messages_text_search'",
    );
    await c.end();
    assert.deepEqual(
      rows.map((r) => r.version),
      MIGRATIONS.map((m) => m.version),
    );
    assert.deepEqual(index.rows[0]?.reloptions, ['gin_pending_list_limit=128']);
    a.append(msg(41));
    a.append(msg(42));
    await a.flush();
    const again = await PostgresHistory.open(url);
    stores.push(again);
    assert.equal(again.lastSeq(), 42);
    assert.deepEqual(
      (await b.query('#geral', { limit: 5 })).map((m) => m.id),
      ['41', '42'],
    );
  });

  it('rejects the flush of a message whose id is taken, and stores nothing of that batch', async () => {
    const h = await fresh();
    h.append(msg(1));
    await h.flush();
    h.append(msg(2));
    h.append(msg(1));
    await assert.rejects(Promise.resolve(h.flush()));
    assert.deepEqual(
      (await h.query('#geral', { limit: 5 })).map((m) => m.seq),
      [1],
    );
    h.append(msg(3));
    await h.flush();
    assert.deepEqual(
      (await h.query('#geral', { limit: 5 })).map((m) => m.seq),
      [1, 3],
    );
  });

  it('refuses to open an unreachable server with a one-line error that hides the password', async () => {
    const url = `postgres://tomada:s3cret@127.0.0.1:1/nada`;
    const err = await PostgresHistory.open(url).then(
      () => assert.fail('opened'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof StoreError);
    assert.equal(err.key, 'store.unreachable');
    assert.equal(err.params.url, 'postgres://tomada@127.0.0.1:1/nada');
    assert.doesNotMatch(JSON.stringify(err.params), /s3cret/);
    assert.equal(redactUrl('postgres://u:p@h:1/d?sslmode=require'), 'postgres://u@h:1/d?sslmode=require');
  });
});
