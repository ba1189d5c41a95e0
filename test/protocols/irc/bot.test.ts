import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RawClient } from './client.js';
import { ircSuite } from './suite.js';

describe('bot mode (IRCv3 +B)', () => {
  const srv = ircSuite();

  it('a bot says so: BOT=B, MODE +B, the bot tag, WHO flag B and WHOIS 335', async () => {
    const robo = await RawClient.register(srv.port, 'robo');
    const ana = await RawClient.register(srv.port, 'ana', ['message-tags']);
    const bia = await RawClient.register(srv.port, 'bia');
    srv.clients.push(robo, ana, bia);
    assert.ok(
      robo.lines.some((l) => / 005 .* BOT=B /.test(l)),
      'BOT=B in ISUPPORT',
    );
    assert.ok(
      robo.lines.some((l) => / 004 robo \S+ \S+ Biow /.test(l)),
      'B among the user modes of 004',
    );
    robo.send('MODE robo +B');
    assert.match(await robo.expect(/ MODE robo /), /^:robo!robo@127\.0\.0\.1 MODE robo \+B$/);
    robo.send('MODE robo');
    assert.match(await robo.expect(/ 221 /), / 221 robo \+B$/);
    for (const c of [robo, ana, bia]) c.send('JOIN #sala');
    await robo.expect(/bia\S* JOIN/);
    robo.send('PRIVMSG #sala :bip bop');
    const tagged = await ana.expect(/PRIVMSG #sala :bip bop/);
    assert.match(tagged, /^@(\S+;)?bot(=)?(;\S+)? :robo!/, tagged);
    const plain = await bia.expect(/PRIVMSG #sala :bip bop/);
    assert.match(plain, /^:robo!/, 'no tags without message-tags');
    ana.send('WHO robo');
    assert.match(await ana.expect(/ 352 /), / 352 ana #sala robo 127\.0\.0\.1 \S+ robo H@?B :/);
    ana.send('WHOIS robo');
    assert.match(await ana.expect(/ 335 /), / 335 ana robo :is a bot on /);
    // Not a bot any more: no tag.
    robo.send('MODE robo -B', 'PRIVMSG #sala :humano');
    const human = await ana.expect(/PRIVMSG #sala :humano/);
    assert.doesNotMatch(human, /bot/);
  });
});
