import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LocalNetwork } from '../../src/core/bus.js';
import { HubError } from '../../src/core/errors.js';
import { decodeEnvelope, encodeEnvelope } from '../../src/core/bus.js';
import type { RedactEvent } from '../../src/core/events.js';
import { MemoryHistory } from '../../src/core/history.js';
import { Hub } from '../../src/core/hub.js';
import { Recorder as BaseRecorder } from './recorder.js';
import { GatedStore } from '../helpers/gated-history.js';

class Recorder extends BaseRecorder {
  redactions(): RedactEvent[] {
    return this.events.filter((e): e is RedactEvent => e.type === 'redact');
  }
}

const code = (reason: string) => (e: unknown) => e instanceof HubError && e.reason === reason;

async function room(hub = new Hub()) {
  const mk = async (nick: string, host = '10.0.0.1') => {
    const sink = new Recorder();
    return { sink, user: await hub.register(sink, { nick, host, username: 'u' }) };
  };
  const op = await mk('op');
  const ana = await mk('ana');
  const bia = await mk('bia');
  for (const u of [op, ana, bia]) hub.join(u.user, '#geral');
  return { hub, op, ana, bia, mk };
}

describe('Hub: deleting a message (redaction)', () => {
  it('the sender deletes their message: the others get one redact event, history no longer has it', async () => {
    const { hub, op, ana, bia } = await room();
    const m = await hub.message(ana.user, '#geral', 'oops');
    await hub.message(bia.user, '#geral', 'fica');
    const ev = await hub.redact(ana.user, '#geral', m.id, 'engano');
    assert.equal(ev.msgid, m.id);
    assert.equal(ev.reason, 'engano');
    assert.ok(Number(ev.id) > m.seq, 'the redaction has its own id');
    assert.deepEqual(
      bia.sink.redactions().map((e) => [e.room.name, e.by.nick, e.msgid]),
      [['#geral', 'ana', m.id]],
    );
    assert.equal(op.sink.redactions().length, 1);
    assert.equal(ana.sink.redactions().length, 0, 'the sender is answered by its door, not by an event');
    assert.deepEqual(
      (await hub.roomHistory('#geral', { limit: 10 })).map((x) => x.text),
      ['fica'],
    );
  });

  it("a room operator deletes anyone's message; anyone else is refused, and a message twice is unknown", async () => {
    const { hub, op, ana, bia } = await room();
    const m = await hub.message(ana.user, '#geral', 'spam');
    assert.throws(() => hub.redact(bia.user, '#geral', m.id), code('REDACT_FORBIDDEN'));
    await hub.redact(op.user, '#geral', m.id, 'spam');
    assert.throws(() => hub.redact(op.user, '#geral', m.id), code('MESSAGE_UNKNOWN'));
    assert.throws(() => hub.redact(op.user, '#geral', 'abc'), code('MESSAGE_UNKNOWN'));
    assert.throws(() => hub.redact(op.user, '#geral', '999'), code('MESSAGE_UNKNOWN'));
  });

  it('is refused for a room one is not in, a message of another room, and private messages', async () => {
    const { hub, ana, bia, mk } = await room();
    const m = await hub.message(ana.user, '#geral', 'aqui');
    hub.join(ana.user, '#outra');
    assert.throws(() => hub.redact(ana.user, '#outra', m.id), code('MESSAGE_UNKNOWN'));
    const out = await mk('fora');
    assert.throws(() => hub.redact(out.user, '#geral', m.id), code('NOT_IN_ROOM'));
    const p = await hub.message(ana.user, 'bia', 'oi');
    assert.throws(() => hub.redact(ana.user, 'bia', p.id), code('NO_SUCH_ROOM'));
    assert.equal(bia.sink.redactions().length, 0);
  });

  it('the same nickname from another host is not the sender', async () => {
    const hub = new Hub();
    const first = await hub.register(new Recorder(), { nick: 'ana', host: '10.0.0.1', username: 'u' });
    const op = await hub.register(new Recorder(), { nick: 'op', host: 'h' });
    hub.join(op, '#geral');
    hub.join(first, '#geral');
    const m = await hub.message(first, '#geral', 'meu');
    hub.quit(first, 'bye');
    const other = await hub.register(new Recorder(), { nick: 'ana', host: '10.9.9.9', username: 'u' });
    hub.join(other, '#geral');
    assert.throws(() => hub.redact(other, '#geral', m.id), code('REDACT_FORBIDDEN'));
    const again = await hub.register(new Recorder(), { nick: 'ANA2', host: '10.0.0.1', username: 'u' });
    hub.join(again, '#geral');
    await hub.changeNick(other, 'x');
    await hub.changeNick(again, 'Ana');
    await hub.redact(again, '#geral', m.id); // the same person back, in another case
  });

  it('a message sent while logged in may be deleted by that account, under another nickname and from another host', async () => {
    const hub = new Hub();
    const op = await hub.register(new Recorder(), { nick: 'op', host: 'h' });
    const first = await hub.register(new Recorder(), {
      nick: 'ana',
      host: '10.0.0.1',
      account: { name: 'ana', oper: false },
    });
    hub.join(op, '#geral');
    hub.join(first, '#geral');
    const m = await hub.message(first, '#geral', 'conta');
    hub.quit(first, 'bye');
    const other = await hub.register(new Recorder(), {
      nick: 'ana_celular',
      host: '10.7.7.7',
      account: { name: 'ana', oper: false },
    });
    const stranger = await hub.register(new Recorder(), { nick: 'ana', host: '10.0.0.1' });
    for (const u of [other, stranger]) hub.join(u, '#geral');
    assert.throws(() => hub.redact(stranger, '#geral', m.id), code('REDACT_FORBIDDEN'), 'same mask, no account');
    await hub.redact(other, '#geral', m.id);
  });

  it('with an asynchronous store: answered once deleted; a store that fails refuses with HISTORY_UNAVAILABLE', async () => {
    const store = new GatedStore();
    const { hub, ana, bia } = await room(new Hub({ history: store }));
    const sending = hub.message(ana.user, '#geral', 'lento');
    hub.turn.run();
    await store.asked(1);
    store.commits[0]!.pass();
    const m = await sending;
    const ev = await hub.redact(ana.user, '#geral', m.id);
    assert.equal(ev.msgid, m.id);
    assert.equal(bia.sink.redactions().length, 1);
    assert.equal(store.kept.query('#geral', { limit: 5 }).length, 0);
    store.remove = () => Promise.reject(new Error('down'));
    const m2 = await (async () => {
      const p = hub.message(ana.user, '#geral', 'outra');
      hub.turn.run();
      await store.asked(2);
      store.commits[1]!.pass();
      return p;
    })();
    await assert.rejects(Promise.resolve(hub.redact(ana.user, '#geral', m2.id)), code('HISTORY_UNAVAILABLE'));
    assert.equal(bia.sink.redactions().length, 1, 'not deleted: no one is told');
  });

  it('travels to the other nodes through the bus, as JSON, once deleted from the shared store', async () => {
    const net = new LocalNetwork(2);
    const shared = new MemoryHistory();
    const a = new Hub({ bus: net.bus(), history: shared });
    const b = new Hub({ bus: net.bus(), history: shared });
    const onB = new Recorder();
    const ana = await a.register(new Recorder(), { nick: 'ana', host: 'h' });
    const bia = await b.register(onB, { nick: 'bia', host: 'h' });
    a.join(ana, '#geral');
    b.join(bia, '#geral');
    const m = await a.message(ana, '#geral', 'apaga');
    const ev = await a.redact(ana, '#geral', m.id, 'ops');
    const got = onB.redactions();
    assert.deepEqual(
      got.map((e) => [e.id, e.msgid, e.by.nick, e.reason]),
      [[ev.id, m.id, 'ana', 'ops']],
    );
    const env = decodeEnvelope(encodeEnvelope({ v: 1, origin: 0, scope: { kind: 'room', room: '#geral' }, event: ev }));
    assert.ok('event' in env && env.event.type === 'redact');
    assert.equal((await b.roomHistory('#geral', { limit: 5 })).length, 0);
  });
});

