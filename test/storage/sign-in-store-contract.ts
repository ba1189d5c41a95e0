import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SignInRecord, SignInStore } from '../../src/core/sign-ins.js';

const rec = (account: string, createdAt: number, expiresAt: number): SignInRecord => ({
  account,
  accountKey: account.toLowerCase(),
  createdAt,
  expiresAt,
});

/** Every store of the web door's sign-ins passes this; `make()` gives an empty one. */
export function signInStoreContract(name: string, make: () => SignInStore | Promise<SignInStore>): void {
  describe(`${name}: sign-in store contract`, () => {
    it('gives a sign-in back by its hash until it expires, and revokes it', async () => {
      const s = await make();
      await s.add('h1', rec('Ana', 1000, 5000));
      assert.deepEqual(await s.get('h1', 4999), rec('Ana', 1000, 5000));
      assert.equal(await s.get('h1', 5000), undefined, 'expired');
      assert.equal(await s.get('h2', 1000), undefined);
      assert.equal(await s.remove('h1'), true);
      assert.equal(await s.remove('h1'), false);
      assert.equal(await s.get('h1', 2000), undefined);
      await s.close();
    });

    it('revokes every sign-in of an account but one, and purges the expired', async () => {
      const s = await make();
      await s.add('a1', rec('Ana', 1000, 9000));
      await s.add('a2', rec('Ana', 1000, 9000));
      await s.add('a3', rec('Ana', 1000, 9000));
      await s.add('b1', rec('Bia', 1000, 3000));
      assert.equal(await s.removeAccount('ana', 'a2'), 2);
      assert.equal(await s.get('a1', 2000), undefined);
      assert.ok(await s.get('a2', 2000));
      assert.ok(await s.get('b1', 2000));
      await s.purge(3000);
      assert.equal(await s.get('b1', 0), undefined, 'purged, whatever the time asked');
      assert.ok(await s.get('a2', 0));
      assert.equal(await s.removeAccount('ana'), 1);
      await s.close();
    });
  });
}
