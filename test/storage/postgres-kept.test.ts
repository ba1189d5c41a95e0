/**
 * The PostgreSQL read-marker and metadata stores (what is kept per account, shared by the nodes), against
 * a real PostgreSQL (test/storage/postgres.ts): the shared contracts, and the rows they leave; and what
 * each of them, and the history's reactions, keep while the database is away.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { hashPassword, type PasswordSecrets } from '../../src/core/passwords.js';
import type { ChatMessage } from '../../src/core/history.js';
import { PostgresHistory } from '../../src/storage/postgres.js';
import { PostgresAccountStore } from '../../src/storage/postgres-accounts.js';
import { PostgresReadMarkerStore, type PostgresKeptOptions } from '../../src/storage/postgres-read-markers.js';
import { metadataStoreContract } from './metadata-contract.js';
import { PostgresServer, rows } from './postgres.js';
import { readMarkerStoreContract } from './read-marker-contract.js';

const server = new PostgresServer();
const open: PostgresAccountStore[] = [];
let secrets: PasswordSecrets;
before(async () => {
  await server.start();
  secrets = await hashPassword('uma senha qualquer');
});
after(async () => {
  for (const s of open) await s.close().catch(() => {});
  await server.dispose();
});

/** A fresh database with the accounts the contracts use (the markers' and keys' rows point at them). */
async function database(): Promise<{ url: string; accounts: PostgresAccountStore }> {
  const url = await server.createDatabase();
  const accounts = await PostgresAccountStore.open(url);
  open.push(accounts);
  for (const name of ['ana', 'bia', 'caio']) await accounts.create(name, secrets);
  return { url, accounts };
}

/** Another node's account store on the database at `url`. */
async function node(url: string): Promise<PostgresAccountStore> {
  const accounts = await PostgresAccountStore.open(url);
  open.push(accounts);
  return accounts;
}

const urls = new WeakMap<object, string>();

readMarkerStoreContract(
  'PostgresReadMarkerStore',
  async () => {
    const { url, accounts } = await database();
    const s = accounts.readMarkers();
    urls.set(s, url);
    return s;
  },
  async (s) => (await node(urls.get(s)!)).readMarkers(),
);

metadataStoreContract(
  'PostgresMetadataStore',
  async () => {
    const { url, accounts } = await database();
    const s = accounts.metadata();
    urls.set(s, url);
    return s;
  },
  async (s) => (await node(urls.get(s)!)).metadata(),
);

describe('PostgresReadMarkerStore: the rows', () => {
  it('writes each marker behind, forward only in the table too; what it learns is not written again', async () => {
    const { url, accounts } = await database();
    const errors: Error[] = [];
    const a = accounts.readMarkers({ onError: (e) => errors.push(e) });
    const b = (await node(url)).readMarkers({ onError: (e) => errors.push(e) });
    await Promise.all([a.load('ana'), b.load('ana')]);
    a.advance('ana', '#geral', 5000);
    a.advance('ana', 'bia', 100);
    await a.written();
    // Node B had read before A wrote: its older time does not move the row back.
    assert.equal(b.advance('ana', '#geral', 3000), 3000);
    await b.written();
    b.learn('ana', '#dev', 7000);
    await b.written();
    const found = await rows<{ account_key: string; target: string; time: string }>(
      url,
      'SELECT account_key, target, time FROM read_markers ORDER BY target',
    );
    assert.deepEqual(
      found.map((r) => [r.account_key, r.target, Number(r.time)]),
      [
        ['ana', '#geral', 5000],
        ['ana', 'bia', 100],
      ],
    );
    assert.deepEqual(errors, []);
  });

  it("a deleted account's marker is left out, and does not keep the others of its batch from the table", async () => {
    const { url, accounts } = await database();
    const errors: Error[] = [];
    const s = accounts.readMarkers({ onError: (e) => errors.push(e) });
    await accounts.delete('caio');
    s.advance('caio', '#geral', 1000);
    s.advance('bia', '#geral', 2000);
    await s.written();
    const found = await rows<{ account_key: string }>(url, 'SELECT account_key FROM read_markers');
    assert.deepEqual(
      found.map((r) => r.account_key),
      ['bia'],
    );
    assert.deepEqual(errors, []);
    // Deleting an account takes its markers along; made again, it starts afresh, here too.
    await accounts.delete('bia');
    assert.deepEqual(await rows(url, 'SELECT * FROM read_markers'), []);
    await accounts.create('bia', secrets);
    await s.load('bia');
    assert.equal(s.get('bia', '#geral'), undefined);
  });

  it('forgets an account a while after its last connection left, and reads it again at the next login', async () => {
    const { accounts } = await database();
    let now = 1_000_000;
    const options: PostgresKeptOptions = { graceMs: 60_000, now: () => now };
    const s = accounts.readMarkers(options);
    await s.load('ana');
    s.hold('ana');
    s.advance('ana', '#geral', 1234);
    now += 120_000;
    await s.load('bia'); // held: still there
    assert.equal(s.get('ana', '#geral'), 1234);
    s.release('ana');
    now += 120_000;
    await s.load('caio');
    assert.equal(s.get('ana', '#geral'), undefined, 'forgotten');
    await s.written();
    await s.load('ana');
    assert.equal(s.get('ana', '#geral'), 1234, 'read again from the table');
  });

  it('a database it cannot read is reported, never thrown: the login goes on with what memory has', async () => {
    const errors: Error[] = [];
    const stopped = new pg.Pool({ connectionString: server.url('no_such_database'), connectionTimeoutMillis: 2000 });
    stopped.on('error', () => {});
    const broken = new PostgresReadMarkerStore(stopped, { onError: (e) => errors.push(e) });
    await broken.load('ana');
    assert.equal(broken.get('ana', '#geral'), undefined);
    broken.advance('ana', '#geral', 10);
    await broken.written();
    assert.equal(broken.get('ana', '#geral'), 10);
    assert.equal(errors.length, 2, 'the read and the write, each reported once');
    await stopped.end();
  });
});

