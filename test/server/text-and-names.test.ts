import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { cleanText, nickKey, plainText } from '../../src/core/names.js';
import { createLiveTerminal } from '../../src/tools/terminal.js';
import { closedAfterTests, lineServer } from '../helpers/chat-server.js';
import { lineUser, WireClient } from '../helpers/wire.js';
import { RawClient, startTestServer } from '../protocols/irc/client.js';

const { open, servers } = closedAfterTests();

// Every control character no plain-text recipient may get (C0 but tab, DEL, C1), LF ending lines aside.
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/u;

describe('control characters and IRC formatting', () => {
  it('cleanText removes C0 (but tab and IRC formatting), DEL and C1; CR and LF become spaces', () => {
    assert.equal(cleanText('a\u001b[2K\u001b[1Gb'), 'a[2K[1Gb');
    assert.equal(cleanText('a\u0007\u007f\u0085\u009bb'), 'ab');
    assert.equal(cleanText('a\r\nb\tc'), 'a  b\tc');
    assert.equal(cleanText('\u0002bold\u0002 \u000304red\u000f'), '\u0002bold\u0002 \u000304red\u000f');
    const all = Array.from({ length: 0xa0 }, (_, i) => String.fromCharCode(i)).join('');
    assert.doesNotMatch(plainText(all), FORBIDDEN);
    assert.equal(
      plainText('\u0002ne\u0002gr\u001fito\u001f \u000304,12cor\u0003 \u000f\u0004ff0000hex'),
      'negrito cor hex',
    );
  });

  it('an ESC[2K ESC[1G line cannot forge another sender on the line door; IRC formatting is removed there', async () => {
    const { server, port } = await startTestServer();
    servers.push(server);
    const linePort = server.address('line')!.port;
    const ana = await lineUser(linePort, 'ana');
    open.push(ana);
    const irc = await RawClient.register(port, 'mallory');
    open.push(irc);
    const ircReader = await RawClient.register(port, 'ircana');
    open.push(ircReader);
    irc.send('JOIN #geral');
    ircReader.send('JOIN #geral');
    await ana.waitFor('ircana entrou no chat!\n');
    irc.send('PRIVMSG #geral :\u001b[2K\u001b[1Gvictim: \u0002transfer\u0002 \u000304now\u0003\u0007');
    const line = await ana.waitFor(/mallory: .*\n/);
    assert.equal(line, 'mallory: [2K[1Gvictim: transfer now\n');
    assert.doesNotMatch(ana.received, FORBIDDEN);
    // The IRC reader keeps the formatting codes, which IRC clients render; the escapes are gone.
    const got = await ircReader.expect(/PRIVMSG #geral :/);
    assert.equal(got.slice(got.indexOf(' :') + 2), '[2K[1Gvictim: \u0002transfer\u0002 \u000304now\u0003');
  });

  it('the line door never passes a control character from a line client either', async () => {
    const { server, port } = await lineServer();
    servers.push(server);
    const ana = await lineUser(port, 'ana');
    const bia = await lineUser(port, 'bia');
    open.push(ana, bia);
    await ana.waitFor('bia entrou no chat!\n');
    bia.send('\u001b]0;owned\u0007\u001b[31mred\u009b2J\n');
    assert.equal(await ana.waitFor(/bia: .*\n/), 'bia: ]0;owned[31mred2J\n');
    assert.doesNotMatch(ana.received, FORBIDDEN);
  });

  it('the terminal clients print what peers send without its control characters', () => {
    const output = new PassThrough();
    let shown = '';
    output.on('data', (d: Buffer) => (shown += d.toString()));
    const term = createLiveTerminal({ input: new PassThrough(), output, terminal: false });
    term.print('\u001b[2K\u001b[1Gvictim: hi\u0002!\u0002\r\nnext\n');
    term.close();
    assert.equal(shown, '[2K[1Gvictim: hi!\nnext\n');
  });
});

describe('look-alike nicknames', () => {
  // Six pairs that look the same on screen and must not be held by two people at once.
  const PAIRS: Array<[string, string, string]> = [
    ['NFC and NFD spellings', 'Jos\u00e9', 'Jose\u0301'],
    ['Cyrillic а for Latin a', 'maria', 'm\u0430ria'],
    ['Greek ο for Latin o', 'otto', '\u03bftto'],
    ['a combining overlay for a precomposed letter', 'bj\u00f8rn', 'bjo\u0338rn'],
    ['ß for ss', 'stra\u00dfe', 'strasse'],
    ['fullwidth letters', '\uff21\uff2c\uff29\uff23\uff25', 'alice'],
  ];

  for (const [what, a, b] of PAIRS) {
    it(`${what}: ${a} and ${b} fold to one key, the second is refused as taken`, async () => {
      assert.equal(nickKey(a), nickKey(b));
      const { server, port } = await lineServer();
      servers.push(server);
      open.push(await lineUser(port, a));
      const c = await WireClient.connect(port);
      open.push(c);
      await c.waitFor('APELIDO');
      c.send(b + '\n');
      await c.waitFor(`The nickname ${b} is taken, choose another.\n`);
    });
  }

  it('keeps different names apart, case and RFC 1459 brackets folded as before', () => {
    assert.notEqual(nickKey('ana'), nickKey('bia'));
    assert.notEqual(nickKey('jose'), nickKey('josé'));
    assert.equal(nickKey('Ana'), nickKey('ANA'));
    assert.equal(nickKey('x[y]'), nickKey('X{Y}'));
    assert.equal(nickKey('Paulo'), nickKey('Pau1o'), 'digit 1 looks like l');
  });
});
