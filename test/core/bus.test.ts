import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeEnvelope, encodeEnvelope, LocalNetwork, localBus } from '../../src/core/bus.js';
import { EVENT_VERSION, parseEvent, serialiseEvent, type HubEvent } from '../../src/core/events.js';
import { Hub } from '../../src/core/hub.js';
import { Recorder } from './recorder.js';
import { IdSequence } from '../../src/core/ids.js';
import { busContract } from './bus-contract.js';

busContract('LocalNetwork', (n) => {
  const net = new LocalNetwork(n);
  return Array.from({ length: n }, () => net.bus());
});

describe('IdSequence', () => {
  it('is 1, 2, 3… on one node, as ids always were, and continues after the last stored', () => {
    const ids = new IdSequence(41);
    assert.deepEqual([ids.next(), ids.next(), ids.next()], [42, 43, 44]);
  });

  it('gives nodes of a network disjoint, increasing ids that move past what they observe', () => {
    const a = new IdSequence(0, 0, 3);
    const b = new IdSequence(0, 1, 3);
    const fromA = [a.next(), a.next()];
    const fromB = [b.next(), b.next()];
    assert.deepEqual(fromA, [3, 6]);
    assert.deepEqual(fromB, [1, 4]);
    b.observe(fromA[1]!);
    const next = b.next();
    assert.ok(next > 6 && next % 3 === 1, `after seeing 6, node 1 gives ${next}`);
    assert.throws(() => new IdSequence(0, 3, 3), RangeError);
  });
});

