import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AccountStore } from '../../src/core/account-store.js';

type MaybePromise<T> = T | Promise<T>;
import { MAX_CERTS, type CertStore } from '../../src/core/cert-store.js';
import type { PasswordSecrets } from '../../src/core/passwords.js';

const SECRETS: PasswordSecrets = {
  hash: 'not-a-real-hash',
  scram: { salt: 'c2FsdA==', iterations: 4096, storedKey: 'x', serverKey: 'y' },
};
const fp = (n: number) => n.toString(16).padStart(64, '0');

/** Every certificate store passes this; `make()` gives empty accounts and certificates that go together. */
export function certStoreContract(
  name: string,
  make: () => MaybePromise<{ accounts: AccountStore; certs: CertStore }>,
): void {
  describe(`${name}: certificate store contract`, () => {
    it('adds a fingerprint to one account, finds the account by it, lists, removes', async () => {
      const { accounts, certs } = await make();
      await accounts.create('Ana', SECRETS);
      await accounts.create('bia', SECRETS);
      assert.equal(await certs.add('ana', fp(1)), 'ADDED');
      assert.equal(await certs.add('ANA', fp(1)), 'EXISTS');
      assert.equal(await certs.add('bia', fp(1)), 'TAKEN');
      assert.equal(await certs.add('ninguem', fp(2)), 'NO_ACCOUNT');
      assert.equal(await certs.add('ana', fp(2)), 'ADDED');
      assert.equal(await certs.owner(fp(1)), 'Ana', 'the name as registered');
      assert.equal(await certs.owner(fp(3)), undefined);
      assert.deepEqual(await certs.list('ana'), [fp(1), fp(2)]);
      assert.deepEqual(await certs.list('bia'), []);
      assert.equal(await certs.remove('bia', fp(1)), false, 'not hers');
      assert.equal(await certs.remove('ana', fp(1)), true);
      assert.equal(await certs.owner(fp(1)), undefined);
      assert.equal(await certs.add('bia', fp(1)), 'ADDED', 'free again');
      await accounts.close();
    });

    it(`holds at most ${MAX_CERTS} per account; forget() removes an account's`, async () => {
      const { accounts, certs } = await make();
      await accounts.create('ana', SECRETS);
      for (let i = 0; i < MAX_CERTS; i++) assert.equal(await certs.add('ana', fp(100 + i)), 'ADDED');
      assert.equal(await certs.add('ana', fp(999)), 'FULL');
      await certs.forget('ana');
      assert.deepEqual(await certs.list('ana'), []);
      assert.equal(await certs.owner(fp(100)), undefined);
      await accounts.close();
    });
  });
}