describe('Hub: search', () => {
  it('searches the rooms one is in, never another room (a secret one least of all), nor private messages', async () => {
    const { hub, ana, bia, op } = await room();
    hub.join(op.user, '#segredo');
    hub.setModes(op.user, '#segredo', [{ adding: true, mode: 'secret' }]);
    await hub.message(op.user, '#segredo', 'a senha é abacaxi');
    await hub.message(ana.user, '#geral', 'gosto de abacaxi');
    await hub.message(ana.user, 'bia', 'abacaxi privado');
    hub.join(bia.user, '#outra');
    await hub.message(bia.user, '#outra', 'abacaxi na outra');
    const texts = async (u: typeof ana, req: Parameters<Hub['search']>[1]) =>
      (await hub.search(u.user, req)).map((m) => m.text);
    assert.deepEqual(await texts(ana, { text: 'abacaxi' }), ['gosto de abacaxi']);
    assert.deepEqual(await texts(bia, { text: 'abacaxi' }), ['gosto de abacaxi', 'abacaxi na outra']);
    assert.deepEqual(await texts(op, { text: 'abacaxi' }), ['a senha é abacaxi', 'gosto de abacaxi']);
    assert.deepEqual(await texts(bia, { text: 'abacaxi', in: '#outra' }), ['abacaxi na outra']);
    assert.throws(() => hub.search(ana.user, { text: 'abacaxi', in: '#segredo' }), code('NO_SUCH_ROOM'));
    assert.throws(() => hub.search(ana.user, { text: 'abacaxi', in: '#outra' }), code('NOT_IN_ROOM'));
  });

  it('refuses an empty or too long text, and bounds the count', async () => {
    const { hub, ana } = await room();
    for (let i = 0; i < 120; i++) await hub.message(ana.user, '#geral', `item ${i}`);
    assert.throws(() => hub.search(ana.user, { text: '  ' }), code('SEARCH_INVALID'));
    assert.throws(() => hub.search(ana.user, { text: 'x'.repeat(201) }), code('SEARCH_INVALID'));
    assert.equal((await hub.search(ana.user, { text: 'item', limit: 5000 })).length, 100);
    assert.equal((await hub.search(ana.user, { text: 'item', limit: 3 })).at(-1)?.text, 'item 119');
  });
});

