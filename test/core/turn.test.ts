import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { Turn } from '../../src/core/turn.js';

describe('Turn (end-of-turn batching)', () => {
  it('runs history before sockets, once however many requests the turn had', async () => {
    const turn = new Turn();
    const order: string[] = [];
    turn.on(1, () => order.push('sockets'));
    turn.on(0, () => order.push('history'));
    turn.request();
    turn.request();
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(order, ['history', 'sockets']);
  });

  it('under load waits for the rest of the interval; after a pause runs at once', () => {
    mock.timers.enable({ apis: ['setTimeout', 'setImmediate'] });
    try {
      let clock = 1000;
      const turn = new Turn(5, () => clock);
      let runs = 0;
      turn.on(1, () => runs++);
      turn.request();
      mock.timers.tick(0); // setImmediate: a quiet server is not delayed
      assert.equal(runs, 1);
      clock += 1; // busy: another message 1 ms later
      turn.request();
      mock.timers.tick(0);
      assert.equal(runs, 1, 'held back');
      mock.timers.tick(3);
      assert.equal(runs, 1, 'still within the interval');
      clock += 4;
      mock.timers.tick(1);
      assert.equal(runs, 2, 'one end of turn for the whole interval');
      clock += 100; // a pause: no delay again
      turn.request();
      mock.timers.tick(0);
      assert.equal(runs, 3);
    } finally {
      mock.timers.reset();
    }
  });
});
