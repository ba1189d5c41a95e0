import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LineSplitter, LineTooLongError, splitLines } from '../../src/codec/line.js';

function collect(splitter: LineSplitter, chunks: Buffer[]): string[] {
  const out: string[] = [];
  for (const c of chunks) splitter.push(c, (l) => out.push(l));
  return out;
}

describe('LineSplitter', () => {
  const text = 'olá, mundo\r\nsegunda linha 🎉\nterceira\r\n\nfim';
  const data = Buffer.from(text, 'utf8');
  const expected = ['olá, mundo', 'segunda linha 🎉', 'terceira', ''];

  it('splits LF and CRLF lines and keeps the unterminated rest for flush', () => {
    const s = new LineSplitter({ maxLength: 100 });
    assert.deepEqual(collect(s, [data]), expected);
    assert.equal(s.flush(), 'fim');
    assert.equal(s.flush(), undefined);
  });

  it('gives the same lines when the input is cut at every byte position (two pieces)', () => {
    for (let cut = 0; cut <= data.length; cut++) {
      const s = new LineSplitter({ maxLength: 100 });
      const got = collect(s, [data.subarray(0, cut), data.subarray(cut)]);
      assert.deepEqual(got, expected, `cut at ${cut}`);
      assert.equal(s.flush(), 'fim', `cut at ${cut}`);
    }
  });

  it('gives the same lines one byte at a time (never splits a UTF-8 character)', () => {
    const s = new LineSplitter({ maxLength: 100 });
    const chunks = [...data].map((b) => Buffer.from([b]));
    assert.deepEqual(collect(s, chunks), expected);
  });

  it('gives the same lines for any random split (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'grapheme' }).map((s) => s.replace(/[\r\n]/g, ''))),
        fc.array(fc.nat(), { maxLength: 10 }),
        (lines, cuts) => {
          const buf = Buffer.from(lines.map((l) => l + '\n').join(''), 'utf8');
          const points = [...new Set(cuts.map((c) => c % (buf.length + 1)))].sort((a, b) => a - b);
          const chunks: Buffer[] = [];
          let prev = 0;
          for (const p of points) {
            chunks.push(buf.subarray(prev, p));
            prev = p;
          }
          chunks.push(buf.subarray(prev));
          const s = new LineSplitter({ maxLength: 1 << 20 });
          assert.deepEqual(collect(s, chunks), lines);
        },
      ),
    );
  });

  it('replaces invalid UTF-8 instead of passing it on', () => {
    const s = new LineSplitter({ maxLength: 100 });
    const got = collect(s, [Buffer.from([0x61, 0xff, 0xfe, 0x62, 0x0a])]);
    assert.deepEqual(got, ['a\uFFFD\uFFFDb']);
  });

  it('rejects a line longer than the maximum, terminated or not, and recovers after', () => {
    const s = new LineSplitter({ maxLength: 5 });
    assert.deepEqual(collect(s, [Buffer.from('12345\n')]), ['12345']);
    assert.throws(() => collect(s, [Buffer.from('123456\n')]), LineTooLongError);
    assert.throws(
      () => collect(s, [Buffer.from('1234'), Buffer.from('567')]),
      (e: unknown) => e instanceof LineTooLongError && e.code === 'TOMADA_ERR_LINE_TOO_LONG',
    );
    assert.equal(s.pending, 0);
    assert.deepEqual(collect(s, [Buffer.from('ok\n')]), ['ok']);
  });

  it('accepts a maximum-length line whose CRLF arrives split', () => {
    const s = new LineSplitter({ maxLength: 3 });
    assert.deepEqual(collect(s, [Buffer.from('abc\r'), Buffer.from('\n')]), ['abc']);
  });

  it('splitLines handles a whole buffer', () => {
    assert.deepEqual(splitLines(Buffer.from('a\nb\r\nc')), ['a', 'b', 'c']);
  });
});
