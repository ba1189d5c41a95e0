import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AccountCache } from '../../src/storage/account-cache.js';
import { WriteBehind } from '../../src/storage/write-behind.js';

/** A write the test finishes by hand: each batch, and how to end it. */
function gatedWriter() {
  const batches: string[][] = [];
  const gates: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  const write = (ops: string[]) =>
    new Promise<void>((resolve, reject) => {
      batches.push(ops);
      gates.push({ resolve, reject });
    });
  return { batches, gates, write };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('WriteBehind', () => {
  it('writes what one turn hands over in one batch, what comes meanwhile in the next; written() waits for its batch', async () => {
    const { batches, gates, write } = gatedWriter();
    const errors: Error[] = [];
    const w = new WriteBehind<string>(write, (e) => errors.push(e));
    await w.written(); // nothing handed over: at once
    w.put('a', () => 'a1');
    w.put('b', () => 'b1');
    w.put('a', (old) => `${old}+a2`);
    const first = w.written();
    await tick();
    assert.deepEqual(batches, [['a1+a2', 'b1']]);
    w.put('c', () => 'c1');
    w.put('b', () => 'b2', true);
    const second = w.written();
    let firstDone = false;
    void first.then(() => (firstDone = true));
    await tick();
    assert.equal(batches.length, 1, 'one batch at a time');
    assert.equal(firstDone, false);
    gates[0]!.resolve();
    await first;
    await tick();
    assert.deepEqual(batches[1], ['c1', 'b2']);
    // A batch that fails is reported, and written() still resolves.
    gates[1]!.reject(new Error('banco fora'));
    await second;
    assert.deepEqual(
      errors.map((e) => e.message),
      ['banco fora'],
    );
    w.put('d', () => 'd1', true);
    await tick();
    assert.deepEqual(batches[2], ['d1']);
    gates[2]!.resolve();
    await w.written();
  });
});

describe('AccountCache', () => {
  it('keeps held accounts; forgets the others a grace period after they were made or released', () => {
    let now = 0;
    const cache = new AccountCache(
      () => new Map<string, number>(),
      1000,
      () => now,
    );
    cache.ensure('ana').set('#geral', 1);
    assert.equal(cache.hold('bia'), true, 'bia had no entry');
    assert.equal(cache.hold('ana'), false);
    cache.ensure('caio');
    now = 5000;
    cache.ensure('dani'); // a new entry sweeps: caio was never held
    assert.equal(cache.get('caio'), undefined);
    assert.equal(cache.get('ana')?.get('#geral'), 1);
    cache.release('ana');
    now = 5500;
    cache.ensure('eva'); // within the grace: nothing swept
    assert.ok(cache.get('ana'));
    now = 7000;
    cache.ensure('fabi');
    assert.equal(cache.get('ana'), undefined);
    assert.ok(cache.get('bia'), 'still held');
    // dani and eva, never held, went with ana: bia and the new fabi are left.
    assert.equal(cache.size, 2);
  });
});
