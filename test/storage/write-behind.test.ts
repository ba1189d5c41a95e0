import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AccountCache } from '../../src/storage/account-cache.js';
import { WriteBehind } from '../../src/storage/write-behind.js';

/** A write the test finishes by hand: each batch, and how to end it; `batch(n)` waits for the n-th. */
function gatedWriter() {
  const batches: string[][] = [];
  const gates: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  const waiters = new Map<number, () => void>();
  const write = (ops: string[]) =>
    new Promise<void>((resolve, reject) => {
      batches.push(ops);
      gates.push({ resolve, reject });
      waiters.get(batches.length)?.();
    });
  const batch = (n: number) => (batches.length >= n ? Promise.resolve() : new Promise<void>((r) => waiters.set(n, r)));
  return { batches, gates, write, batch };
}

/** An error like pg's when the server is away (no SQLSTATE) or refuses a statement (one). */
const away = () => Object.assign(new Error('Connection terminated unexpectedly'), {});
const refused = () => Object.assign(new Error('value too long'), { code: '22001' });
const retryable = (e: Error) => (e as { code?: string }).code === undefined;

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

describe('WriteBehind: the database away for a moment', () => {
  it('keeps a batch that failed on a retryable error ahead of what came since, merged, and tries it again', async () => {
    const { batches, gates, write, batch } = gatedWriter();
    const errors: string[] = [];
    const w = new WriteBehind<string>(write, (e) => errors.push(e.message), {
      retryable,
      merge: (older, newer) => `${older}|${newer}`,
      firstDelayMs: 1,
    });
    w.put('a', () => 'a1');
    w.put('b', () => 'b1');
    await batch(1);
    w.put('c', () => 'c1');
    w.put('a', () => 'a2');
    gates[0]!.reject(away());
    // While it waits for the retry, written() does not wait for the database (a login reads meanwhile).
    await w.written();
    assert.deepEqual([...w.waitingChanges()], ['a1|a2', 'b1', 'c1']);
    assert.equal(w.waiting('a'), 'a1|a2');
    await batch(2);
    assert.deepEqual(batches[1], ['a1|a2', 'b1', 'c1']);
    gates[1]!.reject(away());
    await batch(3); // tried again, the delay doubled
    gates[2]!.resolve();
    await w.written();
    assert.deepEqual([...w.waitingChanges()], []);
    assert.deepEqual(errors, ['Connection terminated unexpectedly', 'Connection terminated unexpectedly']);
    // A refused statement is reported and dropped, not retried.
    w.put('d', () => 'd1');
    await batch(4);
    gates[3]!.reject(refused());
    await w.written();
    w.put('e', () => 'e1');
    await batch(5);
    assert.deepEqual(batches[4], ['e1']);
    gates[4]!.resolve();
    await w.written();
    assert.equal(errors.length, 3);
  });

  it('drops a change after maxTries; close() tries what waits once more, at once, and stops retrying', async () => {
    const { gates, write, batch } = gatedWriter();
    const errors: Error[] = [];
    const w = new WriteBehind<string>(write, (e) => errors.push(e), { retryable, firstDelayMs: 1, maxTries: 2 });
    w.put('a', () => 'a1');
    await batch(1);
    gates[0]!.reject(away());
    await batch(2);
    gates[1]!.reject(away()); // the second try of a1: dropped
    await w.written();
    assert.deepEqual([...w.waitingChanges()], []);
    assert.equal(errors.length, 2);

    // A long delay: close() does not wait for it; it tries at once, and a failure then is the end.
    const slow = gatedWriter();
    const s = new WriteBehind<string>(slow.write, (e) => errors.push(e), { retryable, firstDelayMs: 60_000 });
    s.put('x', () => 'x1');
    await slow.batch(1);
    slow.gates[0]!.reject(away());
    await s.written();
    assert.deepEqual([...s.waitingChanges()], ['x1'], 'kept for a retry');
    const closed = s.close();
    await slow.batch(2);
    assert.deepEqual(slow.batches[1], ['x1']);
    slow.gates[1]!.reject(away());
    await closed;
    assert.deepEqual([...s.waitingChanges()], []);
    assert.equal(errors.length, 4);
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