describe('PostgresMetadataStore: the rows', () => {
  it('keeps the order keys were first set in `seq`; a deleted account takes its keys along', async () => {
    const { url, accounts } = await database();
    const errors: Error[] = [];
    const s = accounts.metadata({ onError: (e) => errors.push(e) });
    await s.load('ana');
    s.set('ana', 'display-name', 'Ana');
    s.set('ana', 'avatar', 'https://example.org/a.png');
    await s.written();
    s.set('ana', 'display-name', 'Ana Lima');
    await s.written();
    s.learn('ana', 'pronouns', 'ela');
    s.set('caio', 'display-name', 'Caio');
    await s.written();
    const found = await rows<{ account_key: string; key: string; value: string }>(
      url,
      'SELECT account_key, key, value FROM account_metadata ORDER BY seq',
    );
    assert.deepEqual(
      found.map((r) => [r.account_key, r.key, r.value]),
      [
        ['ana', 'display-name', 'Ana Lima'],
        ['ana', 'avatar', 'https://example.org/a.png'],
        ['caio', 'display-name', 'Caio'],
      ],
    );
    await accounts.delete('ana');
    const left = await rows<{ account_key: string }>(url, 'SELECT account_key FROM account_metadata');
    assert.deepEqual(
      left.map((r) => r.account_key),
      ['caio'],
    );
    assert.deepEqual(errors, []);
  });
});

describe('PostgreSQL stopped and started again (last: it restarts the shared server)', () => {
  it('a marker and a key changed while it was away reach the table once it is back; a login meanwhile does not wait', async () => {
    const { url, accounts } = await database();
    const errors: Error[] = [];
    const markers = accounts.readMarkers({ onError: (e) => errors.push(e) });
    const metadata = accounts.metadata({ onError: (e) => errors.push(e) });
    await Promise.all([markers.load('ana'), metadata.load('ana')]);
    await server.stop(); // immediate shutdown: the pool's connections are cut
    markers.advance('ana', '#geral', 4242);
    metadata.set('ana', 'display-name', 'Ana');
    await Promise.all([markers.written(), metadata.written()]); // tried once, failed, kept for a retry
    assert.ok(errors.length >= 2, `the failed writes are reported (${errors.length})`);
    // Memory has them all along; a login now reads (and fails to: reported) without waiting for the retry.
    assert.equal(markers.get('ana', '#geral'), 4242);
    await Promise.all([markers.load('bia'), metadata.load('bia')]);
    await server.start();
    const deadline = Date.now() + 20_000;
    let found: Array<{ what: string }> = [];
    while (Date.now() < deadline) {
      found = await rows<{ what: string }>(
        url,
        `SELECT account_key || ' ' || target || ' ' || time AS what FROM read_markers
         UNION ALL SELECT account_key || ' ' || key || ' ' || value FROM account_metadata ORDER BY what`,
      ).catch(() => []);
      if (found.length === 2) break;
      await new Promise((r) => setTimeout(r, 100)); // polling the table: what a user would look at
    }
    assert.deepEqual(
      found.map((r) => r.what),
      ['ana #geral 4242', 'ana display-name Ana'],
    );
    // Another node reads them back from the table.
    const other = await node(url);
    const theirs = other.readMarkers();
    const theirKeys = other.metadata();
    await Promise.all([theirs.load('ana'), theirKeys.load('ana')]);
    assert.equal(theirs.get('ana', '#geral'), 4242);
    assert.deepEqual(theirKeys.all('ana'), [['display-name', 'Ana']]);
  });

  it('a reaction made while it was away reaches the table once it is back, once; pages show it', async () => {
    const url = await server.createDatabase();
    const errors: Error[] = [];
    const history = await PostgresHistory.open(url, { onError: (e) => errors.push(e) });
    const message: ChatMessage = {
      seq: 1,
      id: '1',
      time: 1_000,
      target: '#Geral',
      private: false,
      from: 'ana',
      fromMask: 'ana!line@127.0.0.1',
      text: 'oi',
      kind: 'message',
    };
    try {
      history.append(message);
      await history.flush();
      await server.stop();
      history.react('#geral', 1, { nick: 'bia', emoji: '👍', time: 2_000 });
      await history.flush(); // tried once, failed, kept for another try
      assert.ok(errors.length >= 1, 'the failed insert is reported');
      await server.start();
      // Read now (the retry may or may not have run): the page shows the reaction, once.
      const page = await history.query('#geral', { limit: 10 });
      assert.deepEqual(page[0]?.reactions, [{ nick: 'bia', emoji: '👍' }]);
      const deadline = Date.now() + 20_000;
      let found: Array<{ what: string }> = [];
      while (Date.now() < deadline) {
        found = await rows<{ what: string }>(
          url,
          `SELECT seq || ' ' || nick || ' ' || emoji AS what FROM reactions`,
        ).catch(() => []);
        if (found.length > 0) break;
        await new Promise((r) => setTimeout(r, 100)); // polling the table: what a user would look at
      }
      assert.deepEqual(
        found.map((r) => r.what),
        ['1 bia 👍'],
      );
      // Another node reads it from the table.
      const other = await PostgresHistory.open(url);
      try {
        const theirs = await other.query('#geral', { limit: 10 });
        assert.deepEqual(theirs[0]?.reactions, [{ nick: 'bia', emoji: '👍' }]);
      } finally {
        await other.close();
      }
    } finally {
      await history.close();
    }
  });
});
