import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AccountStore } from '../../src/core/account-store.js';
import { hashPassword, verifyPassword, type PasswordSecrets } from '../../src/core/passwords.js';

/** Every account store passes this; `make()` gives an empty one (at once or later: PostgreSQL's opens). */
export function accountStoreContract(name: string, make: () => AccountStore | Promise<AccountStore>): void {
  describe(`${name}: account store contract`, () => {
    let one: PasswordSecrets;
    let two: PasswordSecrets;
    before(async () => {
      [one, two] = await Promise.all([hashPassword('primeira senha'), hashPassword('segunda senha')]);
    });

    it('creates an account once per name, whatever its case, and gives it back by any case', async () => {
      const s = await make();
      assert.equal(await s.create('Ana', one), true);
      assert.equal(await s.create('ANA', two), false);
      const a = await s.get('aNa');
      assert.ok(a);
      assert.equal(a.name, 'Ana');
      assert.equal(a.oper, false);
      assert.ok(Math.abs(a.createdAt - Date.now()) < 60_000);
      assert.deepEqual(a.secrets, one);
      assert.equal(await verifyPassword('primeira senha', a.secrets.hash), true);
      assert.equal(await s.get('bia'), undefined);
      await s.close();
    });

    it('changes the password and the oper flag, and says when there is no such account', async () => {
      const s = await make();
      await s.create('ana', one, { oper: true });
      assert.equal((await s.get('ana'))!.oper, true);
      assert.equal(await s.setSecrets('ANA', two), true);
      assert.deepEqual((await s.get('ana'))!.secrets, two);
      assert.equal(await s.setFlags('ana', { oper: false }), true);
      assert.equal((await s.get('ana'))!.oper, false);
      assert.equal(await s.setSecrets('bia', two), false);
      assert.equal(await s.setFlags('bia', { oper: true }), false);
      await s.close();
    });

    it('lists accounts by name and deletes them', async () => {
      const s = await make();
      await s.create('caio', one);
      await s.create('Ana', two);
      await s.create('bia', one);
      assert.deepEqual(
        (await s.list()).map((a) => a.name),
        ['Ana', 'bia', 'caio'],
      );
      assert.equal(await s.delete('BIA'), true);
      assert.equal(await s.delete('bia'), false);
      assert.deepEqual(
        (await s.list()).map((a) => a.name),
        ['Ana', 'caio'],
      );
      assert.equal(await s.get('bia'), undefined);
      await s.close();
    });
  });
}
