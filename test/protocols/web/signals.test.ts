/**
 * Typing, reactions and replies on the web door, shared with IRC's client-only tags (`+typing`,
 * `+draft/react`, `+draft/reply`): web JSON in, IRC bytes out, and IRC bytes in, web JSON out.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseClientMessage } from '../../../src/protocols/web/json-protocol.js';
import { RawClient } from '../irc/client.js';
import { JsonClient, webAndIrc } from './helpers.js';

describe('web typing, reactions and replies ⇄ IRC message-tags', () => {
  const doors = webAndIrc({ serverName: 'irc.test' });
  const irc = async (nick: string, caps = ['message-tags']) => {
    const c = await RawClient.register(doors.ircPort, nick, caps);
    doors.open.push(c);
    c.send('JOIN #geral');
    await c.expect(new RegExp(` 366 ${nick} #geral `));
    return c;
  };
  const web = async (nick: string) => {
    const c = await JsonClient.chat(doors.url, nick);
    doors.open.push(c);
    return c;
  };

  it('a web user typing is a TAGMSG with +typing to IRC clients with message-tags, never stored', async () => {
    const ana = await web('ana');
    const ivo = await irc('ivo');
    ana.send({ type: 'typing', target: '#geral', state: 'active' });
    assert.match(await ivo.expect(/TAGMSG/), /^@msgid=\d+;\+typing=active :ana!web@\S+ TAGMSG #geral$/);
    ana.send({ type: 'typing', target: 'ivo', state: 'done' });
    assert.match(await ivo.expect(/TAGMSG ivo/), /^@msgid=\d+;\+typing=done :ana!web@\S+ TAGMSG ivo$/);
    const page = await doors.server.hub.historyPage('#geral', { limit: 50 });
    assert.equal(page.messages.length, 0);
  });

  it('an IRC user typing shows as `typing` on the web; paused and done too; other values are dropped', async () => {
    const bia = await web('bia');
    const ike = await irc('ike');
    ike.send('@+typing=active TAGMSG #geral');
    const t = await bia.next((m) => m.type === 'typing');
    assert.deepEqual(
      { from: t.from, target: t.target, state: t.state, private: t.private },
      { from: 'ike', target: '#geral', state: 'active', private: false },
    );
    ike.send('@+typing=bogus TAGMSG #geral', '@+typing=paused TAGMSG bia');
    const p = await bia.next((m) => m.type === 'typing');
    assert.deepEqual([p.state, p.target, p.private], ['paused', 'bia', true]);
  });

  it('a web reaction is +draft/react with +draft/reply on IRC; an IRC reaction reaches the web', async () => {
    const caio = await web('caio');
    const iza = await irc('iza', ['message-tags', 'echo-message']);
    iza.send('PRIVMSG #geral :bom dia');
    const line = await iza.expect(/PRIVMSG #geral :bom dia/);
    const msgid = /msgid=(\d+)/.exec(line)![1]!;
    const m = await caio.next((x) => x.type === 'message' && (x.message as { text: string }).text === 'bom dia');
    assert.equal((m.message as { id: string }).id, msgid);
    caio.send({ type: 'react', ref: 'r1', target: '#geral', msgid, emoji: '👍' });
    assert.match(
      await iza.expect(/TAGMSG #geral/),
      new RegExp(`^@msgid=\\d+;\\+draft/react=👍;\\+draft/reply=${msgid} :caio!web@\\S+ TAGMSG #geral$`),
    );
    // The sender's own reaction comes back to it (its ref), so the page counts it once the server has it.
    const own = await caio.next((x) => x.type === 'react' && x.ref === 'r1');
    assert.deepEqual([own.from, own.msgid, own.emoji], ['caio', msgid, '👍']);
    iza.send(`@+draft/react=🎉;+draft/reply=${msgid} TAGMSG #geral`);
    const r = await caio.next((x) => x.type === 'react' && x.from === 'iza');
    assert.deepEqual([r.target, r.msgid, r.emoji, r.private], ['#geral', msgid, '🎉', false]);
    // A reaction without the message it is for, or to a malformed id, is not shown.
    iza.send('@+draft/react=🎉 TAGMSG #geral', '@+draft/react=x;+draft/reply=abc TAGMSG #geral', 'PRIVMSG #geral :fim');
    await caio.next((x) => x.type === 'message' && (x.message as { text: string }).text === 'fim');
    assert.ok(!caio.received.some((x) => x.type === 'react'), JSON.stringify(caio.received));
  });

  it('a web reply carries +draft/reply on IRC; an IRC reply shows `reply` on the web, both ways', async () => {
    const dani = await web('dani');
    const ian = await irc('ian');
    dani.send({ type: 'message', ref: 'm1', target: '#geral', text: 'pergunta' });
    const q = await dani.next((x) => x.type === 'message' && x.ref === 'm1');
    const qid = (q.message as { id: string }).id;
    ian.send(`@+draft/reply=${qid} PRIVMSG #geral :resposta`);
    const a = await dani.next((x) => x.type === 'message' && (x.message as { text: string }).text === 'resposta');
    assert.equal((a.message as { reply?: string }).reply, qid);
    dani.send({ type: 'message', ref: 'm2', target: '#geral', text: 'obrigado', reply: qid });
    assert.match(
      await ian.expect(/obrigado/),
      new RegExp(`^@msgid=\\d+;\\+draft/reply=${qid} :dani!web@\\S+ PRIVMSG #geral :obrigado$`),
    );
    const echo = await dani.next((x) => x.type === 'message' && x.ref === 'm2');
    assert.equal((echo.message as { reply?: string }).reply, qid);
  });

  it('refuses bad typing, reactions and replies with a visible error and keeps the session', async () => {
    const eva = await web('eva');
    const bad = [
      { type: 'typing', ref: 1, target: '#geral', state: 'typing' },
      { type: 'react', ref: 2, target: '#geral', msgid: '1', emoji: '' },
      { type: 'react', ref: 3, target: '#geral', msgid: '1', emoji: 'x'.repeat(33) },
      { type: 'react', ref: 4, target: '#geral', msgid: '1', emoji: 'a b' },
      { type: 'react', ref: 5, target: '#geral', msgid: 'nope', emoji: '👍' },
      { type: 'message', ref: 6, target: '#geral', text: 'x', reply: '../1' },
    ];
    for (const m of bad) eva.send(m);
    for (const m of bad) {
      const e = await eva.next((x) => x.type === 'error' && x.ref === m.ref);
      assert.equal(e.code, 'BAD_MESSAGE');
    }
    eva.send({ type: 'typing', ref: 7, target: '#nada', state: 'active' });
    assert.equal((await eva.next((x) => x.type === 'error' && x.ref === 7)).code, 'NO_SUCH_ROOM');
    eva.send({ type: 'ping', ref: 'ok' });
    await eva.next((x) => x.type === 'pong' && x.ref === 'ok');
  });
});

describe('json-protocol: the signal messages (pure)', () => {
  it('parses typing, react and a message with reply', () => {
    assert.ok(parseClientMessage('{"type":"typing","target":"#a","state":"paused"}').ok);
    assert.ok(parseClientMessage('{"type":"react","target":"bia","msgid":"12","emoji":"❤️"}').ok);
    assert.ok(parseClientMessage('{"type":"message","target":"#a","text":"t","reply":"12"}').ok);
    assert.ok(!parseClientMessage('{"type":"react","target":"#a","msgid":"12","emoji":"\\u0007"}').ok);
  });
});
