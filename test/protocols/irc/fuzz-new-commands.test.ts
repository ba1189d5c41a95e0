import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { ChatServer } from '../../../src/server/chat-server.js';
import { RawClient, startTestServer } from './client.js';

const target = fc.constantFrom('#f', '@#f', '+#f', '#nada', '@#nada', 'outro', 'fuzz', '@outro', '+', '@', '#', '*');
const tagName = fc.constantFrom('+typing', '+draft/react', '+draft/reply', '+x', '+', 'label', 'msgid', '+a/b/c');
const tagValue = fc.string({ maxLength: 12 }).map((v) => v.replace(/[\s;\r\n\0]/g, '\\s'));
const tags = fc
  .array(fc.tuple(tagName, tagValue), { maxLength: 4 })
  .map((ts) => (ts.length === 0 ? '' : '@' + ts.map(([k, v]) => (v === '' ? k : `${k}=${v}`)).join(';') + ' '));
const word = fc.string({ maxLength: 10 }).map((w) => w.replace(/[\s\r\n\0]/g, '') || 'w');
const line = fc.oneof(
  fc
    .tuple(tags, fc.constantFrom('TAGMSG', 'PRIVMSG', 'NOTICE'), target, word)
    .map(([t, c, to, w]) => `${t}${c} ${to} :${c === 'TAGMSG' ? '' : w}`),
  fc.tuple(tags, target).map(([t, to]) => `${t}PRIVMSG ${to} :\x01VERSION\x01`),
  fc
    .tuple(fc.constantFrom('+', '-'), fc.stringMatching(/^[bIClmitnsvok]{1,4}$/), fc.array(word, { maxLength: 4 }))
    .map(([s, m, args]) => `MODE #f ${s}${m} ${args.map((a, i) => (i % 2 ? `m:${a}` : a)).join(' ')}`),
  fc
    .array(fc.constantFrom('>1', '<3', 'C>0', 'C<9', 'T<1', 'T>', '#f*', '!#*', '#f', 'x<', '>'), { maxLength: 4 })
    .map((items) => `LIST ${items.join(',')}`),
  fc.oneof(word, fc.constant(':a b c')).map((w) => `HELP ${w}`),
  fc.constantFrom('WALLOPS :oi', 'LINKS', 'HELPOP', 'MODE fuzz +w-w', 'MODE #f +I', 'MODE #f +b', 'JOIN #f'),
  // draft/multiline: batches opened, closed, mixed up and left open.
  fc
    .tuple(fc.constantFrom('a', 'b'), fc.constantFrom('open', 'line', 'concat', 'close'), target, word)
    .map(([id, what, to, w]) =>
      what === 'open'
        ? `BATCH +${id} draft/multiline ${to}`
        : what === 'close'
          ? `BATCH -${id}`
          : `@batch=${id}${what === 'concat' ? ';draft/multiline-concat' : ''} PRIVMSG ${to} :${w.repeat(40)}`,
    ),
  fc
    .tuple(
      target,
      fc.constantFrom('', ' *', ' x', ' timestamp=2026-01-01T00:00:00.000Z', ' timestamp=9999-99-99T99:99:99.999Z'),
    )
    .map(([to, ts]) => `MARKREAD ${to}${ts}`),
  fc
    .tuple(fc.constantFrom('#f', '#g', '#nada'), fc.constantFrom('#g', '#f', '#F', 'x', '#nada', ''), word)
    .map(([from, to, w]) => `RENAME ${from} ${to} :${w}`),
  fc
    .tuple(
      fc.constantFrom('*', 'fuzz', 'outro', '#f', '#nada'),
      fc.constantFrom('SET', 'GET', 'LIST', 'CLEAR', 'SUB', 'UNSUB', 'SUBS', 'SYNC', 'X'),
      fc.array(fc.oneof(word, fc.constantFrom('display-name', 'avatar', ':x', '$')), { maxLength: 3 }),
    )
    .map(([to, sub, args]) => `METADATA ${to} ${sub} ${args.join(' ')}`.trimEnd()),
);

describe('the new commands under random input', () => {
  let server: ChatServer;
  let fuzz: RawClient;
  let other: RawClient;
  before(async () => {
    let port: number;
    ({ server, port } = await startTestServer({
      serverName: 'irc.test',
      line: null,
      opers: ['fuzz:x'],
      limits: { floodRate: 10_000, floodBurst: 10_000, floodQueue: 10_000 },
    }));
    fuzz = await RawClient.register(port, 'fuzz', [
      'message-tags',
      'echo-message',
      'labeled-response',
      'batch',
      'draft/multiline',
      'draft/read-marker',
      'draft/channel-rename',
      'draft/metadata-2',
    ]);
    other = await RawClient.register(port, 'outro', ['message-tags', 'batch', 'draft/multiline', 'draft/metadata-2']);
    fuzz.send('JOIN #f', 'OPER fuzz x');
    other.send('JOIN #f');
    await other.expect(/ 366 outro #f /);
  });
  after(async () => {
    fuzz.close();
    other.close();
    await server.close();
  });

  it('answers every batch of lines, never sends a body over 512 bytes, and stays up', async () => {
    let round = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 15 }), async (lines) => {
        const token = `r${++round}`;
        fuzz.send(...lines, `PING :${token}`);
        await fuzz.expect(new RegExp(`PONG irc\\.test :${token}$`));
        for (const l of fuzz.lines) {
          const body = l.startsWith('@') ? l.slice(l.indexOf(' ') + 1) : l;
          assert.ok(Buffer.byteLength(body) <= 510, l);
        }
      }),
      { numRuns: 150, interruptAfterTimeLimit: 20_000 },
    );
    assert.equal(fuzz.closed, false);
    other.send('PING :alive');
    await other.expect(/PONG irc\.test :alive$/);
  });
});
