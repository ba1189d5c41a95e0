import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  acceptFor,
  checkHandshakeResponse,
  clientCloseFrame,
  clientFrameLength,
  clientPongFrame,
  clientTextFrame,
  clientTextFrames,
  handshakeRequest,
  HandshakeReader,
  MAX_MESSAGE,
  OP_BINARY,
  OP_CLOSE,
  OP_CONTINUATION,
  OP_PING,
  OP_PONG,
  OP_TEXT,
  WsFrameDecoder,
  type WsFrameSink,
} from '../../src/bench/ws-wire.js';
import { wsProtocol } from '../../src/bench/protocols.js';

/** A server frame (never masked), with any header bits: the tests' reference encoder. */
function serverFrame(opcode: number, payload: Buffer | string, opts: { fin?: boolean; bits?: number } = {}): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const n = body.length;
  const head = Buffer.alloc(n < 126 ? 2 : n <= 0xffff ? 4 : 10);
  head[0] = (opts.fin === false ? 0 : 0x80) | (opts.bits ?? 0) | opcode;
  if (n < 126) head[1] = n;
  else if (n <= 0xffff) {
    head[1] = 126;
    head.writeUInt16BE(n, 2);
  } else {
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(n), 2);
  }
  return Buffer.concat([head, body]);
}

/** Reads one client frame: checks the mask bit and unmasks. */
function readClientFrame(f: Buffer, at = 0): { fin: boolean; opcode: number; payload: Buffer; next: number } {
  const b0 = f[at]!;
  const b1 = f[at + 1]!;
  assert.equal(b1 & 0x80, 0x80, 'a client frame is masked');
  assert.equal(b0 & 0x70, 0, 'no RSV bits');
  let len = b1 & 0x7f;
  let p = at + 2;
  if (len === 126) {
    len = f.readUInt16BE(p);
    p += 2;
    assert.ok(len >= 126, 'minimal length encoding');
  } else if (len === 127) {
    len = Number(f.readBigUInt64BE(p));
    p += 8;
    assert.ok(len > 0xffff, 'minimal length encoding');
  }
  const mask = f.subarray(p, p + 4);
  p += 4;
  const payload = Buffer.alloc(len);
  for (let i = 0; i < len; i++) payload[i] = f[p + i]! ^ mask[i & 3]!;
  return { fin: (b0 & 0x80) !== 0, opcode: b0 & 0x0f, payload, next: p + len };
}

type Event = ['message', string] | ['ping', string] | ['close', number, string];

/** Records what the decoder hands over, as strings (copies: the ranges die with the call). */
class Recorder implements WsFrameSink {
  readonly events: Event[] = [];
  /** Messages handed over in place: in the very buffer that was pushed. */
  inPlace = 0;
  pushed: Buffer | null = null;
  wsMessage(buf: Buffer, start: number, end: number): void {
    if (buf === this.pushed) this.inPlace++;
    this.events.push(['message', buf.toString('latin1', start, end)]);
  }
  wsPing(buf: Buffer, start: number, end: number): void {
    this.events.push(['ping', buf.toString('latin1', start, end)]);
  }
  wsClose(code: number, reason: string): void {
    this.events.push(['close', code, reason]);
  }
}

/**
 * Feeds `chunks` the way the bench client does: each one is copied into ONE shared read buffer (at
 * offset 0, like `onread`) which is scribbled over after every push, so a decoder that kept a range of
 * it instead of copying would hand over garbage.
 */
function feed(chunks: Buffer[], rec = new Recorder(), dec = new WsFrameDecoder()): { rec: Recorder; errors: string[] } {
  const shared = Buffer.alloc(Math.max(1, ...chunks.map((c) => c.length)) + 16);
  const errors: string[] = [];
  rec.pushed = shared;
  for (const c of chunks) {
    c.copy(shared, 0);
    const err = dec.push(shared, 0, c.length, rec);
    if (err !== null) errors.push(err);
    shared.fill(0x7e);
  }
  return { rec, errors };
}