describe('Hub: reactions kept in history', () => {
  it('a reaction to a room message is kept with it, once per person and emoji; typing and private ones are not', async () => {
    const { hub, ana, bia } = await room();
    const m = await hub.message(ana.user, '#geral', 'vamos?');
    hub.signal(bia.user, '#geral', { '+draft/react': '👍', '+draft/reply': m.id });
    hub.signal(bia.user, '#geral', { '+draft/react': '👍', '+draft/reply': m.id });
    hub.signal(ana.user, '#geral', { '+draft/react': 'bora', '+draft/reply': m.id });
    hub.signal(ana.user, '#geral', { '+typing': 'active' });
    hub.signal(ana.user, '#geral', { '+draft/react': 'com espaço', '+draft/reply': m.id });
    hub.signal(ana.user, 'bia', { '+draft/react': '❤', '+draft/reply': m.id });
    hub.turn.run();
    const [kept] = await hub.roomHistory('#geral', { limit: 5 });
    assert.deepEqual(kept?.reactions, [
      { nick: 'bia', emoji: '👍' },
      { nick: 'ana', emoji: 'bora' },
    ]);
    assert.equal(m.reactions, undefined, 'the live message is not changed');
  });

  it('with an asynchronous store, a reaction is committed without waiting for a message', async () => {
    const store = new GatedStore();
    const { hub, ana, bia } = await room(new Hub({ history: store }));
    const sending = hub.message(ana.user, '#geral', 'oi');
    hub.turn.run();
    await store.asked(1);
    store.commits[0]!.pass();
    const m = await sending;
    hub.signal(bia.user, '#geral', { '+draft/react': '🎉', '+draft/reply': m.id });
    await store.asked(2);
    store.commits[1]!.pass();
    assert.deepEqual(store.kept.query('#geral', { limit: 1 })[0]?.reactions, [{ nick: 'bia', emoji: '🎉' }]);
  });
});
