import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryAccountStore } from '../../src/core/account-store.js';
import { hashPassword } from '../../src/core/passwords.js';
import { SqliteAccountStore } from '../../src/storage/sqlite-accounts.js';
import { tempDirs } from '../helpers/temp-dirs.js';
import { MemorySignInStore } from '../../src/core/sign-ins.js';
import { SqliteSignInStore } from '../../src/storage/sqlite-sign-ins.js';
import { accountStoreContract } from './account-store-contract.js';
import { signInStoreContract } from './sign-in-store-contract.js';

accountStoreContract('MemoryAccountStore', () => new MemoryAccountStore());
accountStoreContract('SqliteAccountStore (:memory:)', () => new SqliteAccountStore(':memory:'));
const tempDir = tempDirs('tomada-a-');
accountStoreContract('SqliteAccountStore (file)', () => new SqliteAccountStore(tempDir()));

signInStoreContract('MemorySignInStore', () => new MemorySignInStore());
signInStoreContract('SqliteSignInStore (:memory:)', () => new SqliteSignInStore(':memory:'));

describe('SqliteAccountStore on disk', () => {
  it('sees what another handle on the same file wrote (the CLI while the server runs)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tomada-a-'));
    try {
      const server = new SqliteAccountStore(dir);
      const cli = new SqliteAccountStore(dir);
      assert.equal(await server.get('ana'), undefined);
      await cli.create('ana', await hashPassword('s3nha-boa'));
      assert.equal((await server.get('ANA'))?.name, 'ana');
      await cli.delete('ana');
      assert.equal(await server.get('ana'), undefined);
      cli.close();
      server.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