function cut(buf: Buffer, points: number[]): Buffer[] {
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of [...new Set(points)].sort((a, b) => a - b)) {
    if (p <= prev || p >= buf.length) continue;
    out.push(buf.subarray(prev, p));
    prev = p;
  }
  out.push(buf.subarray(prev));
  return out;
}

const rfcKey = 'dGhlIHNhbXBsZSBub25jZQ==';
const ok101 = (key: string, extra = '') =>
  `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
  `Sec-WebSocket-Accept: ${acceptFor(key)}\r\n${extra}\r\n`;

describe('bench WebSocket client: handshake', () => {
  it('computes Sec-WebSocket-Accept as in RFC 6455 §1.3', () => {
    // The RFC's example, checked against an independent SHA-1 (Python's hashlib).
    assert.equal(acceptFor(rfcKey), 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });

  it('asks for /ws, version 13, no extension', () => {
    const req = handshakeRequest('127.0.0.1', 8080, '/ws', rfcKey);
    assert.match(req, /^GET \/ws HTTP\/1\.1\r\n/);
    assert.match(req, /\r\nHost: 127\.0\.0\.1:8080\r\n/);
    assert.match(req, /\r\nUpgrade: websocket\r\n/);
    assert.match(req, /\r\nConnection: Upgrade\r\n/);
    assert.match(req, /\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n/);
    assert.match(req, /\r\nSec-WebSocket-Version: 13\r\n/);
    assert.doesNotMatch(req, /Extensions/i);
    assert.ok(req.endsWith('\r\n\r\n'));
    assert.match(handshakeRequest('::1', 80, '/ws', rfcKey), /\r\nHost: \[::1\]:80\r\n/);
  });

  it('accepts the 101 with the right accept value, and rejects anything else', () => {
    const head = (s: string) => s.slice(0, s.indexOf('\r\n\r\n'));
    assert.equal(checkHandshakeResponse(head(ok101(rfcKey)), rfcKey), null);
    assert.equal(
      checkHandshakeResponse(head(ok101(rfcKey).replace('Upgrade: websocket', 'upgrade: WebSocket')), rfcKey),
      null,
      'header names and the upgrade token are case-insensitive',
    );
    assert.match(checkHandshakeResponse(head(ok101('other key')), rfcKey)!, /Sec-WebSocket-Accept/);
    assert.match(
      checkHandshakeResponse(head(ok101(rfcKey, 'Sec-WebSocket-Extensions: permessage-deflate\r\n')), rfcKey)!,
      /extension/,
    );
    assert.match(checkHandshakeResponse(head(ok101(rfcKey).replace('Upgrade: websocket\r\n', '')), rfcKey)!, /Upgrade/);
    assert.equal(
      checkHandshakeResponse('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 5', rfcKey),
      'HTTP/1.1 503 Service Unavailable',
    );
  });

  it('reads the response split at every byte, with the first frames in the same read', () => {
    const frames = Buffer.concat([serverFrame(OP_TEXT, '{"type":"welcome"}'), serverFrame(OP_PING, 'hb')]);
    const bytes = Buffer.concat([Buffer.from(ok101(rfcKey), 'latin1'), frames]);
    for (let at = 0; at <= bytes.length; at++) {
      const reader = new HandshakeReader(rfcKey);
      const parts = at === 0 || at === bytes.length ? [bytes] : [bytes.subarray(0, at), bytes.subarray(at)];
      let rest: Buffer | null = null;
      for (const [i, part] of parts.entries()) {
        if (rest) {
          rest = Buffer.concat([rest, part]);
          continue;
        }
        // Inside a larger buffer, at an offset: `rest` is an index into that buffer.
        const big = Buffer.concat([Buffer.from('xxx'), part, Buffer.from('yyy')]);
        const step = reader.push(big, 3, 3 + part.length);
        if (step.kind === 'fail') assert.fail(step.reason);
        if (step.kind === 'open') rest = big.subarray(step.rest, 3 + part.length);
        else assert.ok(i < parts.length - 1, `more wanted at the end (cut at ${at})`);
      }
      assert.deepEqual(rest, frames, `cut at ${at}`);
    }
  });

  it('fails with the status line as soon as it is not 101 (403, 429, 503 with a body)', () => {
    for (const status of [
      'HTTP/1.1 403 Forbidden',
      'HTTP/1.1 429 Too Many Requests',
      'HTTP/1.1 503 Service Unavailable',
    ]) {
      const reader = new HandshakeReader(rfcKey);
      assert.deepEqual(reader.push(Buffer.from('HTTP/1.1 '), 0, 9), { kind: 'more' });
      const rest = Buffer.from(status.slice(9) + '\r\nConnection: close\r\nContent-Length: 4\r\n\r\nfull');
      assert.deepEqual(reader.push(rest, 0, rest.length), { kind: 'fail', reason: status });
    }
  });
});

describe('bench WebSocket client: client frames', () => {
  it('masks every frame, with 7-, 16- and 64-bit lengths', () => {
    for (const n of [0, 1, 5, 125, 126, 127, 65535, 65536, 70000]) {
      const text = 'abcdefghij'.repeat(Math.ceil(n / 10)).slice(0, n);
      const f = clientTextFrame(text);
      assert.equal(f.length, clientFrameLength(n), `length ${n}`);
      const r = readClientFrame(f);
      assert.equal(r.fin, true);
      assert.equal(r.opcode, OP_TEXT);
      assert.equal(r.payload.toString(), text, `length ${n}`);
      assert.equal(r.next, f.length);
    }
  });

  it('frames a batch of records as one text message each, in one buffer, with random masking keys', () => {
    const records = Array.from(
      { length: 40 },
      (_, i) => `{"type":"message","text":"payload ${String(i).padStart(3, '0')}"}`,
    );
    const msgLen = records[0]!.length;
    const src = Buffer.from(records.join('') + 'garbage after the end');
    const out = clientTextFrames(src, msgLen * records.length, msgLen);
    assert.equal(out.length, records.length * clientFrameLength(msgLen));
    const got: string[] = [];
    const masks = new Set<string>();
    for (let p = 0; p < out.length;) {
      const r = readClientFrame(out, p);
      assert.equal(r.opcode, OP_TEXT);
      masks.add(out.subarray(r.next - msgLen - 4, r.next - msgLen).toString('hex'));
      got.push(r.payload.toString());
      p = r.next;
    }
    assert.deepEqual(got, records);
    assert.ok(masks.size > 30, `masking keys vary (${masks.size} distinct of 40)`);
  });

  it('answers a ping with the same payload, closes with a status code', () => {
    const ping = Buffer.from('..heartbeat..');
    const pong = readClientFrame(clientPongFrame(ping, 2, 11));
    assert.equal(pong.opcode, OP_PONG);
    assert.equal(pong.payload.toString(), 'heartbeat');
    const close = readClientFrame(clientCloseFrame(1000));
    assert.equal(close.opcode, OP_CLOSE);
    assert.deepEqual([...close.payload], [0x03, 0xe8]);
    assert.equal(readClientFrame(clientCloseFrame(1001, 'bye')).payload.subarray(2).toString(), 'bye');
  });
});

describe('bench WebSocket client: server frame decoder', () => {
  const small = [
    serverFrame(OP_TEXT, '{"type":"welcome","nick":"b1"}'),
    serverFrame(OP_TEXT, ''),
    serverFrame(OP_PING, 'ping!'),
    serverFrame(OP_TEXT, 'x'.repeat(125)),
    serverFrame(OP_TEXT, 'y'.repeat(126)),
    serverFrame(OP_PONG, 'unsolicited'),
    serverFrame(OP_BINARY, 'bin'),
    serverFrame(OP_TEXT, 'frag-', { fin: false }),
    serverFrame(OP_PING, 'in between'),
    serverFrame(OP_CONTINUATION, 'men', { fin: false }),
    serverFrame(OP_CONTINUATION, 'ted'),
    serverFrame(OP_TEXT, 'z'.repeat(300)),
  ];
  const smallEvents: Event[] = [
    ['message', '{"type":"welcome","nick":"b1"}'],
    ['message', ''],
    ['ping', 'ping!'],
    ['message', 'x'.repeat(125)],
    ['message', 'y'.repeat(126)],
    ['message', 'bin'],
    ['ping', 'in between'],
    ['message', 'frag-mented'],
    ['message', 'z'.repeat(300)],
  ];
  const stream = Buffer.concat(small);

  it('decodes several frames in one read, each whole one in place (no copy)', () => {
    const rec = new Recorder();
    rec.pushed = stream;
    assert.equal(new WsFrameDecoder().push(stream, 0, stream.length, rec), null);
    assert.deepEqual(rec.events, smallEvents);
    assert.equal(rec.inPlace, 6, 'every unfragmented message is a range of the read');
  });

  it('decodes frames split at every byte offset (and one byte per read) through a shared read buffer', () => {
    for (let at = 0; at <= stream.length; at++) {
      const { rec, errors } = feed(cut(stream, [at]));
      assert.deepEqual(errors, []);
      assert.deepEqual(rec.events, smallEvents, `cut at ${at}`);
    }
    for (let a = 0; a < stream.length; a += 7) {
      const { rec } = feed(cut(stream, [a, a + 1, a + 3, a + 130]));
      assert.deepEqual(rec.events, smallEvents, `cuts at ${a}`);
    }
    const bytes = Array.from({ length: stream.length }, (_, i) => stream.subarray(i, i + 1));
    assert.deepEqual(feed(bytes).rec.events, smallEvents);
  });

  it('decodes 16- and 64-bit lengths, cut inside the header, the payload and between frames', () => {
    const sizes = [65535, 65536, 70000, 200_000];
    const payloads = sizes.map((n, i) => Buffer.alloc(n, 0x61 + i));
    const frames = payloads.map((p) => serverFrame(OP_TEXT, p));
    assert.equal(frames[0]![1], 126);
    assert.equal(frames[1]![1], 127);
    const all = Buffer.concat(frames);
    const starts: number[] = [];
    for (let p = 0, i = 0; i < frames.length; p += frames[i]!.length, i++) starts.push(p);
    const expected = payloads.map((p): Event => ['message', p.toString('latin1')]);
    for (const s of starts) {
      for (const d of [1, 2, 3, 4, 5, 9, 10, 11, 1000]) {
        const { rec, errors } = feed(cut(all, [s + d, s + d + 1]));
        assert.deepEqual(errors, []);
        assert.deepEqual(rec.events, expected, `cut at ${s} + ${d}`);
      }
    }
    // Reads of 64 KiB (the bench's read buffer) and of an odd size.
    for (const size of [64 * 1024, 1499]) {
      const chunks: Buffer[] = [];
      for (let p = 0; p < all.length; p += size) chunks.push(all.subarray(p, p + size));
      assert.deepEqual(feed(chunks).rec.events, expected, `reads of ${size}`);
    }
  });

  it('reports the close code and reason, and decodes nothing after the close', () => {
    const bytes = Buffer.concat([
      serverFrame(OP_TEXT, 'last'),
      serverFrame(OP_CLOSE, Buffer.concat([Buffer.from([0x03, 0xe9]), Buffer.from('going away')])),
      serverFrame(OP_TEXT, 'after the close'),
    ]);
    const dec = new WsFrameDecoder();
    const { rec, errors } = feed([bytes], new Recorder(), dec);
    assert.deepEqual(errors, []);
    assert.deepEqual(rec.events, [
      ['message', 'last'],
      ['close', 1001, 'going away'],
    ]);
    assert.equal(dec.closed, true);
    assert.deepEqual(feed([serverFrame(OP_CLOSE, '')]).rec.events, [['close', 1005, '']]);
  });

  it('rejects protocol errors with a reason instead of throwing, and stays stopped', () => {
    const masked = serverFrame(OP_TEXT, 'abcd');
    masked[1] = masked[1]! | 0x80;
    const huge = Buffer.alloc(10);
    huge[0] = 0x81;
    huge[1] = 127;
    huge.writeBigUInt64BE(BigInt(MAX_MESSAGE + 1), 2);
    const enormous = Buffer.from(huge);
    enormous.writeBigUInt64BE(1n << 40n, 2);
    const cases: Array<[string, Buffer[], RegExp]> = [
      ['masked', [masked], /masked/],
      ['masked, header cut', [masked.subarray(0, 1), masked.subarray(1)], /masked/],
      ['RSV1 (a compressed frame)', [serverFrame(OP_TEXT, 'x', { bits: 0x40 })], /reserved/],
      ['opcode 3', [serverFrame(0x3, 'x')], /opcode 3/],
      ['opcode 11', [serverFrame(0xb, 'x')], /opcode 11/],
      ['long ping', [serverFrame(OP_PING, 'p'.repeat(126))], /125/],
      ['fragmented ping', [serverFrame(OP_PING, 'p', { fin: false })], /fragmented control/],
      ['stray continuation', [serverFrame(OP_CONTINUATION, 'x')], /continuation/],
      [
        'message inside a fragmented one',
        [Buffer.concat([serverFrame(OP_TEXT, 'a', { fin: false }), serverFrame(OP_TEXT, 'b')])],
        /inside a fragmented/,
      ],
      ['over 16 MiB', [huge], /16 MiB/],
      ['64-bit length beyond 2^32', [enormous], /16 MiB/],
      ['1-byte close body', [serverFrame(OP_CLOSE, 'x')], /close frame/],
    ];
    for (const [name, chunks, reason] of cases) {
      const dec = new WsFrameDecoder();
      const { rec, errors } = feed(chunks, new Recorder(), dec);
      assert.equal(errors.length, 1, name);
      assert.match(errors[0]!, /^websocket protocol error: /, name);
      assert.match(errors[0]!, reason, name);
      assert.deepEqual(rec.events, [], name);
      const again = serverFrame(OP_TEXT, 'fine');
      assert.equal(dec.push(again, 0, again.length, rec), errors[0], `${name}: stays stopped`);
      assert.deepEqual(rec.events, [], name);
    }
  });

  it('hands messageText a range of the read: a find past the message is no find', () => {
    const chat = '{"type":"message","time":1,"message":{"id":"7","from":"b0","text":"%b0.1.2.abc","kind":"message"}}';
    const joined = '{"type":"joined","room":"#bench"}';
    const other = '{"time":1,"type":"message","message":{"text":"%b1.2.3.abc"}}';
    const read = Buffer.from(joined + chat + other);
    const a = joined.length;
    const b = a + chat.length;
    assert.equal(wsProtocol.messageText!(read, 0, a), -1, 'the next message is not this one');
    const at = wsProtocol.messageText!(read, a, b);
    assert.equal(read.toString('latin1', at, read.indexOf('"', at)), '%b0.1.2.abc');
    const at2 = wsProtocol.messageText!(read, b, read.length);
    assert.equal(read.toString('latin1', at2, read.indexOf('"', at2)), '%b1.2.3.abc');
    assert.equal(wsProtocol.messageText!(read, b, b + 30), -1, 'its text lies beyond the range');
  });

  it('messageText finds the first "text":" exactly like a plain search (random messages and ranges)', () => {
    /** The meaning, spelled out: the type somewhere (or first), then the first `"text":"` in range. */
    const reference = (buf: Buffer, start: number, end: number): number => {
      const m = buf.subarray(start, end);
      const first = m.subarray(0, 17).equals(Buffer.from('{"type":"message"'));
      if (!first && m.indexOf('"type":"message"') === -1) return -1;
      const t = m.indexOf('"text":"', first ? 17 : 0);
      return t === -1 ? -1 : start + t + 8;
    };
    const tokens = ['"', 'text', '":"', ':', 't', 'e', 'x', '"text":"', '"text"', 'a', '"type":"message"', ',', '{'];
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 3000; round++) {
      const parts: string[] = rand(2) === 0 ? ['{"type":"message"'] : [];
      for (let k = rand(30); k > 0; k--) parts.push(tokens[rand(tokens.length)]!);
      const buf = Buffer.from(parts.join('') + '"text":"tail"');
      const start = rand(3) === 0 ? rand(buf.length) : 0;
      const end = start + rand(buf.length - start + 1);
      assert.equal(wsProtocol.messageText!(buf, start, end), reference(buf, start, end), buf.toString());
    }
  });
});
