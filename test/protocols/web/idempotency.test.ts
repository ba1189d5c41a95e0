/** The web door's memory of messages by idempotency key: found again, forgotten after its time, bounded. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatMessage } from '../../../src/core/history.js';
import { IdempotencyCache } from '../../../src/protocols/web/idempotency.js';

const msg = (id: number): ChatMessage =>
  ({
    seq: id,
    id: String(id),
    time: 0,
    target: '#a',
    from: 'x',
    text: `t${id}`,
    kind: 'message',
    private: false,
  }) as ChatMessage;

describe('IdempotencyCache', () => {
  it('answers a key with the message first sent under it, per nick', () => {
    const c = new IdempotencyCache();
    c.remember('ana', 'k', msg(1));
    assert.equal(c.get('ana', 'k')?.id, '1');
    assert.equal(c.get('bia', 'k'), undefined);
    assert.equal(c.get('ana', 'other'), undefined);
  });

  it('forgets a key after its time', () => {
    let now = 1000;
    const c = new IdempotencyCache({ ttlMs: 100, now: () => now });
    c.remember('ana', 'old', msg(1));
    now += 60;
    c.remember('ana', 'new', msg(2));
    now += 50;
    assert.equal(c.get('ana', 'old'), undefined);
    assert.equal(c.get('ana', 'new')?.id, '2');
    now += 100;
    assert.equal(c.get('ana', 'new'), undefined);
    assert.equal(c.size, 0);
  });

  it('keeps at most perNick keys per nick and total keys in all, the oldest going first', () => {
    const c = new IdempotencyCache({ perNick: 2, total: 3 });
    for (let i = 1; i <= 3; i++) c.remember('ana', `k${i}`, msg(i));
    assert.deepEqual(
      ['k1', 'k2', 'k3'].map((k) => c.get('ana', k)?.id),
      [undefined, '2', '3'],
    );
    c.remember('bia', 'b1', msg(4));
    c.remember('bia', 'b2', msg(5));
    // Over the total: the least recently active nick (ana) gives up its oldest key.
    assert.equal(c.size, 3);
    assert.equal(c.get('ana', 'k2'), undefined);
    assert.equal(c.get('ana', 'k3')?.id, '3');
    assert.equal(c.get('bia', 'b1')?.id, '4');
  });
});
