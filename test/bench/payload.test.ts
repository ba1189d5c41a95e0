import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { PayloadScanner, PayloadWriter, MIN_PAYLOAD_SIZE, type DeliverySink } from '../../src/bench/payload.js';

class Counter implements DeliverySink {
  readonly got: Array<[number, number, number]> = [];
  corrupted = 0;
  delivery(sender: number, seq: number, sentUs: number): void {
    this.got.push([sender, seq, sentUs]);
  }
  corrupt(): void {
    this.corrupted++;
  }
}

/** What a line-door receiver sees: `<nick>: <payload>\n`, with notices in between. */
function stream(size: number, msgs: Array<[number, number, number]>, crlf = false): Buffer {
  const w = new PayloadWriter(size);
  const parts: Buffer[] = [Buffer.from('Conectado ao servidor!\n'), Buffer.from('b9 entrou no chat!\n')];
  for (const [s, q, t] of msgs) {
    parts.push(
      Buffer.from(`:b${s}!u@127.0.0.1 PRIVMSG #bench :`),
      w.encode(s, q, t),
      Buffer.from(crlf ? '\r\n' : '\n'),
    );
  }
  return Buffer.concat(parts);
}

function splitAt(buf: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (buf.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(buf.subarray(prev, p));
    prev = p;
  }
  out.push(buf.subarray(prev));
  return out;
}

describe('bench payload', () => {
  it('encodes a fixed-size token that the scanner reads back', () => {
    const w = new PayloadWriter(100);
    const p = w.encode(7, 42, 1_700_000_000_123_456);
    assert.equal(p.length, 100);
    assert.match(p.toString(), /^%b7\.42\.1700000000123456\.[a-z]+$/);
    const c = new Counter();
    new PayloadScanner(100).push(Buffer.concat([Buffer.from('b7: '), p, Buffer.from('\n')]), c);
    assert.deepEqual(c.got, [[7, 42, 1_700_000_000_123_456]]);
    assert.equal(c.corrupted, 0);
  });

  it('ignores lines that are not payloads and hands them to the caller', () => {
    const c = new Counter();
    const others: string[] = [];
    new PayloadScanner(64).push(Buffer.from('PING :x\r\nb1 saiu do chat!\n'), c, (b, s, e) =>
      others.push(b.toString('latin1', s, e)),
    );
    assert.deepEqual(others, ['PING :x', 'b1 saiu do chat!']);
    assert.equal(c.got.length + c.corrupted, 0);
  });

  it('counts truncated, spliced and altered payloads as corrupt', () => {
    const w = new PayloadWriter(64);
    const a = w.encode(1, 5, 1000);
    const b = w.encode(2, 6, 2000);
    const c = new Counter();
    const s = new PayloadScanner(64);
    s.push(Buffer.concat([Buffer.from('n: '), a.subarray(0, 40), Buffer.from('\n')]), c); // truncated
    s.push(Buffer.concat([Buffer.from('n: '), a.subarray(0, 30), b.subarray(30), Buffer.from('\n')]), c); // spliced
    const altered = Buffer.from(a);
    altered[60] = 0x21;
    s.push(Buffer.concat([Buffer.from('n: '), altered, Buffer.from('\n')]), c);
    s.push(Buffer.concat([Buffer.from('n: '), a, Buffer.from('X\n')]), c); // one byte too many
    assert.equal(c.got.length, 0);
    assert.equal(c.corrupted, 4);
  });

  it('counts each delivery exactly once however the bytes are split (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: MIN_PAYLOAD_SIZE, max: 200 }),
        fc.array(fc.tuple(fc.nat(999), fc.nat(1_000_000), fc.nat(2 ** 52)), { minLength: 1, maxLength: 30 }),
        fc.array(fc.nat(100_000), { maxLength: 40 }),
        fc.boolean(),
        (size, msgs, cuts, crlf) => {
          const buf = stream(size, msgs, crlf);
          const c = new Counter();
          const s = new PayloadScanner(size);
          for (const part of splitAt(buf, cuts)) s.push(part, c);
          assert.equal(c.corrupted, 0);
          assert.deepEqual(c.got, msgs);
        },
      ),
      { numRuns: 300, interruptAfterTimeLimit: 4000 },
    );
  });

  it('reads the same from a shared read buffer longer than each read (what the generator reads into)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(999), fc.nat(1_000_000), fc.nat(2 ** 52)), { minLength: 1, maxLength: 30 }),
        fc.array(fc.nat(100_000), { maxLength: 40 }),
        (msgs, cuts) => {
          const size = 100;
          const buf = stream(size, msgs, true);
          // Stale bytes past each read: line ends and a payload, which must never be read.
          const shared = Buffer.alloc(buf.length + 512, '\n%b1.2.3.abc\n');
          const c = new Counter();
          const s = new PayloadScanner(size);
          for (const part of splitAt(buf, cuts)) {
            part.copy(shared, 0);
            s.push(shared, c, undefined, part.length);
          }
          assert.equal(c.corrupted, 0);
          assert.deepEqual(c.got, msgs);
        },
      ),
      { numRuns: 200, interruptAfterTimeLimit: 4000 },
    );
  });

  it('rejects sizes too small for the token', () => {
    assert.throws(() => new PayloadWriter(MIN_PAYLOAD_SIZE - 1), RangeError);
  });
});
