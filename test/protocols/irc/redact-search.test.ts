import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseSearch } from '../../../src/protocols/irc/handlers/search.js';
import { lineUser } from '../../helpers/wire.js';
import { RawClient } from './client.js';
import { ircSuite } from './suite.js';

const CAPS = ['message-tags', 'echo-message', 'batch', 'server-time', 'labeled-response'];
const REDACT = [...CAPS, 'draft/message-redaction'];
const SEARCH = [...CAPS, 'soju.im/search'];

describe('REDACT (draft/message-redaction) and SEARCH (soju.im/search)', () => {
  const srv = ircSuite({ serverName: 'irc.test' });
  const { reg } = srv;
  const said = async (c: RawClient, room: string, text: string) => {
    c.send(`PRIVMSG ${room} :${text}`);
    const echo = await c.expect(new RegExp(`PRIVMSG ${room} :${text}$`));
    return /msgid=(\d+)/.exec(echo)![1]!;
  };

  it('offers both capabilities', async () => {
    const c = new RawClient(srv.port);
    srv.clients.push(c);
    await c.ready;
    c.send('CAP LS 302');
    const ls = await c.expect(/ CAP \* LS /);
    assert.match(ls, / draft\/message-redaction( |$)/);
    assert.match(ls, / soju\.im\/search( |$)/);
  });

  it('the sender deletes: echoed to them, REDACT to members with the cap, a line to the line door, gone from history', async () => {
    const ana = await reg('ana', REDACT);
    const bia = await reg('bia', REDACT);
    const caio = await reg('caio', CAPS); // without the capability
    const line = await lineUser(srv.server.address('line')!.port, 'linha');
    srv.clients.push(line);
    for (const c of [ana, bia, caio]) c.send('JOIN #geral');
    await caio.expect(/ 366 caio #geral /);
    const id = await said(ana, '#geral', 'segredo vazado');
    await said(ana, '#geral', 'fica');
    await line.waitFor('ana: fica\n');
    ana.send(`@label=r1 REDACT #geral ${id} :foi sem querer`);
    assert.match(
      await ana.expect(/ REDACT /),
      new RegExp(`^@time=\\S+;msgid=\\d+;label=r1 :ana!ana@127\\.0\\.0\\.1 REDACT #geral ${id} :foi sem querer$`),
    );
    assert.match(
      await bia.expect(/ REDACT /),
      new RegExp(`^@time=\\S+;msgid=\\d+ :ana!\\S+ REDACT #geral ${id} :foi sem querer$`),
    );
    assert.equal(await line.waitFor(/\* .*\n/), '* ana deleted a message in #geral: foi sem querer\n');
    caio.send('PING :sync');
    await caio.expect(/PONG/);
    assert.ok(!caio.lines.some((l) => / REDACT /.test(l)), 'not to a client without the capability');
    bia.send('CHATHISTORY LATEST #geral * 10');
    const batch = (await bia.collect(/BATCH -/)).join('\n');
    assert.ok(!batch.includes('segredo vazado'), batch);
    assert.match(batch, /:fica$/m);
    line.send('/history\n');
    await line.waitFor(/ana: fica\n/);
    assert.doesNotMatch(line.received, /\] ana: segredo vazado/, 'not in /history');
  });

  it('answers the FAIL codes of the specification', async () => {
    const ana = await reg('ana2', REDACT);
    const bia = await reg('bia2', REDACT);
    ana.send('JOIN #fail');
    await ana.expect(/ 366 ana2 #fail /);
    bia.send('JOIN #fail');
    await bia.expect(/ 366 bia2 #fail /);
    const id = await said(ana, '#fail', 'meu');
    bia.send(`REDACT #fail ${id}`);
    assert.equal(
      await bia.expect(/FAIL/),
      `:irc.test FAIL REDACT REDACT_FORBIDDEN #fail ${id} :You are not authorised to delete this message`,
    );
    bia.send('REDACT #fail 99999', 'REDACT #fail nada');
    assert.match(await bia.expect(/FAIL/), /^:irc\.test FAIL REDACT UNKNOWN_MSGID #fail 99999 :/);
    assert.match(await bia.expect(/FAIL/), /^:irc\.test FAIL REDACT UNKNOWN_MSGID #fail nada :/);
    bia.send(`REDACT #outra ${id}`, `REDACT ana2 ${id}`, 'REDACT #fail');
    assert.match(await bia.expect(/FAIL/), /^:irc\.test FAIL REDACT INVALID_TARGET #outra :/);
    assert.match(await bia.expect(/FAIL/), /^:irc\.test FAIL REDACT INVALID_TARGET ana2 :/);
    assert.match(await bia.expect(/FAIL/), /^:irc\.test FAIL REDACT NEED_MORE_PARAMS :/);
    // The operator (ana2 made the room) deletes bia2's message.
    const theirs = await said(bia, '#fail', 'spam');
    ana.send(`REDACT #fail ${theirs} spam`);
    assert.match(await bia.expect(/ REDACT /), new RegExp(`:ana2!\\S+ REDACT #fail ${theirs} spam$`));
  });

  it('SEARCH answers a soju.im/search batch from the rooms one is in, and INVALID_PARAMS', async () => {
    const ana = await reg('ana3', SEARCH);
    const bia = await reg('bia3', SEARCH);
    ana.send('JOIN #busca', 'JOIN #segredo', 'MODE #segredo +s');
    await ana.expect(/MODE #segredo \+s/);
    bia.send('JOIN #busca');
    await bia.expect(/ 366 bia3 #busca /);
    await said(ana, '#busca', 'o bolo de cenoura ficou bom');
    await said(ana, '#segredo', 'receita secreta de bolo');
    await said(bia, '#busca', 'nada a ver');
    bia.send('SEARCH text=bolo');
    const lines = await bia.collect(/BATCH -/);
    assert.match(lines[0]!, /^:irc\.test BATCH \+(\S+) soju\.im\/search$/);
    const found = lines.filter((l) => /;batch=\S+ .* PRIVMSG /.test(l));
    assert.equal(found.length, 1, lines.join('\n'));
    assert.match(found[0]!, /^@time=\S+;msgid=\d+;batch=\S+ :ana3!\S+ PRIVMSG #busca :o bolo de cenoura ficou bom$/);
    ana.send('SEARCH text=bolo;from=ANA3;limit=10');
    const mine = (await ana.collect(/BATCH -/)).filter((l) => /;batch=\S+ .* PRIVMSG /.test(l));
    assert.deepEqual(
      mine.map((l) => l.replace(/^.* PRIVMSG /, '')),
      ['#busca :o bolo de cenoura ficou bom', '#segredo :receita secreta de bolo'],
    );
    ana.send('SEARCH :text=bolo cenoura;in=#busca');
    assert.equal((await ana.collect(/BATCH -/)).filter((l) => /;batch=\S+ .* PRIVMSG /.test(l)).length, 1);
    bia.send('SEARCH text=bolo;in=#segredo', 'SEARCH in=#busca', 'SEARCH text=x;colour=red', 'SEARCH');
    assert.match(await bia.expect(/FAIL/), /^:irc\.test FAIL SEARCH INVALID_PARAMS in :/);
    assert.match(await bia.expect(/FAIL/), /^:irc\.test FAIL SEARCH INVALID_PARAMS text :/);
    assert.match(await bia.expect(/FAIL/), /^:irc\.test FAIL SEARCH INVALID_PARAMS colour :/);
    assert.match(await bia.expect(/FAIL/), /^:irc\.test FAIL SEARCH INVALID_PARAMS :/);
  });

  it('/search on the line door lists what matches in the rooms one is in', async () => {
    const line = await lineUser(srv.server.address('line')!.port, 'leitor');
    srv.clients.push(line);
    const ana = await reg('ana4', CAPS);
    ana.send('JOIN #geral');
    await ana.expect(/ 366 ana4 #geral /);
    await said(ana, '#geral', 'Pão de queijo quentinho');
    await line.waitFor('quentinho\n');
    line.send('/search pao QUEIJO\n');
    assert.equal(await line.waitFor(/\* .*\n/), '* 1 message(s) found for "pao QUEIJO", oldest first:\n');
    assert.match(await line.waitFor(/.*\n/), /^\[\d{4}-\d\d-\d\d \d\d:\d\d\] #geral ana4: Pão de queijo quentinho\n$/);
    line.send('/search abacaxi\n');
    assert.equal(await line.waitFor(/\* .*\n/), '* No message found for "abacaxi" in your rooms.\n');
    line.send('/search\n');
    assert.match(await line.waitFor(/! .*\n/), /^! Search for what\?/);
  });

  it('reads the attributes as message tags are written', () => {
    assert.deepEqual(parseSearch('text=bom\\sdia;in=#a;limit=5;after=2020-01-01T00:00:00.000Z'), {
      text: 'bom dia',
      in: '#a',
      limit: 5,
      after: Date.parse('2020-01-01T00:00:00.000Z'),
    });
    assert.deepEqual(parseSearch('text=x;limit=0'), { invalid: 'limit' });
    assert.deepEqual(parseSearch('text=x;before=ontem'), { invalid: 'before' });
  });
});
