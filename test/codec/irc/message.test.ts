import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  escapeTagValue,
  parseMessage,
  serializeMessage,
  splitTagSection,
  truncateUtf8,
  unescapeTagValue,
  type IrcMessage,
} from '../../../src/codec/irc/message.js';
import { LineSplitter } from '../../../src/codec/line.js';

const FC = { interruptAfterTimeLimit: 3000, numRuns: 500 };

describe('IRC message codec', () => {
  it('parses tags, source, command, middle and trailing parameters', () => {
    assert.deepEqual(parseMessage("@id=234AB;+x=a\\sb\\:c;flag :dan!d@localhost PRIVMSG #chan :Hey what's up!"), {
      tags: { id: '234AB', '+x': 'a b;c', flag: '' },
      source: 'dan!d@localhost',
      command: 'PRIVMSG',
      params: ['#chan', "Hey what's up!"],
    });
    assert.deepEqual(parseMessage('privmsg  #a   b'), { tags: {}, command: 'PRIVMSG', params: ['#a', 'b'] });
    assert.deepEqual(parseMessage('CAP REQ :'), { tags: {}, command: 'CAP', params: ['REQ', ''] });
    assert.deepEqual(parseMessage('USER u 0 * :Real Name:x'), {
      tags: {},
      command: 'USER',
      params: ['u', '0', '*', 'Real Name:x'],
    });
    assert.equal(parseMessage(''), undefined);
    assert.equal(parseMessage('   '), undefined);
    assert.equal(parseMessage('@a=b'), undefined);
    assert.equal(parseMessage(':src'), undefined);
  });

  it('serialises with a trailing colon only where needed', () => {
    const m = (params: string[]): IrcMessage => ({ tags: {}, source: 's', command: 'PRIVMSG', params });
    assert.equal(serializeMessage(m(['#a', 'hello'])), ':s PRIVMSG #a :hello');
    assert.equal(serializeMessage({ tags: {}, command: 'JOIN', params: ['#a'] }), 'JOIN #a');
    assert.equal(serializeMessage(m(['#a', 'hello world'])), ':s PRIVMSG #a :hello world');
    assert.equal(serializeMessage(m(['#a', ''])), ':s PRIVMSG #a :');
    assert.equal(serializeMessage(m(['#a', ':)'])), ':s PRIVMSG #a ::)');
    assert.throws(() => serializeMessage(m(['a b', 'x'])));
  });

  it('never lets CR, LF or NUL through', () => {
    const line = serializeMessage({
      tags: { a: 'x\r\ny' },
      source: 'n!u@h',
      command: 'PRIVMSG',
      params: ['#a', 'one\r\nQUIT\0'],
    });
    assert.ok(!/[\r\n\0]/.test(line), line);
    assert.equal(line, '@a=x\\r\\ny :n!u@h PRIVMSG #a :one  QUIT ');
  });

  it('escapes tag values as message-tags says', () => {
    assert.equal(escapeTagValue('a;b c\\d\re\nf'), 'a\\:b\\sc\\\\d\\re\\nf');
    assert.equal(unescapeTagValue('a\\:b\\sc\\\\d\\re\\nf'), 'a;b c\\d\re\nf');
    assert.equal(unescapeTagValue('\\b'), 'b');
    assert.equal(unescapeTagValue('end\\'), 'end');
  });

  it('splits the tag section for the size checks', () => {
    assert.deepEqual(splitTagSection('@a=b  PING x'), { tags: 'a=b', body: 'PING x' });
    assert.deepEqual(splitTagSection('PING x'), { tags: undefined, body: 'PING x' });
  });

  it('truncates UTF-8 without splitting a character', () => {
    assert.equal(truncateUtf8('ãé', 3), 'ã');
    assert.equal(truncateUtf8('abc', 10), 'abc');
  });

  it('round-trips any message (property)', () => {
    const token = fc.stringMatching(/^[A-Za-z0-9#&_.!@*-][^\s\0\r\n]{0,15}$/).filter((s) => !s.startsWith(':'));
    const tagKey = fc.stringMatching(/^\+?[a-z][a-z0-9-]{0,8}$/);
    const msg = fc.record({
      tags: fc.dictionary(tagKey, fc.string({ maxLength: 20 })),
      source: fc.option(token, { nil: undefined }),
      command: fc.stringMatching(/^([A-Z]{1,10}|\d{3})$/),
      middle: fc.array(token, { maxLength: 5 }),
      last: fc.option(
        fc.string({ maxLength: 40 }).map((s) => s.replace(/[\r\n\0]/g, '')),
        { nil: undefined },
      ),
    });
    fc.assert(
      fc.property(msg, (m) => {
        const params = m.last === undefined ? m.middle : [...m.middle, m.last];
        const input: IrcMessage = { tags: m.tags, command: m.command, params };
        if (m.source !== undefined) input.source = m.source;
        const cleanTags = Object.fromEntries(Object.entries(m.tags).map(([k, v]) => [k, v.replace(/\0/g, '')]));
        const out = parseMessage(serializeMessage(input));
        assert.deepEqual(out, { ...input, tags: cleanTags });
      }),
      FC,
    );
  });

  it('parses random bytes without throwing, and never yields CR/LF/NUL in what it re-serialises', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        const text = Buffer.from(bytes)
          .toString('utf8')
          .replace(/[\r\n]/g, '');
        const m = parseMessage(text);
        if (!m) return;
        const last = m.params.length - 1;
        // Middle params come from a split on spaces: they are re-serialisable.
        const out = serializeMessage({ ...m, params: m.params.map((p, i) => (i === last ? p : p || 'x')) });
        assert.ok(!/[\r\n\0]/.test(out));
      }),
      FC,
    );
  });

  it('gives the same messages however the bytes are split (property)', () => {
    const lines = fc.array(
      fc.tuple(fc.constantFrom('PRIVMSG #a :', 'NICK ', '@t=1 PING :'), fc.string({ maxLength: 30 })),
      { minLength: 1, maxLength: 8 },
    );
    fc.assert(
      fc.property(lines, fc.array(fc.nat(200), { maxLength: 10 }), (ls, cuts) => {
        const texts = ls.map(([p, s]) => p + s.replace(/[\r\n]/g, ''));
        const bytes = Buffer.from(texts.map((t) => t + '\r\n').join(''));
        const whole: string[] = [];
        new LineSplitter({ maxLength: 8704 }).push(bytes, (l) => whole.push(l));
        const pieces: string[] = [];
        const sp = new LineSplitter({ maxLength: 8704 });
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        let prev = 0;
        for (const p of [...points, bytes.length]) {
          sp.push(bytes.subarray(prev, p), (l) => pieces.push(l));
          prev = p;
        }
        assert.deepEqual(pieces.map(parseMessage), whole.map(parseMessage));
      }),
      FC,
    );
  });
});
