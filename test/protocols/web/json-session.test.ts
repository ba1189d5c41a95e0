import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ChatServer } from '../../../src/server/chat-server.js';
import { JsonClient, webServer } from './helpers.js';

describe('web door: the JSON protocol on /ws', () => {
  let server: ChatServer;
  let url: string;
  before(async () => {
    ({ server, url } = await webServer({ history: 3 }));
  });
  after(() => server.close());

  it('two clients chat in #geral: ids, server time, the sender gets its own message with its ref', async () => {
    const ana = await JsonClient.chat(url, 'ana');
    const bia = await JsonClient.chat(url, 'bia');
    const join = await ana.next((m) => m.type === 'presence' && m.event === 'join');
    assert.equal(join.nick, 'bia');
    assert.equal(join.room, '#geral');
    assert.equal(join.door, 'web');
    const t0 = Date.now();
    ana.send({ type: 'message', target: '#geral', text: 'olá, bia', ref: 7 });
    const own = await ana.next((m) => m.type === 'message');
    const got = await bia.next((m) => m.type === 'message');
    assert.equal(own.ref, 7);
    const msg = got.message as Record<string, unknown>;
    assert.deepEqual(own.message, msg);
    assert.equal(msg.from, 'ana');
    assert.equal(msg.text, 'olá, bia');
    assert.equal(msg.target, '#geral');
    assert.match(String(msg.id), /^\d+$/);
    assert.ok(Math.abs(Number(msg.time) - t0) < 5000);
    assert.equal(got.ref, undefined);
    // The member list on join, and presence when someone leaves.
    await bia.close();
    const quit = await ana.next((m) => m.type === 'presence' && m.event === 'quit');
    assert.equal(quit.nick, 'bia');
    await ana.close();
  });

  it('explains a taken or invalid nickname, in the language the client asked for', async () => {
    const ana = await JsonClient.chat(url, 'Carla');
    const other = await JsonClient.open(url);
    other.send({ type: 'hello', nick: 'carla', ref: 'h1' });
    const taken = await other.next((m) => m.type === 'error');
    assert.equal(taken.code, 'NICK_IN_USE');
    assert.equal(taken.ref, 'h1');
    assert.equal(taken.text, 'The nickname carla is taken, choose another.');
    other.send({ type: 'hello', nick: '1abc', lang: 'pt-BR' });
    const bad = await other.next((m) => m.type === 'error');
    assert.equal(bad.code, 'NICK_badStart');
    assert.match(String(bad.text), /não pode começar com dígito/);
    other.send({ type: 'hello', nick: 'a b' });
    assert.equal((await other.next((m) => m.type === 'error')).code, 'NICK_badChars');
    // Not registered yet: only hello is understood.
    other.send({ type: 'join', room: '#geral' });
    assert.equal((await other.next((m) => m.type === 'error')).code, 'NOT_REGISTERED');
    other.send({ type: 'hello', nick: 'carla2' });
    const welcome = await other.next((m) => m.type === 'welcome');
    assert.equal(welcome.nick, 'carla2');
    assert.equal(welcome.room, '#geral');
    assert.equal(typeof welcome.token, 'string');
    await Promise.all([ana.close(), other.close()]);
  });

  it('answers malformed messages with BAD_MESSAGE and keeps the connection', async () => {
    const c = await JsonClient.chat(url, 'dora');
    c.ws.send('{not json');
    assert.equal((await c.next((m) => m.type === 'error')).code, 'BAD_MESSAGE');
    c.send({ type: 'message', target: '#geral', ref: 'x' });
    const e = await c.next((m) => m.type === 'error');
    assert.equal(e.code, 'BAD_MESSAGE');
    assert.equal(e.ref, 'x');
    c.send({ type: 'ping', ref: 1 });
    assert.equal((await c.next((m) => m.type === 'pong')).ref, 1);
    c.send({ type: 'message', target: '#nowhere', text: 'hi' });
    const noRoom = await c.next((m) => m.type === 'error');
    assert.equal(noRoom.code, 'NO_SUCH_ROOM');
    assert.equal(noRoom.room, '#nowhere');
    assert.equal(noRoom.text, 'There is no room #nowhere.');
    // The language of the server's texts can change in the middle of a session.
    c.send({ type: 'lang', lang: 'klingon', ref: 'k' });
    const badLang = await c.next((m) => m.type === 'error');
    assert.deepEqual([badLang.code, badLang.ref], ['BAD_LANG', 'k']);
    c.send({ type: 'lang', lang: 'pt-BR', ref: 'l' });
    assert.equal((await c.next((m) => m.type === 'pong')).ref, 'l');
    c.send({ type: 'message', target: '#nowhere', text: 'oi' });
    assert.equal((await c.next((m) => m.type === 'error')).text, 'Não existe a sala #nowhere.');
    await c.close();
  });

  it('history: the last messages on join, older pages before an id, and a resume after an id', async () => {
    const w = await JsonClient.chat(url, 'writer', '#hist');
    const ids: string[] = [];
    for (let i = 1; i <= 6; i++) {
      w.send({ type: 'message', target: '#hist', text: `m${i}` });
      ids.push(String(((await w.next((m) => m.type === 'message')).message as { id: string }).id));
    }
    const r = await JsonClient.open(url);
    r.send({ type: 'hello', nick: 'reader' });
    await r.next((m) => m.type === 'welcome');
    r.send({ type: 'join', room: '#hist' });
    const joined = await r.next((m) => m.type === 'joined');
    const texts = (list: unknown) => (list as Array<{ text: string }>).map((m) => m.text);
    assert.deepEqual(texts(joined.history), ['m4', 'm5', 'm6']);
    assert.equal(joined.more, true);
    assert.deepEqual((joined.members as Array<{ nick: string }>).map((m) => m.nick).sort(), ['reader', 'writer']);
    r.send({ type: 'history', room: '#hist', before: ids[3], limit: 2, ref: 'p' });
    const page = await r.next((m) => m.type === 'history');
    assert.equal(page.ref, 'p');
    assert.deepEqual(texts(page.messages), ['m2', 'm3']);
    assert.equal(page.more, true);
    r.send({ type: 'history', room: '#hist', before: ids[1], limit: 2 });
    const first = await r.next((m) => m.type === 'history');
    assert.deepEqual(texts(first.messages), ['m1']);
    assert.equal(first.more, false);
    // Resume: rejoin asking for what came after the last id seen.
    r.send({ type: 'part', room: '#hist' });
    await r.next((m) => m.type === 'presence' && m.event === 'part' && m.nick === 'reader');
    r.send({ type: 'join', room: '#hist', after: ids[1] });
    const resumed = await r.next((m) => m.type === 'joined');
    assert.deepEqual(texts(resumed.history), ['m3', 'm4', 'm5', 'm6']);
    assert.equal(resumed.more, false);
    // History is for members only.
    w.send({ type: 'join', room: '#other' });
    await w.next((m) => m.type === 'joined' && m.room === '#other');
    r.send({ type: 'history', room: '#other', before: ids[1] });
    assert.equal((await r.next((m) => m.type === 'error')).code, 'NOT_IN_ROOM');
    await Promise.all([w.close(), r.close()]);
  });

  it('private messages, nick changes, topics, the room list', async () => {
    const eva = await JsonClient.chat(url, 'eva', '#pm');
    const fabi = await JsonClient.chat(url, 'fabi', '#pm');
    eva.send({ type: 'message', target: 'fabi', text: 'psiu' });
    const pm = (await fabi.next((m) => m.type === 'message')).message as Record<string, unknown>;
    assert.equal(pm.private, true);
    assert.equal(pm.from, 'eva');
    assert.equal(pm.text, 'psiu');
    eva.send({ type: 'nick', nick: 'evinha' });
    const change = await fabi.next((m) => m.type === 'presence' && m.event === 'nick');
    assert.deepEqual([change.old, change.nick], ['eva', 'evinha']);
    const own = await eva.next((m) => m.type === 'presence' && m.event === 'nick');
    assert.equal(own.nick, 'evinha');
    eva.send({ type: 'topic', room: '#pm', text: 'só segredos' });
    const topic = await fabi.next((m) => m.type === 'topic');
    assert.deepEqual([topic.room, topic.topic, topic.by], ['#pm', 'só segredos', 'evinha']);
    fabi.send({ type: 'rooms', ref: 1 });
    const rooms = (await fabi.next((m) => m.type === 'rooms')).rooms as Array<{
      name: string;
      members: number;
      topic: string | null;
    }>;
    assert.deepEqual(
      rooms.find((r) => r.name === '#pm'),
      { name: '#pm', members: 2, topic: 'só segredos' },
    );
    await Promise.all([eva.close(), fabi.close()]);
  });

  it('a reconnecting client with its token takes its nickname back from the session it left', async () => {
    const first = await JsonClient.open(url);
    first.send({ type: 'hello', nick: 'hana' });
    const { token } = await first.next((m) => m.type === 'welcome');
    // A wrong token does not take anyone's nickname.
    const intruder = await JsonClient.open(url);
    intruder.send({ type: 'hello', nick: 'hana', resume: 'wrong' });
    assert.equal((await intruder.next((m) => m.type === 'error')).code, 'NICK_IN_USE');
    await intruder.close();
    const second = await JsonClient.open(url);
    second.send({ type: 'hello', nick: 'hana', resume: token });
    assert.equal((await second.next((m) => m.type === 'welcome')).nick, 'hana');
    assert.equal(await first.closed, 1008);
    await second.close();
  });
  it('a message resent with the same idempotency key (after a reconnect) is answered with the original, stored and relayed once', async () => {
    const bob = await JsonClient.chat(url, 'bob', '#idem');
    const first = await JsonClient.open(url);
    first.send({ type: 'hello', nick: 'cleo' });
    const { token } = await first.next((m) => m.type === 'welcome');
    first.send({ type: 'join', room: '#idem' });
    await first.next((m) => m.type === 'joined');
    first.send({ type: 'message', target: '#idem', text: 'uma vez só', key: 'k-1', ref: 'k-1' });
    const original = (await first.next((m) => m.type === 'message' && m.ref === 'k-1')).message as { id: string };
    // The same key again, on the same socket and then from a new session of the same nick: the original answer.
    first.send({ type: 'message', target: '#idem', text: 'uma vez só', key: 'k-1', ref: 'again' });
    const again = await first.next((m) => m.type === 'message' && m.ref === 'again');
    assert.deepEqual(again.message, original);
    const second = await JsonClient.open(url);
    second.send({ type: 'hello', nick: 'cleo', resume: token });
    await second.next((m) => m.type === 'welcome');
    second.send({ type: 'join', room: '#idem', after: original.id });
    await second.next((m) => m.type === 'joined');
    second.send({ type: 'message', target: '#idem', text: 'uma vez só', key: 'k-1', ref: 'resend' });
    assert.deepEqual((await second.next((m) => m.type === 'message' && m.ref === 'resend')).message, original);
    // Another key is another message; another nick's same key is theirs.
    second.send({ type: 'message', target: '#idem', text: 'outra', key: 'k-2', ref: 'k-2' });
    await second.next((m) => m.type === 'message' && m.ref === 'k-2');
    bob.send({ type: 'message', target: '#idem', text: 'do bob', key: 'k-1', ref: 'b' });
    assert.notEqual(
      ((await bob.next((m) => m.type === 'message' && m.ref === 'b')).message as { id: string }).id,
      original.id,
    );
    // bob saw each of cleo's messages once; the room's history holds each once.
    await bob.next((m) => m.type === 'message' && (m.message as { text: string }).text === 'outra');
    const seenByBob = bob.received.filter((m) => m.type === 'message').map((m) => (m.message as { text: string }).text);
    assert.deepEqual(seenByBob, ['uma vez só']);
    const stored = server.hub.historyPage('#idem', { limit: 10 }).messages.map((m) => `${m.from}: ${m.text}`);
    assert.deepEqual(stored, ['cleo: uma vez só', 'cleo: outra', 'bob: do bob']);
    await Promise.all([bob.close(), second.close()]);
  });
});

describe('web door: shutdown', () => {
  it('tells web clients why and closes with 1001 (going away)', async () => {
    const { server, url } = await webServer();
    const c = await JsonClient.chat(url, 'ultima');
    await server.close('manutenção');
    const bye = await c.next((m) => m.type === 'bye');
    assert.equal(bye.reason, 'manutenção');
    assert.equal(await c.closed, 1001);
  });
});
