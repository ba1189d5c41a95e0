import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Chain, ReadBacks, Sequences } from '../../src/cluster/bus-chain.js';
import { ChannelReader, heardLink, readHeader, readReply } from '../../src/cluster/bus-entry.js';

const link = (id: string, prev: string) => ({ id, prev, entry: undefined, name: id });

describe('the Redis bus chain (pure)', () => {
  it('gives each entry after the one it follows, whichever socket brought it first', () => {
    const chain = new Chain<ReturnType<typeof link>>('10-0');
    // Heard on the channel: B's entry, which follows this node's own entry 11-0 (its answer not here yet).
    chain.add(link('12-0', '11-0'));
    assert.equal(chain.take(), undefined);
    assert.equal(chain.stalled, true);
    chain.add(link('11-0', '10-0')); // the script's answer places the own entry
    assert.equal(chain.stalled, false);
    const order: string[] = [];
    for (let next = chain.take(); next; next = chain.take()) {
      order.push(next.id);
      chain.moveTo(next.id);
    }
    assert.deepEqual(order, ['11-0', '12-0']);
    assert.equal(chain.last, '12-0');
  });

  it('drops what was applied already, and what the stream caught up past', () => {
    const chain = new Chain<ReturnType<typeof link>>('20-0');
    chain.add(link('19-5', '19-4')); // applied before: dropped at once
    assert.equal(chain.stalled, false);
    chain.add(link('22-0', '21-0'));
    chain.add(link('23-0', '22-0'));
    assert.equal(chain.stalled, true, '21-0 never came');
    chain.moveTo('22-0'); // read from the stream up to 22-0
    assert.equal(chain.take()?.id, '23-0');
    chain.moveTo('23-0');
    assert.equal(chain.stalled, false);
    assert.equal(chain.take(), undefined);
  });

  it('reads an entry heard on a channel (its header, then its envelopes) and the script’s answer', () => {
    const header = readHeader('5-1\n5-0\n0.ab\n7');
    assert.deepEqual(header, { id: '5-1', prev: '5-0', publisher: '0.ab', seq: '7' });
    assert.deepEqual(heardLink(header, '{"a":1}\n{"b":2}'), {
      id: '5-1',
      prev: '5-0',
      entry: { publisher: '0.ab', seq: 7, envelopes: ['{"a":1}', '{"b":2}'] },
    });
    assert.equal(readHeader('5-1\n5-0\n0.ab\n7\n{"a":1}'), undefined, 'the old form, envelopes and all');
    assert.equal(readHeader('{"a":1}\n{"b":2}\n{"c":3}\n{"d":4}'), undefined, 'envelopes are not a header');
    assert.equal(readHeader('just noise'), undefined);
    assert.equal(heardLink(readHeader('5-1\n5-0\n\n0')!, 'x').entry, undefined, 'no publisher nor sequence');
    assert.deepEqual(readReply('5-1\n5-0'), { id: '5-1', prev: '5-0' });
    assert.equal(readReply('5-1'), undefined);
    assert.equal(readReply(42), undefined);
  });

  it('pairs a channel’s header with the envelopes after it; noise where a header was due is not an entry', () => {
    const heard = new ChannelReader();
    assert.equal(heard.read('5-1\n5-0\n0.ab\n7'), undefined, 'a header: its envelopes come next');
    assert.deepEqual(heard.read('{"a":1}'), {
      id: '5-1',
      prev: '5-0',
      entry: { publisher: '0.ab', seq: 7, envelopes: ['{"a":1}'] },
    });
    assert.equal(heard.read('{"b":2}'), null, 'envelopes without their header');
    assert.equal(heard.read('6-1\n6-0\n0.ab\n8'), undefined);
    heard.reset(); // the subscription reconnected: the envelopes of that header will not come
    assert.equal(heard.read('{"c":3}'), null);
  });

  it('tells a publisher’s new envelopes from those read before, and counts those that never came', () => {
    const seen = new Sequences();
    assert.equal(seen.take('0.ab', 7), 0, 'the first one read sets the start');
    assert.equal(seen.take('0.ab', 8), 0);
    assert.equal(seen.take('0.ab', 8), -1, 're-sent');
    assert.equal(seen.take('0.ab', 11), 2, '9 and 10 never came');
    assert.equal(seen.take('1.cd', 1), 0, 'each publisher apart');
  });

  it('a second entry following the same one replaces the first (a publish heard twice)', () => {
    const chain = new Chain<ReturnType<typeof link>>('1-0');
    chain.add({ ...link('2-0', '1-0'), name: 'first' });
    chain.add({ ...link('2-0', '1-0'), name: 'again' });
    assert.equal(chain.take()?.name, 'again');
    assert.equal(chain.take(), undefined);
    assert.equal(chain.stalled, false);
  });
});

describe('ReadBacks: what to run when an own envelope is read back (pure)', () => {
  it('takes each callback once, by sequence number, in order or not, over numbers without one', () => {
    const r = new ReadBacks();
    const ran: number[] = [];
    for (const seq of [5, 6, 8, 9]) r.set(seq, () => ran.push(seq)); // 7 was published without one
    assert.equal(r.size, 4);
    assert.equal(r.take(7), undefined);
    r.take(6)?.();
    r.take(5)?.();
    assert.equal(r.take(5), undefined, 'taken once');
    assert.equal(r.take(4), undefined);
    assert.equal(r.take(100), undefined);
    r.take(9)?.();
    r.take(8)?.();
    assert.deepEqual(ran, [6, 5, 9, 8]);
    assert.equal(r.size, 0);
    // Empty again: it starts afresh from the next number.
    r.set(20, () => ran.push(20));
    r.take(20)?.();
    assert.deepEqual(ran.slice(-1), [20]);
  });

  it('one never read back does not keep the rest: they are still taken, and it still can be, later', () => {
    const r = new ReadBacks();
    r.set(1, () => {}); // its entry is lost
    let taken = 0;
    for (let seq = 2; seq < 5000; seq++) {
      r.set(seq, () => taken++);
      r.take(seq)?.();
    }
    assert.equal(taken, 4998);
    assert.equal(r.size, 1);
    assert.ok(r.take(1), 'the stuck one is still there');
    assert.equal(r.size, 0);
    r.set(6000, () => taken++);
    r.clear();
    assert.equal(r.take(6000), undefined);
  });
});
