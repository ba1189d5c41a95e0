import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Turn } from '../../src/core/turn.js';
import { Outbox, OutboxScheduler, type OutboxTarget } from '../../src/transports/outbox.js';

/** A socket that records what each write carried (the very Buffer objects). */
class FakeSocket implements OutboxTarget {
  writes: Buffer[] = [];
  corked = 0;
  writableLength = 0;
  destroyed = false;
  write(data: Buffer): boolean {
    this.writes.push(data);
    return true;
  }
  cork(): void {
    this.corked++;
  }
  uncork(): void {}
  text(): string {
    return Buffer.concat(this.writes).toString();
  }
}

function setup(maxQueued = 1 << 20) {
  const turn = new Turn();
  const scheduler = new OutboxScheduler(turn);
  const overflows: number[] = [];
  const make = (i: number) => {
    const socket = new FakeSocket();
    return { socket, outbox: new Outbox(socket, scheduler, maxQueued, { outboxOverflowed: () => overflows.push(i) }) };
  };
  return { turn, scheduler, make, overflows };
}

describe('Outbox (one write per recipient per turn)', () => {
  it('writes the messages of a turn in one write, in order', () => {
    const { turn, make } = setup();
    const a = make(0);
    for (const m of ['one\n', 'two\n', 'three\n']) a.outbox.push(Buffer.from(m));
    assert.equal(a.socket.writes.length, 0, 'nothing before the end of the turn');
    turn.run();
    assert.equal(a.socket.writes.length, 1);
    assert.equal(a.socket.text(), 'one\ntwo\nthree\n');
  });

  it('recipients of the same messages share one joined buffer; a recipient that missed one gets its own', () => {
    const { turn, make } = setup();
    const m1 = Buffer.from('a: hi\n');
    const m2 = Buffer.from('b: hello\n');
    const m3 = Buffer.from('a: bye\n');
    const readers = [make(0), make(1), make(2)];
    const sender = make(3); // did not get its own m2
    for (const m of [m1, m2, m3]) {
      for (const r of readers) r.outbox.push(m);
      if (m !== m2) sender.outbox.push(m);
    }
    turn.run();
    const joined = readers[0]!.socket.writes[0]!;
    for (const r of readers) {
      assert.equal(r.socket.writes.length, 1);
      assert.equal(r.socket.writes[0], joined, 'the same Buffer object');
    }
    assert.equal(joined.toString(), 'a: hi\nb: hello\na: bye\n');
    assert.equal(sender.socket.writes.length, 1);
    assert.notEqual(sender.socket.writes[0], joined);
    assert.equal(sender.socket.text(), 'a: hi\na: bye\n');
  });

  it('same first and last message and count but a different middle: not shared', () => {
    const { turn, make } = setup();
    const [x, y, z, w] = ['x\n', 'y\n', 'z\n', 'w\n'].map((s) => Buffer.from(s));
    const a = make(0);
    const b = make(1);
    for (const m of [x!, y!, z!]) a.outbox.push(m);
    for (const m of [x!, w!, z!]) b.outbox.push(m);
    turn.run();
    assert.equal(a.socket.text(), 'x\ny\nz\n');
    assert.equal(b.socket.text(), 'x\nw\nz\n');
  });

  it('a turn over 64 KiB goes out corked, piece by piece', () => {
    const { turn, make } = setup();
    const a = make(0);
    const big = Buffer.alloc(40_000, 0x61);
    a.outbox.push(big);
    a.outbox.push(big);
    turn.run();
    assert.equal(a.socket.corked, 1);
    assert.equal(a.socket.writes.length, 2);
  });

  it('a reader past the send-queue limit overflows once and gets nothing more; others are not held back', () => {
    const { turn, make, overflows } = setup(100);
    const slow = make(0);
    const fast = make(1);
    slow.socket.writableLength = 90; // the kernel is not taking its bytes
    const m = Buffer.alloc(20, 0x62);
    slow.outbox.push(m);
    fast.outbox.push(m);
    slow.outbox.push(m);
    turn.run();
    assert.deepEqual(overflows, [0]);
    assert.equal(slow.socket.writes.length, 0);
    assert.equal(fast.socket.writes.length, 1);
  });
});
