import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryAccountStore } from '../../src/core/account-store.js';
import { MemoryCertStore, normaliseFingerprint } from '../../src/core/cert-store.js';
import { hashPassword } from '../../src/core/passwords.js';
import { SqliteAccountStore } from '../../src/storage/sqlite-accounts.js';
import { SqliteCertStore } from '../../src/storage/sqlite-certs.js';
import { certStoreContract } from './cert-store-contract.js';

certStoreContract('MemoryCertStore', () => {
  const accounts = new MemoryAccountStore();
  return { accounts, certs: new MemoryCertStore(async (a) => (await accounts.get(a))?.name) };
});
certStoreContract('SqliteCertStore', () => {
  const accounts = new SqliteAccountStore(':memory:');
  return { accounts, certs: new SqliteCertStore(accounts.db) };
});

describe('certificate fingerprints', () => {
  it('are 64 lower-case hex digits; the colon form of Node and OpenSSL is read', () => {
    const hex = 'ab'.repeat(32);
    assert.equal(normaliseFingerprint(hex.toUpperCase().match(/../g)!.join(':')), hex);
    assert.equal(normaliseFingerprint(hex), hex);
    assert.equal(normaliseFingerprint('ab'.repeat(31)), undefined);
    assert.equal(normaliseFingerprint('zz'.repeat(32)), undefined);
  });

  it('an account deleted from another handle (tomada account del) takes its certificates along', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tomada-c-'));
    try {
      const server = new SqliteAccountStore(dir);
      const certs = new SqliteCertStore(server.db);
      await server.create('ana', await hashPassword('s3nha-boa'));
      assert.equal(await certs.add('ana', 'cd'.repeat(32)), 'ADDED');
      const cli = new SqliteAccountStore(dir);
      assert.equal(await cli.delete('ana'), true);
      cli.close();
      assert.equal(await certs.owner('cd'.repeat(32)), undefined);
      // A new account of the same name does not inherit the old one's certificate.
      await server.create('ana', await hashPassword('outra-senha'));
      assert.deepEqual(await certs.list('ana'), []);
      server.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
