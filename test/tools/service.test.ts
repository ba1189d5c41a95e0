import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { blockFor, handleRequest, respond, respondUdp, truncateUtf8, type EchoSpec } from '../../src/tools/service.js';
import { SourceRateLimiter } from '../../src/tools/udp.js';
import { formatTable, quantile } from '../../src/tools/bench-models.js';

const echo = (o: Partial<EchoSpec> = {}): EchoSpec => ({
  kind: 'echo',
  prefix: 'Echo: ',
  upper: false,
  lines: false,
  ...o,
});

describe('tutorial services', () => {
  it('hello answers its welcome whatever the request', () => {
    assert.equal(
      respond({ kind: 'hello', message: 'Bem-vindo ao servidor!' }, 'x').toString(),
      'Bem-vindo ao servidor!',
    );
  });

  it('echo answers prefix + the bytes read, as the tutorial', () => {
    assert.equal(respond(echo(), Buffer.from('olá')).toString(), 'Echo: olá');
    assert.equal(respond(echo({ prefix: '' }), Buffer.from('abc')).toString(), 'abc');
    assert.equal(respond(echo({ upper: true }), 'olá mundo').toString(), 'Echo: OLÁ MUNDO');
    assert.equal(respond(echo({ lines: true }), 'a').toString(), 'Echo: a\n');
    // Worker threads hand a Buffer over as a plain Uint8Array.
    assert.equal(respond(echo(), new Uint8Array([0x68, 0x69])).toString(), 'Echo: hi');
  });

  it('blockFor really blocks the thread', () => {
    const t0 = performance.now();
    blockFor(60);
    assert.ok(performance.now() - t0 >= 55);
    assert.equal(handleRequest(echo(), 'x', 0).toString(), 'Echo: x');
  });
});

describe('UDP answers never exceed the datagram', () => {
  it('drops the prefix when it would not fit and keeps the data', () => {
    assert.equal(respondUdp(echo(), Buffer.from('hello')).toString(), 'hello');
    assert.equal(respondUdp(echo({ prefix: 'E' }), Buffer.from('hello')).toString(), 'hello');
    assert.equal(respondUdp(echo({ upper: true }), Buffer.from('abc')).toString(), 'ABC');
    // 'ß' (2 bytes) upper-cases to 'SS' (2 bytes); 'ŉ' (2 bytes) grows to 'ʼN' (3 bytes) and is cut.
    assert.ok(respondUdp(echo({ upper: true }), Buffer.from('ŉ')).length <= 2);
  });

  it('holds for any input (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string(), fc.boolean(), (text, prefix, upper) => {
        const d = Buffer.from(text, 'utf8');
        const r = respondUdp(echo({ prefix, upper }), d);
        assert.ok(r.length <= d.length);
        assert.ok(!r.toString('utf8').includes('\uFFFD') || d.toString('utf8').includes('\uFFFD'));
      }),
      { numRuns: 300 },
    );
  });

  it('truncateUtf8 never splits a character, at every cut', () => {
    const b = Buffer.from('aé€😀z', 'utf8');
    for (let max = 0; max <= b.length + 1; max++) {
      const t = truncateUtf8(b, max);
      assert.ok(t.length <= max);
      assert.ok(b.toString('utf8').startsWith(t.toString('utf8')), `cut at ${max}`);
      assert.ok(!t.toString('utf8').includes('\uFFFD'), `cut at ${max}`);
    }
  });
});

describe('per-source rate limit', () => {
  it('allows `rate` answers per second per address, then refills', () => {
    let now = 0;
    const l = new SourceRateLimiter(3, () => now);
    assert.deepEqual(
      [1, 2, 3, 4].map(() => l.take('a')),
      [true, true, true, false],
    );
    assert.equal(l.take('b'), true, 'another source has its own bucket');
    now = 340;
    assert.equal(l.take('a'), true, 'one token back after a third of a second');
    assert.equal(l.take('a'), false);
  });
});

describe('bench helpers', () => {
  it('quantile and table', () => {
    assert.equal(quantile([], 0.5), 0);
    assert.equal(quantile([1, 2, 3, 4], 0.5), 2);
    assert.equal(quantile([1, 2, 3, 4], 0.99), 4);
    assert.deepEqual(
      formatTable([
        ['m', 'n'],
        ['ab', '1'],
        ['c', '22'],
      ]),
      ['m   n', 'ab   1', 'c   22'],
    );
  });
});
