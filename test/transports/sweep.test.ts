import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { keepAlivePeriodMs, Sweep, type Sweepable } from '../../src/transports/connection.js';

describe('Sweep (one timer for many connections)', () => {
  it('sweeps every member once a period, lets a member leave during its sweep, and stops when empty', () => {
    mock.timers.enable({ apis: ['setInterval', 'Date'] });
    try {
      const sweep = new Sweep<Sweepable & { seen: number[] }>(1000);
      const seen: string[] = [];
      const a = { seen: [] as number[], sweep: (now: number) => (seen.push(`a@${now}`), sweep.delete(a)) };
      const b = { seen: [] as number[], sweep: (now: number) => void seen.push(`b@${now}`) };
      sweep.add(a);
      sweep.add(b);
      mock.timers.tick(999);
      assert.deepEqual(seen, []);
      mock.timers.tick(1);
      assert.deepEqual(seen, ['a@1000', 'b@1000']);
      mock.timers.tick(1000);
      assert.deepEqual(seen, ['a@1000', 'b@1000', 'b@2000'], 'a left during its own sweep');
      sweep.delete(b);
      assert.equal(sweep.size, 0);
      mock.timers.tick(5000);
      assert.equal(seen.length, 3, 'no member, no sweep');
    } finally {
      mock.timers.reset();
    }
  });

  it('sweeps keep-alive at a quarter of the shorter delay, between 250 ms and 15 s', () => {
    assert.equal(keepAlivePeriodMs(90, 120), 15_000);
    assert.equal(keepAlivePeriodMs(20, 8), 2000);
    assert.equal(keepAlivePeriodMs(1, 1), 250);
  });
});