describe('hub events as data', () => {
  it('serialise to versioned JSON without the bytes cache, and read back the same', async () => {
    const hub = new Hub({ now: () => 5_000 });
    const sink = new Recorder();
    const ana = await hub.register(sink, { nick: 'ana', host: 'h' });
    const bia = await hub.register(new Recorder(), { nick: 'bia', host: 'h' });
    hub.join(ana, '#geral');
    hub.join(bia, '#geral');
    hub.setTopic(ana, '#geral', 'tema');
    const events = sink.events;
    assert.deepEqual(
      events.map((e) => e.type),
      ['join', 'join', 'topic'],
    );
    for (const ev of events) {
      ev.wire.x = Buffer.from('x');
      const text = serialiseEvent(ev);
      assert.ok(!text.includes('wire'));
      const back = parseEvent(text);
      assert.deepEqual({ ...back, wire: undefined }, { ...ev, wire: undefined });
    }
    const topic = events[2]!;
    assert.equal(topic.type === 'topic' && topic.topic?.text, 'tema');
    assert.equal(topic.time, 5_000);
    assert.equal(topic.v, EVENT_VERSION);
    // A snapshot: later changes do not rewrite what the event said.
    await hub.changeNick(ana, 'anita');
    assert.equal(topic.type === 'topic' && topic.user.nick, 'ana');
    assert.throws(() => parseEvent(serialiseEvent({ ...topic, v: 2 } as unknown as HubEvent)), /version 2/);
    assert.throws(() => decodeEnvelope('{"v":1,"origin":0,"scope":{"kind":"x"},"event":{}}'), /scope/);
  });

  it('cross between two hubs of one network: a room message, joins, a quit reach the other node’s members', async () => {
    const net = new LocalNetwork(2);
    const a = new Hub({ bus: net.bus() });
    const b = new Hub({ bus: net.bus() });
    const onA = new Recorder();
    const onB = new Recorder();
    const ana = await a.register(onA, { nick: 'ana', host: 'h' });
    const bia = await b.register(onB, { nick: 'bia', host: 'h' });
    b.join(bia, '#geral');
    a.join(ana, '#geral');
    const m = await a.message(ana, '#geral', 'olá do nó a');
    const seen = onB.events.map((e) => e.type);
    assert.deepEqual(seen, ['join', 'join', 'message']);
    const got = onB.events[2]!;
    assert.equal(got.type === 'message' && got.message.text, 'olá do nó a');
    assert.equal(got.type === 'message' && got.message.id, m.id);
    // The ids of the two nodes never collide, and B's next id is above A's (a Lamport clock).
    const reply = await b.message(bia, '#geral', 'oi');
    assert.ok(reply.seq > m.seq && reply.seq % 2 !== m.seq % 2, `${m.seq} then ${reply.seq}`);
    assert.equal(
      onA.events.at(-1)?.type === 'message' && (onA.events.at(-1) as { message: { text: string } }).message.text,
      'oi',
    );
    a.quit(ana, 'tchau');
    assert.deepEqual(onB.events.at(-1)?.type, 'quit');
  });

  it("a message or a signal for a room's operators reaches only the operators of the other node", async () => {
    const net = new LocalNetwork(2);
    const a = new Hub({ bus: net.bus() });
    const b = new Hub({ bus: net.bus() });
    const onA = new Recorder();
    const opB = new Recorder();
    const plainB = new Recorder();
    const ana = await a.register(onA, { nick: 'ana', host: 'h' });
    const bia = await b.register(opB, { nick: 'bia', host: 'h' });
    const caio = await b.register(plainB, { nick: 'caio', host: 'h' });
    b.join(bia, '#ops');
    b.join(caio, '#ops');
    a.join(ana, '#ops');
    a.message(ana, '#ops', 'só ops', 'message', { audience: 'op', annotations: { '+x': '1' } });
    a.signal(ana, '#ops', { '+typing': 'active' }, 'op');
    a.message(ana, '#ops', 'todos');
    const texts = (r: Recorder) =>
      r.events.flatMap((e) => (e.type === 'message' ? [e.message.text] : e.type === 'signal' ? ['signal'] : []));
    assert.deepEqual(texts(opB), ['só ops', 'signal', 'todos']);
    assert.deepEqual(texts(plainB), ['todos']);
    const got = opB.events.find((e) => e.type === 'message');
    assert.deepEqual(got?.type === 'message' && [got.audience, got.annotations], ['op', { '+x': '1' }]);
  });

  it('on one node the bus costs nothing and carries nothing', async () => {
    const bus = localBus();
    assert.deepEqual([bus.node, bus.nodes], [0, 1]);
    let published = 0;
    const hub = new Hub({ bus: { ...bus, publish: () => published++ } });
    const u = await hub.register(new Recorder(), { nick: 'ana', host: 'h' });
    hub.join(u, '#geral');
    hub.message(u, '#geral', 'x');
    assert.equal(published, 0);
    assert.equal(
      encodeEnvelope({
        v: 1,
        origin: 0,
        scope: { kind: 'rooms', rooms: [] },
        event: parseEvent(
          '{"v":1,"type":"quit","time":1,"user":{"id":1,"nick":"a","mask":"a!a@h","door":"t","realname":"a"},"reason":""}',
        ),
      }).length > 0,
      true,
    );
  });
});

describe('a room renamed on one node', () => {
  it('is renamed on the other node too before its members there are told', async () => {
    const net = new LocalNetwork(2);
    const a = new Hub({ bus: net.bus() });
    const b = new Hub({ bus: net.bus() });
    const onB = new Recorder();
    const ana = await a.register(new Recorder(), { nick: 'ana', host: 'h' });
    const bia = await b.register(onB, { nick: 'bia', host: 'h' });
    a.join(ana, '#velha');
    b.join(bia, '#velha');
    a.rename(ana, '#velha', '#Nova', 'arrumando');
    const ev = onB.events.at(-1)!;
    assert.equal(ev.type, 'rename');
    assert.equal(ev.type === 'rename' && ev.oldName, '#velha');
    assert.equal(b.findRoom('#velha'), undefined);
    assert.equal(b.findRoom('#nova')?.name, '#Nova');
    // Messages of either node now reach the room under its new name.
    await a.message(ana, '#nova', 'oi');
    assert.equal(onB.events.at(-1)?.type, 'message');
  });
});
