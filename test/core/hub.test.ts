import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Hub } from '../../src/core/hub.js';
import { Recorder as BaseRecorder } from './recorder.js';
import { HubError } from '../../src/core/errors.js';
import { casefold, maskMatches, nickProblem, roomProblem } from '../../src/core/names.js';

class Recorder extends BaseRecorder {
  disconnected: string | undefined;
  override disconnect(reason: string): void {
    this.disconnected = reason;
  }
  types(): string[] {
    return this.events.map((e) => e.type);
  }
}

function setup() {
  const hub = new Hub();
  const mk = async (nick: string) => {
    const sink = new Recorder();
    return { sink, user: await hub.register(sink, { nick, host: '127.0.0.1' }) };
  };
  return { hub, mk };
}

const code = (reason: string) => (e: unknown) => e instanceof HubError && e.reason === reason;

describe('names', () => {
  it('folds case RFC 1459 style and checks the written rules', () => {
    assert.equal(casefold('Ana[1]'), 'ana{1}');
    assert.equal(nickProblem('João'), undefined);
    assert.equal(nickProblem('1ana'), 'badStart');
    assert.equal(nickProblem('#ana'), 'badStart');
    assert.equal(nickProblem(':ana'), 'badStart');
    assert.equal(nickProblem('an a'), 'badChars');
    assert.equal(nickProblem('ana\u0007'), 'badChars');
    assert.equal(nickProblem('a'.repeat(31)), 'tooLong');
    assert.equal(roomProblem('#geral'), undefined);
    assert.equal(roomProblem('geral'), 'badStart');
    assert.equal(roomProblem('#a,b'), 'badChars');
    assert.ok(maskMatches('*!*@127.*', 'Ana!line@127.0.0.1'));
    assert.ok(!maskMatches('bia!*@*', 'ana!line@127.0.0.1'));
  });
});

describe('Hub', () => {
  it('keeps nicknames unique, case-insensitively', async () => {
    const { hub, mk } = setup();
    await mk('Ana');
    await assert.rejects(mk('ana'), code('NICK_IN_USE'));
    await assert.rejects(mk('ANA'), code('NICK_IN_USE'));
    await assert.rejects(mk('9x'), code('NICK_INVALID'));
    const bia = await mk('bia');
    await hub.changeNick(bia.user, 'BIA'); // own nick in another case is fine
    await assert.rejects(hub.changeNick(bia.user, 'ana'), code('NICK_IN_USE'));
  });

  it('fans a room message out to the other members only, stamped with id and time', async () => {
    const { hub, mk } = setup();
    const a = await mk('ana');
    const b = await mk('bia');
    const c = await mk('caio');
    hub.join(a.user, '#geral');
    hub.join(b.user, '#geral');
    hub.join(c.user, '#outra');
    const m = await hub.message(a.user, '#geral', 'olá');
    assert.equal(m.id, '1');
    assert.ok(m.time > 0);
    const got = b.sink.events.filter((e) => e.type === 'message');
    assert.equal(got.length, 1);
    assert.equal(a.sink.events.filter((e) => e.type === 'message').length, 0);
    assert.equal(c.sink.events.filter((e) => e.type === 'message').length, 0);
    assert.deepEqual(
      (await hub.roomHistory('#GERAL', { limit: 5 })).map((x) => x.text),
      ['olá'],
    );
  });

  it('makes the first member operator and enforces topic, key, limit, invite and ban rules', async () => {
    const { hub, mk } = setup();
    const a = await mk('ana');
    const b = await mk('bia');
    const room = hub.join(a.user, '#sala');
    assert.ok(room.isOp(a.user));
    hub.join(b.user, '#sala');
    assert.ok(!room.isOp(b.user));
    assert.throws(() => hub.setTopic(b.user, '#sala', 'x'), code('NOT_ROOM_OP'));
    hub.setTopic(a.user, '#sala', 'Tema');
    assert.equal(room.topic?.text, 'Tema');
    hub.part(b.user, '#sala');
    hub.setModes(a.user, '#sala', [{ adding: true, mode: 'key', param: 'segredo' }]);
    assert.throws(() => hub.join(b.user, '#sala'), code('BAD_KEY'));
    hub.join(b.user, '#sala', 'segredo');
    hub.kick(a.user, '#sala', 'bia', 'fora');
    assert.ok(!room.members.has(b.user));
    hub.setModes(a.user, '#sala', [
      { adding: false, mode: 'key' },
      { adding: true, mode: 'ban', param: 'bia' },
    ]);
    assert.throws(() => hub.join(b.user, '#sala'), code('BANNED'));
    hub.setModes(a.user, '#sala', [
      { adding: false, mode: 'ban', param: 'bia!*@*' },
      { adding: true, mode: 'inviteOnly' },
    ]);
    assert.throws(() => hub.join(b.user, '#sala'), code('INVITE_ONLY'));
    hub.invite(a.user, 'bia', '#sala');
    hub.join(b.user, '#sala');
    hub.setModes(a.user, '#sala', [{ adding: true, mode: 'moderated' }]);
    assert.throws(() => hub.message(b.user, '#sala', 'oi'), code('CANNOT_SEND'));
    hub.setModes(a.user, '#sala', [{ adding: true, mode: 'voice', param: 'bia' }]);
    hub.message(b.user, '#sala', 'oi');
  });

  it('tells each neighbour once about a quit or nick change, and forgets empty rooms', async () => {
    const { hub, mk } = setup();
    const a = await mk('ana');
    const b = await mk('bia');
    hub.join(a.user, '#um');
    hub.join(a.user, '#dois');
    hub.join(b.user, '#um');
    hub.join(b.user, '#dois');
    b.sink.events = [];
    await hub.changeNick(a.user, 'ana2');
    hub.quit(a.user, 'tchau');
    assert.deepEqual(b.sink.types(), ['nick', 'quit']);
    assert.equal(hub.findUser('ana2'), undefined);
    assert.equal(hub.whowas('ana2')[0]?.nick, 'ana2');
    hub.quit(b.user, 'tchau');
    assert.equal(hub.roomCount, 0);
  });

  it('lets only server operators kill, through the door', async () => {
    const { hub, mk } = setup();
    const a = await mk('ana');
    const b = await mk('bia');
    assert.throws(() => hub.kill(a.user, b.user, 'x'), code('NOT_SERVER_OP'));
    a.user.oper = true;
    hub.kill(a.user, b.user, 'spam');
    assert.match(b.sink.disconnected ?? '', /spam/);
  });

  it('commits history at the end of the turn, before the socket phase', async () => {
    const { hub, mk } = setup();
    const order: string[] = [];
    const flush = hub.history.flush.bind(hub.history);
    hub.history.flush = () => {
      order.push('history');
      flush();
    };
    hub.turn.on(1, () => order.push('sockets'));
    const a = await mk('ana');
    hub.join(a.user, '#geral');
    hub.message(a.user, '#geral', 'x');
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(order, ['history', 'sockets']);
  });
});

