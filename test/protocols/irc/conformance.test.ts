/**
 * Issue 14's "wrong today": details clients and conformance suites rely on (modern.ircdocs.horse,
 * ircv3.net). Each test failed before its fix.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RawClient } from './client.js';
import { ircSuite } from './suite.js';

/** Bytes of a line as sent, without its tags and with its CRLF. */
const bodyBytes = (line: string) => Buffer.byteLength(line.replace(/^@\S+ /, '')) + 2;

describe('IRC conformance details', () => {
  const srv = ircSuite({ serverName: 'irc.test', opers: ['root:s3cret'], line: null });
  const { reg } = srv;
  const open = async () => {
    const c = new RawClient(srv.port);
    srv.clients.push(c);
    await c.ready;
    return c;
  };

  it('WHO nick and WHO mask: the flags and channel of a channel both users share (H@, G@, H*@)', async () => {
    const op = await reg('chefe');
    const asker = await reg('curioso');
    // A channel the asker is not in comes first in chefe's list: it must not be the one shown.
    op.send('JOIN #fechada', 'MODE #fechada +s', 'JOIN #comum');
    await op.expect(/ 366 chefe #comum /);
    asker.send('JOIN #comum');
    await asker.expect(/ 366 curioso #comum /);
    asker.send('WHO chefe');
    assert.match(await asker.expect(/ 352 curioso /), / 352 curioso #comum chefe 127\.0\.0\.1 irc\.test chefe H@ :0 /);
    op.send('AWAY :fora');
    await op.expect(/ 306 /);
    asker.send('WHO che*');
    assert.match(await asker.expect(/ 352 curioso /), / 352 curioso #comum chefe \S+ irc\.test chefe G@ :0 /);
    op.send('AWAY', 'OPER root s3cret');
    await op.expect(/ 381 /);
    asker.send('WHO chefe');
    assert.match(await asker.expect(/ 352 curioso /), / #comum chefe \S+ irc\.test chefe H\*@ :0 /);
    // No shared channel: `*`, and no prefix.
    const stranger = await reg('estranho');
    stranger.send('WHO chefe');
    assert.match(await stranger.expect(/ 352 estranho /), / 352 estranho \* chefe \S+ irc\.test chefe H\* :0 /);
  });

  it('WHOX: the fields asked for, in order, with the token (354), and the WHOX token in ISUPPORT', async () => {
    const c = await open();
    c.send('NICK wx', 'USER wx 0 * :Real WX');
    assert.match(await c.expect(/ 005 wx .*WHOX/), / WHOX( |$)/);
    await c.expect(/ (376|422) /);
    c.send('JOIN #wx');
    await c.expect(/ 366 wx #wx /);
    c.send('WHO #wx %tcnfr,42');
    assert.equal(await c.expect(/ 354 /), ':irc.test 354 wx 42 #wx wx H@ :Real WX');
    await c.expect(/ 315 wx #wx :End of WHO list$/);
    c.send('WHO wx %nuhf');
    assert.equal(await c.expect(/ 354 /), ':irc.test 354 wx wx 127.0.0.1 wx H@');
    c.send('WHO wx %n');
    assert.equal(await c.expect(/ 354 /), ':irc.test 354 wx wx');
  });

  it('a relayed message that outgrows 512 bytes with the sender prefix is cut to fit, at a whole character', async () => {
    const a = await reg('remetente_com_nome_comprido', ['echo-message']);
    const b = await reg('leitora', ['message-tags']);
    a.send('JOIN #corte');
    await a.expect(/ 366 /);
    b.send('JOIN #corte');
    await b.expect(/ 366 leitora #corte /);
    const body = 'PRIVMSG #corte :';
    // Two-byte letters up to the client's limit (510 bytes without CRLF).
    const text = 'é'.repeat(246) + 'xx';
    assert.equal(Buffer.byteLength(body + text), 510);
    a.send(body + text);
    const got = await b.expect(/ PRIVMSG #corte :/);
    assert.ok(bodyBytes(got) <= 512, `${bodyBytes(got)} bytes`);
    assert.ok(bodyBytes(got) >= 511, 'cut no more than needed');
    const shown = got.slice(got.indexOf(' :', got.indexOf('PRIVMSG')) + 2);
    assert.ok(text.startsWith(shown) && shown.length < text.length);
    assert.match(shown, /^é+$/);
    // One line, not two: the next thing the reader sees is the next message.
    a.send('PRIVMSG #corte :depois');
    assert.match(await b.expect(/ PRIVMSG #corte :/), / PRIVMSG #corte :depois$/);
    // The echo too.
    const echo = await a.expect(/ PRIVMSG #corte :é/);
    assert.ok(bodyBytes(echo) <= 512);
    // A CTCP ACTION keeps its closing \x01 when cut.
    a.send(`PRIVMSG #corte :\x01ACTION ${'a'.repeat(510 - body.length - 9)}\x01`);
    const action = await b.expect(/ PRIVMSG #corte :.ACTION /);
    assert.ok(bodyBytes(action) <= 512, `${bodyBytes(action)} bytes`);
    assert.ok(action.endsWith('a\x01'), JSON.stringify(action.slice(-10)));
  });

  it('a line over 512 bytes gets 417 ERR_INPUTTOOLONG and the connection stays, as do endless lines', async () => {
    const c = await reg('comprido');
    c.send(`PRIVMSG comprido :${'x'.repeat(500)}`);
    await c.expect(/^:irc\.test 417 comprido :Input line was too long$/);
    c.send('PING :ainda');
    await c.expect(/ PONG irc\.test :?ainda$/);
    // A line longer than body and tags together, in pieces: one 417, and what follows the LF is read.
    c.socket.write(Buffer.alloc(6000, 'a'));
    c.socket.write(Buffer.alloc(6000, 'b'));
    c.socket.write('c\r\nPING :depois\r\n');
    await c.expect(/ 417 comprido :Input line was too long$/);
    await c.expect(/ PONG irc\.test :?depois$/);
    assert.equal(c.lines.filter((l) => / 417 /.test(l)).length, 2);
    assert.equal(c.closed, false);
  });

  it('invalid UTF-8 is answered FAIL <command> INVALID_UTF8 and not relayed', async () => {
    const a = await reg('bytes');
    const b = await reg('ouvinte');
    a.send('JOIN #utf');
    await a.expect(/ 366 /);
    b.send('JOIN #utf');
    await b.expect(/ 366 ouvinte #utf /);
    a.socket.write(Buffer.concat([Buffer.from('PRIVMSG #utf :mal '), Buffer.from([0xc3, 0x28]), Buffer.from('\r\n')]));
    await a.expect(/^:irc\.test FAIL PRIVMSG INVALID_UTF8 :/);
    a.send('PRIVMSG #utf :bem');
    // The first message the listener gets is the valid one.
    assert.match(await b.expect(/ PRIVMSG #utf :/), / PRIVMSG #utf :bem$/);
    // Before registration too.
    const c = await open();
    c.socket.write(Buffer.concat([Buffer.from('NICK ab'), Buffer.from([0xff]), Buffer.from('\r\n')]));
    await c.expect(/^:irc\.test FAIL NICK INVALID_UTF8 :/);
    c.send('NICK certo', 'USER certo 0 * :Certo');
    await c.expect(/ 001 certo /);
  });

  it('USER with an empty realname is 461', async () => {
    const c = await open();
    c.send('NICK semnome', 'USER semnome 0 * :');
    await c.expect(/^:irc\.test 461 semnome USER :Not enough parameters$/);
    c.send('USER semnome 0 * :Com Nome');
    await c.expect(/ 001 semnome /);
  });

  it('labeled-response labels a message to oneself (the copy and the echo in one batch) and TAGMSG', async () => {
    const caps = ['labeled-response', 'batch', 'echo-message', 'message-tags'];
    const c = await reg('eu', caps);
    c.send('@label=m1 PRIVMSG eu :para mim');
    const start = await c.expect(/^@label=m1 :irc\.test BATCH \+(\S+) labeled-response$/);
    const id = /BATCH \+(\S+)/.exec(start)![1]!;
    const inBatch = await c.collect(new RegExp(`^:irc\\.test BATCH -${id}$`));
    const copies = inBatch.filter((l) => l.includes(`batch=${id}`) && / PRIVMSG eu :para mim$/.test(l));
    assert.equal(copies.length, 2, inBatch.join('\n'));
    c.send('JOIN #tags');
    await c.expect(/ 366 eu #tags /);
    c.send('@label=t1;+typing=active TAGMSG #tags');
    assert.match(await c.expect(/label=t1/), /^@msgid=\d+;\+typing=active;label=t1 :eu!eu@127\.0\.0\.1 TAGMSG #tags$/);
    // Without echo-message, a message to oneself still arrives (labeled), and TAGMSG is ACKed.
    const d = await reg('outro', ['labeled-response', 'batch']);
    d.send('@label=m2 PRIVMSG outro :só eu');
    assert.match(await d.expect(/label=m2/), /^@label=m2 :outro!outro@127\.0\.0\.1 PRIVMSG outro :só eu$/);
    d.send('@label=t2 TAGMSG eu');
    assert.equal(await d.expect(/label=t2/), '@label=t2 :irc.test ACK');
    d.send('TAGMSG ninguem');
    await d.expect(/ 401 outro ninguem /);
  });
});
