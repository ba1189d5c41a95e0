import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IrcLineReader } from '../../../src/codec/irc/line-reader.js';

function read(max: number, chunks: Buffer[]): string[] {
  const out: string[] = [];
  const r = new IrcLineReader(max);
  for (const c of chunks) {
    r.push(c, { line: (l, ok) => out.push(ok ? l : `BAD:${l}`), tooLong: () => out.push('TOO_LONG') });
  }
  return out;
}

describe('IrcLineReader', () => {
  const input = Buffer.concat([
    Buffer.from('PING a\r\nNICK ção\n'),
    Buffer.from('x'.repeat(40)),
    Buffer.from('\r\nPRIVMSG # :'),
    Buffer.from([0xc3, 0x28]),
    Buffer.from('\r\nPING b\r\n'),
  ]);
  const expected = ['PING a', 'NICK ção', 'TOO_LONG', 'BAD:PRIVMSG # :\ufffd(', 'PING b'];

  it('lines, one report per too-long line (the rest of it skipped), invalid UTF-8 flagged', () => {
    assert.deepEqual(read(20, [input]), expected);
  });

  it('the same at every cut of the input in two, and one byte at a time', () => {
    for (let i = 0; i <= input.length; i++) {
      assert.deepEqual(read(20, [input.subarray(0, i), input.subarray(i)]), expected, `cut at ${i}`);
    }
    assert.deepEqual(
      read(
        20,
        [...input].map((b) => Buffer.from([b])),
      ),
      expected,
    );
  });

  it('an endless line is reported once and not buffered', () => {
    const out: string[] = [];
    const r = new IrcLineReader(100);
    const sink = { line: (l: string) => out.push(l), tooLong: () => out.push('TOO_LONG') };
    for (let i = 0; i < 1000; i++) r.push(Buffer.alloc(1000, 'a'), sink);
    r.push(Buffer.from('\nPING c\n'), sink);
    assert.deepEqual(out, ['TOO_LONG', 'PING c']);
  });
});
