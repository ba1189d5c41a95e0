import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lineUser } from '../../helpers/wire.js';
import { RawClient, startTestServer } from './client.js';
import { ircSuite } from './suite.js';

const TAGS = ['message-tags', 'echo-message', 'labeled-response', 'batch'];

describe('TAGMSG and client-only tags (IRCv3 message-tags)', () => {
  const srv = ircSuite({ serverName: 'irc.test' });
  const { reg } = srv;

  it('relays TAGMSG to a room and a user with message-tags, never to clients without it', async () => {
    const ana = await reg('ana', TAGS);
    const bia = await reg('bia', ['message-tags']);
    const caio = await reg('caio');
    for (const c of [ana, bia, caio]) c.send('JOIN #tg');
    await caio.expect(/ 366 caio #tg /);
    await ana.expect(/JOIN #tg/);
    ana.send('@label=x1;+typing=active;+draft/reply=42;server-made=1 TAGMSG #tg');
    const echo = await ana.expect(/label=x1/);
    const m = /^@msgid=(\d+);\+typing=active;\+draft\/reply=42;label=x1 :ana!ana@127\.0\.0\.1 TAGMSG #tg$/.exec(echo);
    assert.ok(m, echo);
    assert.equal(
      await bia.expect(/TAGMSG/),
      `@msgid=${m[1]};+typing=active;+draft/reply=42 :ana!ana@127.0.0.1 TAGMSG #tg`,
    );
    // To a user: the same, with the nick as the target.
    ana.send('@+draft/react=👍;+draft/reply=42 TAGMSG bia');
    assert.match(
      await bia.expect(/TAGMSG bia/),
      /^@msgid=\d+;\+draft\/react=👍;\+draft\/reply=42 :ana!\S+ TAGMSG bia$/,
    );
    caio.send('PING :sync');
    await caio.expect(/PONG/);
    assert.ok(!caio.lines.some((l) => / TAGMSG /.test(l)), caio.lines.join('\n'));
  });

  it('relays client-only tags on PRIVMSG and NOTICE, after the server tags; strips the others', async () => {
    const ana = await reg('ana2', TAGS);
    const bia = await reg('bia2', ['message-tags']);
    const caio = await reg('caio2');
    for (const c of [ana, bia, caio]) c.send('JOIN #pt');
    await caio.expect(/ 366 caio2 #pt /);
    await bia.expect(/ 366 bia2 #pt /);
    ana.send('@+draft/reply=7;foo=bar PRIVMSG #pt :respondendo');
    assert.match(await bia.expect(/respondendo/), /^@msgid=\d+;\+draft\/reply=7 :ana2!\S+ PRIVMSG #pt :respondendo$/);
    assert.equal(await caio.expect(/respondendo/), ':ana2!ana2@127.0.0.1 PRIVMSG #pt :respondendo');
    assert.match(await ana.expect(/respondendo/), /^@msgid=\d+;\+draft\/reply=7 :ana2!\S+ PRIVMSG #pt :respondendo$/);
    ana.send('@+x=1 NOTICE bia2 :aviso');
    assert.match(await bia.expect(/aviso/), /^@msgid=\d+;\+x=1 :ana2!\S+ NOTICE bia2 :aviso$/);
  });

  it('checks TAGMSG like PRIVMSG: 403/404/401, and a line-door user simply does not see it', async () => {
    const ana = await reg('ana3', ['message-tags']);
    ana.send('TAGMSG #nada');
    await ana.expect(/ 403 ana3 #nada /);
    ana.send('TAGMSG ninguem');
    await ana.expect(/ 401 ana3 ninguem /);
    const line = await lineUser(srv.server.address('line')!.port, 'linha');
    srv.clients.push(line);
    ana.send('JOIN #geral');
    await ana.expect(/ 366 ana3 #geral /);
    ana.send('@+typing=active TAGMSG #geral', '@+typing=active TAGMSG linha', 'PRIVMSG linha :depois');
    await line.waitFor('depois');
    assert.ok(!line.received.includes('typing'), line.received);
    ana.send('JOIN #mod', 'MODE #mod +m');
    await ana.expect(/MODE #mod \+m/);
    const bia = await reg('bia3', ['message-tags']);
    bia.send('JOIN #mod');
    await bia.expect(/ 366 bia3 #mod /);
    bia.send('@+typing=active TAGMSG #mod');
    await bia.expect(/ 404 bia3 #mod /);
  });

  it('answers 417 to more than 4094 bytes of tag data, and keeps the connection', async () => {
    const ana = await reg('ana4', ['message-tags']);
    ana.send(`@+x=${'a'.repeat(4094 - 3)} TAGMSG ana4`);
    await ana.expect(/TAGMSG ana4$/);
    ana.send(`@+x=${'a'.repeat(4094 - 2)} TAGMSG ana4`);
    assert.equal(await ana.expect(/ 417 /), ':irc.test 417 ana4 :Input line was too long');
    ana.send('PING :still');
    await ana.expect(/PONG irc\.test :still/);
  });
});

describe('CLIENTTAGDENY, configured', () => {
  it('advertises the list and does not relay the denied tags', async () => {
    const { server, port } = await startTestServer({ serverName: 'irc.test', clientTagDeny: ['*', '-typing'] });
    const ana = await RawClient.register(port, 'ana', ['message-tags']);
    const bia = await RawClient.register(port, 'bia', ['message-tags']);
    try {
      assert.ok(
        ana.lines.some((l) => / 005 ana .*CLIENTTAGDENY=\*,-typing /.test(l)),
        ana.lines.join('\n'),
      );
      ana.send('@+typing=active;+draft/react=x TAGMSG bia', '@+draft/reply=1;+typing=done PRIVMSG bia :oi');
      assert.match(await bia.expect(/TAGMSG/), /^@msgid=\d+;\+typing=active :ana!\S+ TAGMSG bia$/);
      assert.match(await bia.expect(/PRIVMSG/), /^@msgid=\d+;\+typing=done :ana!\S+ PRIVMSG bia :oi$/);
    } finally {
      ana.close();
      bia.close();
      await server.close();
    }
  });
});
