import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryAccountStore } from '../../src/core/account-store.js';
import { Identity } from '../../src/core/identity.js';
import { hashPassword } from '../../src/core/passwords.js';
import { MemorySignInStore, SignIns, tokenHash } from '../../src/core/sign-ins.js';

describe('SignIns', () => {
  it('signs in with a random token, kept only as its hash, until it expires or is ended', async () => {
    let now = 1_000_000;
    const accounts = new MemoryAccountStore(() => now);
    await accounts.create('Ana', await hashPassword('senha da ana'), { oper: true });
    const store = new MemorySignInStore();
    const signIns = new SignIns(new Identity(accounts), store, { ttlMs: 60_000, now: () => now });
    const token = await signIns.start({ name: 'Ana', oper: true });
    assert.match(token, /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(await signIns.start({ name: 'Ana', oper: true }), token, 'random each time');
    assert.deepEqual(await signIns.account(token), { name: 'Ana', oper: true });
    assert.ok(await store.get(tokenHash(token), now));
    assert.equal(await store.get(token, now), undefined, 'not stored as itself');
    for (const bad of [undefined, '', 'x', token + 'a', token.slice(1) + '!'])
      assert.equal(await signIns.account(bad), undefined);
    now += 60_000;
    assert.equal(await signIns.account(token), undefined, 'expired');
    const other = await signIns.start({ name: 'Ana', oper: true });
    assert.equal(await signIns.end(other), true);
    assert.equal(await signIns.account(other), undefined);
    assert.equal(await signIns.end(other), false);
  });

  it('does not sign in to an account deleted since, nor to one registered again under the name', async () => {
    let now = 5_000;
    const accounts = new MemoryAccountStore(() => now);
    await accounts.create('bia', await hashPassword('senha da bia'));
    const signIns = new SignIns(new Identity(accounts), new MemorySignInStore(), { now: () => now });
    const token = await signIns.start({ name: 'bia', oper: false });
    await accounts.delete('bia');
    assert.equal(await signIns.account(token), undefined);
    now += 1;
    await accounts.create('BIA', await hashPassword('outra pessoa'));
    assert.equal(await signIns.account(token), undefined);
  });
});
