import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { allowAll, sameSecret, ServerPassword, StoreAccounts } from '../../src/core/accounts.js';
import { MemoryAccountStore } from '../../src/core/account-store.js';
import { Identity } from '../../src/core/identity.js';
import { hashPassword } from '../../src/core/passwords.js';
import { accountsContract } from './accounts-contract.js';

accountsContract('allowAll', () => allowAll, { good: { nick: 'ana' } });
accountsContract('ServerPassword', () => new ServerPassword('s3nha'), {
  good: { nick: 'ana', password: 's3nha' },
  refused: { nick: 'ana', password: 's3nh' },
});

describe('ServerPassword', () => {
  it('tells a missing password from a wrong one, and compares secrets of any length safely', () => {
    const p = new ServerPassword('s3nha');
    assert.deepEqual(p.authorise({ nick: 'a', password: undefined, door: 'web' }), {
      ok: false,
      reason: 'PASSWORD_REQUIRED',
    });
    assert.deepEqual(p.authorise({ nick: 'a', password: '', door: 'web' }), { ok: false, reason: 'BAD_PASSWORD' });
    assert.equal(sameSecret('s3nha', 's3nha'), true);
    assert.equal(sameSecret('s3nha-mais-longa', 's3nha'), false);
    assert.equal(sameSecret('', 's3nha'), false);
  });
});

const ana = async () => {
  const store = new MemoryAccountStore();
  await store.create('ana', await hashPassword('s3nha-da-ana'));
  return store;
};

accountsContract('StoreAccounts', async () => new StoreAccounts(new Identity(await ana())), {
  good: { nick: 'ana', password: 's3nha-da-ana' },
  refused: { nick: 'ANA', password: 'errada' },
});
accountsContract('StoreAccounts (a guest)', async () => new StoreAccounts(new Identity(await ana())), {
  good: { nick: 'bia' },
});
accountsContract(
  'ServerPassword over StoreAccounts',
  async () => new ServerPassword('s3nha', new StoreAccounts(new Identity(await ana()))),
  {
    good: { nick: 'ana', password: 's3nha' },
    refused: { nick: 'ana', password: 's3nha-da-ana' },
  },
);

describe('StoreAccounts', () => {
  it('logs in with the account password, names the account, and lets a guest in without one', async () => {
    const a = new StoreAccounts(new Identity(await ana()));
    assert.deepEqual(await a.authorise({ nick: 'Ana', password: 's3nha-da-ana', door: 'irc' }), {
      ok: true,
      account: { name: 'ana', oper: false },
    });
    assert.deepEqual(await a.authorise({ nick: 'ana', password: undefined, door: 'irc' }), { ok: true });
    assert.deepEqual(await a.authorise({ nick: 'bia', password: 'qualquer', door: 'irc' }), { ok: true });
  });
});

describe('Identity', () => {
  it('gives the same answer for an unknown account and a wrong password', async () => {
    const id = new Identity(await ana());
    assert.deepEqual(await id.login('ana', 'errada', '192.0.2.1'), { ok: false, reason: 'BAD_CREDENTIALS' });
    assert.deepEqual(await id.login('ninguem', 'errada', '192.0.2.2'), { ok: false, reason: 'BAD_CREDENTIALS' });
    assert.deepEqual(await id.login('ana', 's3nha-da-ana', '192.0.2.1'), {
      ok: true,
      account: { name: 'ana', oper: false },
    });
  });

  it('throttles per account and per address: a few failures, then growing delays', async () => {
    let now = 1_000_000;
    const id = new Identity(await ana(), { throttle: { now: () => now }, ipThrottle: { free: 3 } });
    for (let i = 0; i < 2; i++) assert.equal((await id.login('ana', 'x', '192.0.2.1')).ok, false);
    const third = await id.login('ana', 'x', '192.0.2.1');
    assert.deepEqual(third, { ok: false, reason: 'BAD_CREDENTIALS' });
    // From the third failure on, the account waits: 1 s, then 2 s, then 4 s…
    assert.deepEqual(await id.login('ana', 's3nha-da-ana', '192.0.2.9'), {
      ok: false,
      reason: 'THROTTLED',
      retryAfterMs: 1000,
    });
    now += 1000;
    assert.equal((await id.login('ana', 'x', '192.0.2.9')).ok, false);
    assert.deepEqual(await id.login('ana', 's3nha-da-ana', '192.0.2.9'), {
      ok: false,
      reason: 'THROTTLED',
      retryAfterMs: 2000,
    });
    // The address that failed is held back for another account too.
    assert.equal((await id.login('bia', 'x', '192.0.2.1')).ok, false);
    now += 2000;
    assert.equal((await id.login('ana', 's3nha-da-ana', '192.0.2.8')).ok, true);
    // A success forgets the account's failures.
    assert.equal(id.throttled('ana', '192.0.2.8'), 0);
  });

  it('registers a name once, refuses weak or overlong passwords, and closed registration', async () => {
    const id = new Identity(new MemoryAccountStore());
    assert.deepEqual(await id.register('caio', 'abc', '192.0.2.1'), {
      ok: false,
      reason: 'BAD_PASSWORD',
      problem: 'tooShort',
    });
    assert.deepEqual(await id.register('caio', 'x'.repeat(300), '192.0.2.1'), {
      ok: false,
      reason: 'BAD_PASSWORD',
      problem: 'tooLong',
    });
    assert.equal((await id.register('caio', 'boa senha', '192.0.2.1')).ok, true);
    assert.deepEqual(await id.register('CAIO', 'boa senha', '192.0.2.1'), { ok: false, reason: 'EXISTS' });
    assert.equal((await id.login('caio', 'boa senha', '192.0.2.1')).ok, true);
    const closed = new Identity(new MemoryAccountStore(), { registration: 'closed' });
    assert.deepEqual(await closed.register('caio', 'boa senha', '192.0.2.1'), { ok: false, reason: 'CLOSED' });
  });
});
