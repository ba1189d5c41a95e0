/**
 * Deleting a message and searching on the web door: JSON in, the hub's rules, JSON (and IRC bytes) out.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RawClient } from '../irc/client.js';
import { JsonClient, webAndIrc } from './helpers.js';

describe('web: redact and search', () => {
  const doors = webAndIrc({ serverName: 'irc.test' });
  const web = async (nick: string, room = '#geral') => {
    const c = await JsonClient.chat(doors.url, nick, room);
    doors.open.push(c);
    return c;
  };
  const say = async (c: JsonClient, target: string, text: string, ref = text) => {
    c.send({ type: 'message', ref, target, text });
    const m = await c.next((x) => x.type === 'message' && x.ref === ref);
    return (m.message as { id: string }).id;
  };

  it('the sender deletes: every web reader and IRC client with the cap is told, history loses it', async () => {
    const ana = await web('ana');
    const bia = await web('bia');
    const ivo = await RawClient.register(doors.ircPort, 'ivo', ['draft/message-redaction', 'message-tags']);
    doors.open.push(ivo);
    ivo.send('JOIN #geral');
    await ivo.expect(/ 366 ivo #geral /);
    const id = await say(ana, '#geral', 'apaga isto');
    ana.send({ type: 'redact', ref: 'r1', target: '#geral', msgid: id, reason: 'engano' });
    const mine = await ana.next((m) => m.type === 'redact');
    assert.deepEqual(
      { ...mine, time: 0, id: 'x' },
      {
        type: 'redact',
        ref: 'r1',
        time: 0,
        id: 'x',
        room: '#geral',
        msgid: id,
        by: 'ana',
        reason: 'engano',
      },
    );
    const theirs = await bia.next((m) => m.type === 'redact');
    assert.equal(theirs.msgid, id);
    assert.equal(theirs.by, 'ana');
    assert.equal(theirs.ref, undefined);
    assert.match(await ivo.expect(/ REDACT /), new RegExp(`:ana!web@\\S+ REDACT #geral ${id} :?engano$`));
    bia.send({ type: 'history', ref: 'h', room: '#geral' });
    const h = await bia.next((m) => m.type === 'history');
    assert.ok(!(h.messages as Array<{ id: string }>).some((m) => m.id === id));
  });

  it('refuses another person, a message twice, and a private conversation, with a clear error', async () => {
    const caio = await web('caio', '#r2');
    const dani = await web('dani', '#r2');
    const id = await say(caio, '#r2', 'meu');
    dani.send({ type: 'redact', ref: 'x', target: '#r2', msgid: id });
    const e1 = await dani.next((m) => m.type === 'error');
    assert.equal(e1.code, 'REDACT_FORBIDDEN');
    assert.equal(e1.text, 'Only its sender or an operator of #r2 may delete that message.');
    caio.send({ type: 'redact', target: '#r2', msgid: id });
    await caio.next((m) => m.type === 'redact');
    caio.send({ type: 'redact', ref: 'again', target: '#r2', msgid: id });
    assert.equal((await caio.next((m) => m.type === 'error' && m.ref === 'again')).code, 'MESSAGE_UNKNOWN');
    caio.send({ type: 'redact', ref: 'pm', target: 'dani', msgid: id });
    assert.equal((await caio.next((m) => m.type === 'error' && m.ref === 'pm')).code, 'NO_SUCH_ROOM');
  });

  it('searches the rooms one is in (never a secret room one is not in), bounded, with a clear error', async () => {
    const eva = await web('eva', '#busca');
    const fe = await web('fe', '#busca');
    eva.send({ type: 'join', room: '#oculta' });
    await eva.next((m) => m.type === 'joined' && m.room === '#oculta');
    await say(eva, '#oculta', 'receita de bolo secreta');
    await say(eva, '#busca', 'bolo de fubá');
    fe.send({ type: 'search', ref: 's1', text: 'BOLO' });
    const r = await fe.next((m) => m.type === 'search');
    assert.equal(r.ref, 's1');
    assert.deepEqual(
      (r.messages as Array<{ text: string; target: string }>).map((m) => `${m.target} ${m.text}`),
      ['#busca bolo de fubá'],
    );
    eva.send({ type: 'search', ref: 's2', text: 'bolo', room: '#oculta' });
    const mine = await eva.next((m) => m.type === 'search');
    assert.deepEqual(
      (mine.messages as Array<{ text: string }>).map((m) => m.text),
      ['receita de bolo secreta'],
    );
    fe.send({ type: 'search', ref: 'long', text: 'x'.repeat(201) });
    const e = await fe.next((m) => m.type === 'error');
    assert.equal(e.code, 'SEARCH_INVALID');
    assert.equal(e.text, 'Search for 1 to 200 characters.');
    fe.send({ type: 'search', ref: 'in', text: 'bolo', room: '#oculta' });
    assert.equal((await fe.next((m) => m.type === 'error')).code, 'NOT_IN_ROOM');
  });

  it('pages the history around a message: half before, it, the rest after, and whether older ones exist', async () => {
    const gil = await web('gil', '#longa');
    const ids: string[] = [];
    for (let i = 1; i <= 30; i++) ids.push(await say(gil, '#longa', `n${i}`));
    gil.send({ type: 'history', ref: 'a', room: '#longa', around: ids[14], limit: 10 });
    const h = await gil.next((m) => m.type === 'history' && m.ref === 'a');
    assert.deepEqual(
      (h.messages as Array<{ text: string }>).map((m) => m.text),
      ['n10', 'n11', 'n12', 'n13', 'n14', 'n15', 'n16', 'n17', 'n18', 'n19'],
    );
    assert.equal(h.more, true);
    assert.equal(h.around, ids[14]);
  });

  it('reactions are kept: who joins later gets them with the message (web and IRC reactions alike)', async () => {
    const hal = await web('hal', '#reage');
    const id = await say(hal, '#reage', 'bom dia');
    hal.send({ type: 'react', ref: 'k', target: '#reage', msgid: id, emoji: '☀' });
    await hal.next((m) => m.type === 'react');
    const ivo = await RawClient.register(doors.ircPort, 'ivo2', ['message-tags']);
    doors.open.push(ivo);
    ivo.send('JOIN #reage', `@+draft/react=👋;+draft/reply=${id} TAGMSG #reage`);
    await hal.next((m) => m.type === 'react' && m.from === 'ivo2');
    const late = await web('iza', '#reage');
    late.send({ type: 'history', ref: 'h', room: '#reage' });
    const h = await late.next((m) => m.type === 'history' && m.ref === 'h');
    const kept = (h.messages as Array<{ id: string; reactions?: unknown }>).find((m) => m.id === id);
    assert.deepEqual(kept?.reactions, [
      { nick: 'hal', emoji: '☀' },
      { nick: 'ivo2', emoji: '👋' },
    ]);
  });
});
