/** The PostgreSQL account and sign-in stores, against a real PostgreSQL (test/storage/postgres.ts). */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { hashPassword } from '../../src/core/passwords.js';
import { PostgresAccountStore } from '../../src/storage/postgres-accounts.js';
import { MIGRATIONS } from '../../src/storage/postgres.js';
import { accountStoreContract } from './account-store-contract.js';
import { PostgresServer } from './postgres.js';
import { signInStoreContract } from './sign-in-store-contract.js';
import { certStoreContract } from './cert-store-contract.js';
import { roomStoreContract } from './room-store-contract.js';

const server = new PostgresServer();
const open: PostgresAccountStore[] = [];
before(() => server.start());
after(async () => {
  for (const s of open) await s.close().catch(() => {});
  await server.dispose();
});

async function fresh(): Promise<PostgresAccountStore> {
  return PostgresAccountStore.open(await server.createDatabase());
}

accountStoreContract('PostgresAccountStore', fresh);
signInStoreContract('PostgresSignInStore', async () => {
  const accounts = await fresh();
  open.push(accounts);
  return accounts.signIns();
});

certStoreContract('PostgresCertStore', async () => {
  const accounts = await fresh();
  return { accounts, certs: accounts.certs() };
});
roomStoreContract('PostgresRoomStore', async () => {
  const accounts = await fresh();
  return { accounts, rooms: accounts.rooms() };
});

describe('PostgresAccountStore', () => {
  it('migrates with versions 10–19 and sees what another node (or the CLI) wrote, with no cache', async () => {
    assert.ok(MIGRATIONS.filter((m) => m.version >= 10 && m.version < 20).length >= 2);
    const versions = MIGRATIONS.map((m) => m.version);
    assert.deepEqual(
      versions,
      [...versions].sort((a, b) => a - b),
      'in version order',
    );
    const url = await server.createDatabase();
    const [a, b] = await Promise.all([PostgresAccountStore.open(url), PostgresAccountStore.open(url)]);
    open.push(a, b);
    assert.equal(await a.get('ana'), undefined);
    await b.create('Ana', await hashPassword('senha da ana'), { oper: true });
    const seen = await a.get('ANA');
    assert.equal(seen?.name, 'Ana');
    assert.equal(seen?.oper, true);
    await b.delete('ana');
    assert.equal(await a.get('ana'), undefined);
    // The rows: the scrypt hash and SCRAM keys, never the password.
    await a.create('bia', await hashPassword('segredo-da-bia'));
    const c = new pg.Client(url);
    await c.connect();
    const { rows } = await c.query<{ hash: string }>('SELECT * FROM accounts');
    const migrated = await c.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    await c.end();
    assert.equal(rows.length, 1);
    assert.match(rows[0]!.hash, /^scrypt\$32768\$8\$1\$/);
    assert.ok(!JSON.stringify(rows).includes('segredo'));
    assert.deepEqual(
      migrated.rows.map((r) => r.version),
      versions,
    );
  });
});
