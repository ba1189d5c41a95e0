import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Bus, BusMessage } from '../../src/core/bus.js';
import { EVENT_VERSION, type UserSnapshot } from '../../src/core/events.js';
import { Hub } from '../../src/core/hub.js';
import { Recorder } from './recorder.js';

/** Node 0 of a network of 2, its bus in the test's hands: what it publishes, and what arrives. */
function node0(heard: number[] = []): { hub: Hub; published: BusMessage[]; arrive: (m: BusMessage) => void } {
  const published: BusMessage[] = [];
  let handler: (m: BusMessage) => void = () => undefined;
  const bus: Bus = {
    node: 0,
    nodes: 2,
    publish: (m) => void published.push(m),
    subscribe: (h) => void (handler = h),
    close: () => Promise.resolve(),
  };
  const hub = new Hub({ bus, nodeName: 'a', now: () => 1_000, nodeHeard: (n) => void heard.push(n) });
  return { hub, published, arrive: (m) => handler(JSON.parse(JSON.stringify(m)) as BusMessage) };
}

const bia: UserSnapshot = { id: 1, nick: 'bia', mask: 'bia!b@h', door: 'irc', realname: 'Bia' };
const join = (user: UserSnapshot, op = false): BusMessage => ({
  v: EVENT_VERSION,
  origin: 1,
  scope: { kind: 'room', room: '#sala' },
  event: { v: EVENT_VERSION, type: 'join', time: 1, room: { name: '#sala', key: '#sala' }, user, op, wire: {} },
});

describe('users of other nodes (mirrors)', () => {
  it('says hello with its name when it comes, and answers a hello with its users and rooms', async () => {
    const { hub, published, arrive } = node0();
    assert.deepEqual(published[0], { v: EVENT_VERSION, origin: 0, control: { kind: 'hello', name: 'a' } });
    const ana = await hub.register(new Recorder(), { nick: 'ana', host: 'h' });
    hub.join(ana, '#sala');
    published.length = 0;
    arrive({ v: EVENT_VERSION, origin: 1, control: { kind: 'hello', name: 'b' } });
    const state = published.find((m) => 'control' in m && m.control.kind === 'state');
    assert.ok(state && 'control' in state && state.control.kind === 'state');
    assert.deepEqual(
      state.control.state.users.map((u) => [u.user.nick, u.rooms.map((r) => [r.room, r.op])]),
      [['ana', [['#sala', true]]]],
    );
  });

  it('tells whoever keeps the leases of every node it hears from, so that one gone unseen is still watched', () => {
    const heard: number[] = [];
    const { arrive } = node0(heard);
    arrive({ v: EVENT_VERSION, origin: 1, control: { kind: 'hello', name: 'b' } });
    arrive(join(bia, true));
    assert.deepEqual(heard, [1, 1]);
  });

  it('a mirror is a member here (the creator an operator), skipped by the fan-out, and a private message to it goes to its node only', async () => {
    const { hub, published, arrive } = node0();
    arrive(join(bia, true));
    const ana = await hub.register(new Recorder(), { nick: 'ana', host: 'h' });
    hub.join(ana, '#sala');
    const room = hub.findRoom('#sala')!;
    assert.deepEqual(
      [...room.members].map(([u, m]) => [u.nick, m.op, u.remote]),
      [
        ['bia', true, 1],
        ['ana', false, undefined],
      ],
    );
    published.length = 0;
    hub.message(ana, 'bia', 'oi');
    assert.deepEqual(
      published.map((m) => ('scope' in m ? m.scope : m)),
      [{ kind: 'user', user: 1 }],
    );
    assert.equal(hub.networkUserCount, 2);
    assert.equal(hub.userCount, 1);
  });

  it('a hello from a node whose earlier life’s users are still here: they quit, with the reason that says so', async () => {
    const { hub, arrive } = node0();
    const sink = new Recorder();
    const ana = await hub.register(sink, { nick: 'ana', host: 'h' });
    hub.join(ana, '#sala');
    arrive(join(bia));
    assert.equal(hub.findUser('bia')?.remote, 1);
    sink.events = [];
    arrive({ v: EVENT_VERSION, origin: 1, control: { kind: 'hello', name: 'b' } });
    assert.deepEqual(
      sink.events.map((e) => (e.type === 'quit' ? [e.user.nick, e.reason] : e.type)),
      [['bia', 'Node lost: b stopped answering']],
    );
    assert.equal(hub.findUser('bia'), undefined);
    assert.deepEqual(
      [...hub.findRoom('#sala')!.members.keys()].map((u) => u.nick),
      ['ana'],
    );
  });
});
