import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { allowAll, sameSecret, ServerPassword } from '../../src/core/accounts.js';
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