describe('Hub: rules kept once, for every door', () => {
  it('refuses a ban past the room’s limit, whichever door asks', async () => {
    const { hub, mk } = setup();
    const a = await mk('ana');
    hub.join(a.user, '#bans');
    for (let i = 0; i < 100; i++) hub.setModes(a.user, '#bans', [{ adding: true, mode: 'ban', param: `n${i}!*@*` }]);
    assert.throws(
      () => hub.setModes(a.user, '#bans', [{ adding: true, mode: 'ban', param: 'n100!*@*' }]),
      code('BAN_LIST_FULL'),
    );
    assert.equal(hub.findRoom('#bans')!.bans.length, 100);
  });

  it('lists a secret room only to its members', async () => {
    const { hub, mk } = setup();
    const a = await mk('ana');
    const b = await mk('bia');
    hub.join(a.user, '#segredo');
    hub.join(a.user, '#aberta');
    hub.setModes(a.user, '#segredo', [{ adding: true, mode: 'secret' }]);
    assert.deepEqual(
      hub.visibleRooms(a.user).map((r) => r.name),
      ['#segredo', '#aberta'],
    );
    assert.deepEqual(
      hub.visibleRooms(b.user).map((r) => r.name),
      ['#aberta'],
    );
  });
});

describe('Hub.historyPage: the one paging rule', () => {
  it('pages backwards and forwards, saying whether there is more, with a page of 0 too', async () => {
    const { hub, mk } = setup();
    const a = await mk('ana');
    hub.join(a.user, '#pag');
    for (let i = 1; i <= 5; i++) hub.message(a.user, '#pag', `m${i}`);
    const texts = (p: { messages: { text: string }[]; more: boolean }) => [p.messages.map((m) => m.text), p.more];
    assert.deepEqual(texts(await hub.historyPage('#pag', { limit: 2 })), [['m4', 'm5'], true]);
    assert.deepEqual(texts(await hub.historyPage('#pag', { limit: 2, before: { seq: 3 } })), [['m1', 'm2'], false]);
    assert.deepEqual(texts(await hub.historyPage('#pag', { limit: 2, after: { seq: 1 } })), [['m2', 'm3'], true]);
    assert.deepEqual(texts(await hub.historyPage('#pag', { limit: 9, after: { seq: 3 } })), [['m4', 'm5'], false]);
    assert.deepEqual(texts(await hub.historyPage('#pag', { limit: 0 })), [[], true]);
    assert.deepEqual(texts(await hub.historyPage('#vazia', { limit: 0 })), [[], false]);
  });
});
