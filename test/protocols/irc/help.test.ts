import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { COMMANDS } from '../../../src/protocols/irc/handlers/index.js';
import { helpTopics } from '../../../src/protocols/irc/handlers/help.js';
import { RawClient } from './client.js';
import { ircSuite } from './suite.js';

describe('HELP, WALLOPS, LINKS and standard-replies', () => {
  const srv = ircSuite({
    serverName: 'irc.test',
    network: 'TestNet',
    opers: ['chefe:segredo'],
  });
  const { reg } = srv;

  it('has a HELP topic for every command it knows', () => {
    assert.deepEqual(
      Object.keys(COMMANDS)
        .filter((c) => c !== 'HELPOP')
        .sort(),
      helpTopics(),
    );
  });

  it('HELP and HELPOP: 704, an empty 705, the text, 706; 524 for an unknown subject', async () => {
    const c = await reg('ajuda');
    c.send('HELP');
    const index = await c.collect(/ 706 /);
    assert.equal(index[0], ':irc.test 704 ajuda * :** TestNet help **');
    assert.equal(index[1], ':irc.test 705 ajuda * :');
    assert.match(
      index.slice(2, -1).join(' '),
      /HELP <command> explains a command\. Commands: ADMIN AUTHENTICATE AWAY BATCH CAP .*PRIVMSG/,
    );
    assert.equal(index.at(-1), ':irc.test 706 ajuda * :End of /HELP');
    c.send('HELPOP privmsg');
    const topic = await c.collect(/ 706 /);
    assert.deepEqual(topic, [
      ':irc.test 704 ajuda PRIVMSG :** PRIVMSG **',
      ':irc.test 705 ajuda PRIVMSG :',
      ':irc.test 705 ajuda PRIVMSG :PRIVMSG <target>[,…] :<text>',
      ":irc.test 705 ajuda PRIVMSG :A message to a room, a nick, or a room's operators (@#room) or voices (+#room), up to 4 targets.",
      ':irc.test 706 ajuda PRIVMSG :End of /HELP',
    ]);
    c.send('HELP :não existe');
    assert.equal(await c.expect(/ 524 /), ':irc.test 524 ajuda * :No help available on this topic');
    c.send('HELP NADA');
    assert.equal(await c.expect(/ 524 /), ':irc.test 524 ajuda NADA :No help available on this topic');
  });

  it('WALLOPS: operators only (481), to every user with +w', async () => {
    const op = await reg('chefe');
    const w = await reg('ouvinte');
    const quiet = await reg('surdo');
    op.send('WALLOPS :antes');
    await op.expect(/ 481 chefe :Permission Denied/);
    w.send('MODE ouvinte +w');
    assert.equal(await w.expect(/MODE ouvinte/), ':ouvinte!ouvinte@127.0.0.1 MODE ouvinte +w');
    w.send('MODE ouvinte');
    assert.match(await w.expect(/ 221 /), / 221 ouvinte \+iw$|\+w$/);
    op.send('OPER chefe segredo', 'MODE chefe +w');
    await op.expect(/ 381 /);
    op.send('WALLOPS :servidor reinicia em 5 minutos');
    assert.equal(await w.expect(/WALLOPS/), ':chefe!chefe@127.0.0.1 WALLOPS :servidor reinicia em 5 minutos');
    assert.equal(await op.expect(/WALLOPS/), ':chefe!chefe@127.0.0.1 WALLOPS :servidor reinicia em 5 minutos');
    quiet.send('PING :x');
    await quiet.expect(/PONG/);
    assert.ok(!quiet.lines.some((l) => l.includes('WALLOPS')));
    w.send('WALLOPS');
    await w.expect(/ 461 ouvinte WALLOPS /);
  });

  it('LINKS: this server, 364 then 365', async () => {
    const c = await reg('elos');
    c.send('LINKS');
    assert.deepEqual(await c.collect(/ 365 /), [
      ':irc.test 364 elos irc.test irc.test :0 tomada chat server (TestNet)',
      ':irc.test 365 elos * :End of /LINKS list',
    ]);
  });

  it('offers standard-replies, and FAIL is labeled like any reply', async () => {
    const c = new RawClient(srv.port);
    srv.clients.push(c);
    await c.ready;
    c.send('CAP LS 302');
    assert.match(await c.expect(/ CAP \* LS /), / standard-replies/);
    c.send('CAP REQ :standard-replies labeled-response', 'NICK fala', 'USER fala 0 * :Fala', 'CAP END');
    await c.expect(/ 376 /);
    c.send('@label=s1 SETNAME :');
    assert.equal(await c.expect(/FAIL/), '@label=s1 :irc.test FAIL SETNAME INVALID_REALNAME :Realname is not valid');
  });
});
