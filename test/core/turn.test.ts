import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { BUSY_RATE, QUIET_RATE, Turn } from '../../src/core/turn.js';

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

  it('spaces ends of turn by the delivery rate: none when quiet, the whole interval when busy', () => {
    let clock = 1000;
    const turn = new Turn(10, () => clock);
    assert.equal(turn.interval(), 0, 'no load yet');
    // 100 ms at the quiet rate: still no delay.
    turn.delivered(QUIET_RATE / 10);
    clock += 100;
    assert.equal(turn.interval(), 0);
    // Twice the busy rate for long enough: the whole interval, never more.
    for (let i = 0; i < 10; i++) {
      turn.delivered((BUSY_RATE * 2) / 10);
      clock += 100;
      turn.interval();
    }
    assert.equal(turn.interval(), 10);
    // Half-way between quiet and busy (measured after a long pause): about half the interval.
    clock += 10_000;
    turn.delivered(((QUIET_RATE + BUSY_RATE) / 2) * 10);
    assert.ok(Math.abs(turn.interval() - 5) < 0.01, String(turn.interval()));
  });

  it('under load waits for the rest of the interval; a quiet server runs at once', () => {
    mock.timers.enable({ apis: ['setTimeout', 'setImmediate'] });
    try {
      let clock = 1000;
      const turn = new Turn(5, () => clock);
      let runs = 0;
      turn.on(1, () => runs++);
      turn.request();
      mock.timers.tick(0); // setImmediate: a quiet server is not delayed
      assert.equal(runs, 1);
      // Busy: far past the busy rate over the last window.
      turn.delivered(BUSY_RATE);
      clock += 1000;
      turn.request();
      mock.timers.tick(0);
      assert.equal(runs, 2, 'the first end of turn after a pause is not delayed');
      clock += 1; // another message 1 ms later
      turn.request();
      mock.timers.tick(0);
      assert.equal(runs, 2, 'held back');
      mock.timers.tick(3);
      assert.equal(runs, 2, 'still within the interval');
      clock += 4;
      mock.timers.tick(1);
      assert.equal(runs, 3, 'one end of turn for the whole interval');
      // Load gone (a long pause, nothing delivered): no delay again.
      clock += 10_000;
      turn.request();
      mock.timers.tick(0);
      assert.equal(runs, 4);
    } finally {
      mock.timers.reset();
    }
  });

  it('0 turns coalescing off whatever the load', () => {
    let clock = 0;
    const turn = new Turn(0, () => clock);
    turn.delivered(BUSY_RATE * 10);
    clock += 1000;
    assert.equal(turn.interval(), 0);
  });
});
