import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { WsFrameReader, type WsFrameSink } from '../../src/codec/ws-frame.js';

/** A client frame, built here independently of the reader: masked unless told, any bits. */
function clientFrame(
  opcode: number,
  payload: Buffer | string,
  o: { fin?: boolean; mask?: boolean; rsv?: number; len64?: bigint } = {},
): Buffer {
  const data = Buffer.from(payload);
  const mask = o.mask ?? true;
  const head: number[] = [((o.fin ?? true) ? 0x80 : 0) | ((o.rsv ?? 0) << 4) | opcode];
  const m = mask ? 0x80 : 0;
  if (o.len64 !== undefined) {
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(o.len64);
    head.push(m | 127, ...b);
  } else if (data.length < 126) head.push(m | data.length);
  else if (data.length <= 0xffff) head.push(m | 126, data.length >> 8, data.length & 0xff);
  else {
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(BigInt(data.length));
    head.push(m | 127, ...b);
  }
  if (!mask) return Buffer.concat([Buffer.from(head), data]);
  const key = randomBytes(4);
  const body = Buffer.from(data.map((x, i) => x ^ key[i & 3]!));
  return Buffer.concat([Buffer.from(head), key, body]);
}

type Event = [string, ...unknown[]];

function reader(max = 1024): { r: WsFrameReader; events: Event[]; sink: WsFrameSink } {
  const events: Event[] = [];
  const sink: WsFrameSink = {
    wsMessage: (d, binary) => events.push(['message', binary ? d.toString('hex') : d.toString('utf8'), binary]),
    wsPing: (p) => events.push(['ping', p.toString()]),
    wsPong: (p) => events.push(['pong', p.toString()]),
    wsCloseFrame: (code, reason) => events.push(['close', code, reason]),
    wsProtocolError: (code, reason) => events.push(['error', code, reason]),
  };
  return { r: new WsFrameReader(max), events, sink };
}

describe('WebSocket frame reader (RFC 6455 §5, client frames)', () => {
  it('reads messages split at every byte offset, and several in one read', () => {
    const bytes = Buffer.concat([
      clientFrame(1, 'olá, tomada'),
      clientFrame(2, Buffer.from([0xff, 0x00])),
      clientFrame(1, 'x'.repeat(300)),
    ]);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const { r, events, sink } = reader();
      r.push(bytes.subarray(0, cut), sink);
      r.push(bytes.subarray(cut), sink);
      assert.deepEqual(
        events,
        [
          ['message', 'olá, tomada', false],
          ['message', 'ff00', true],
          ['message', 'x'.repeat(300), false],
        ],
        `cut at ${cut}`,
      );
    }
  });

  it('joins fragments, with control frames between them', () => {
    const { r, events, sink } = reader();
    r.push(
      Buffer.concat([
        clientFrame(1, 'um ', { fin: false }),
        clientFrame(9, 'p'),
        clientFrame(0, 'dois ', { fin: false }),
        clientFrame(10, 'q'),
        clientFrame(0, 'três'),
      ]),
      sink,
    );
    assert.deepEqual(events, [
      ['ping', 'p'],
      ['pong', 'q'],
      ['message', 'um dois três', false],
    ]);
  });

  it('refuses what the protocol forbids with 1002, and reads nothing after', () => {
    const cases: Array<[string, Buffer]> = [
      ['unmasked', clientFrame(1, 'a', { mask: false })],
      ['reserved bits', clientFrame(1, 'a', { rsv: 4 })],
      ['unknown data opcode', clientFrame(3, 'a')],
      ['unknown control opcode', clientFrame(11, 'a')],
      ['control frame over 125 bytes', clientFrame(9, 'p'.repeat(126))],
      ['fragmented control frame', clientFrame(9, 'p', { fin: false })],
      ['continuation without a start', clientFrame(0, 'a')],
      [
        'new message inside a fragmented one',
        Buffer.concat([clientFrame(1, 'a', { fin: false }), clientFrame(1, 'b')]),
      ],
      ['close frame of one byte', clientFrame(8, Buffer.from([3]))],
      ['close code 1005 on the wire', clientFrame(8, Buffer.from([0x03, 0xed]))],
    ];
    for (const [name, bytes] of cases) {
      const { r, events, sink } = reader();
      r.push(Buffer.concat([bytes, clientFrame(1, 'after')]), sink);
      assert.equal(events.length, 1, name);
      assert.deepEqual(events[0]!.slice(0, 2), ['error', 1002], name);
    }
  });

  it('refuses a message over the limit with 1009 from its header, before its payload arrives', () => {
    const { r, events, sink } = reader(100);
    r.push(clientFrame(1, 'x'.repeat(101)).subarray(0, 8), sink);
    assert.deepEqual(events[0]!.slice(0, 2), ['error', 1009]);
    // Fragments count together; a 64-bit length beyond 2^32 is refused too.
    const f = reader(100);
    f.r.push(Buffer.concat([clientFrame(1, 'x'.repeat(60), { fin: false }), clientFrame(0, 'y'.repeat(41))]), f.sink);
    assert.deepEqual(f.events[0]!.slice(0, 2), ['error', 1009]);
    const g = reader(100);
    g.r.push(clientFrame(2, '', { len64: 1n << 40n }), g.sink);
    assert.deepEqual(g.events[0]!.slice(0, 2), ['error', 1009]);
    // Exactly the limit is a message.
    const h = reader(100);
    h.r.push(clientFrame(1, 'z'.repeat(100)), h.sink);
    assert.deepEqual(h.events, [['message', 'z'.repeat(100), false]]);
  });

  it('refuses text that is not UTF-8 with 1007; binary may carry any bytes', () => {
    const { r, events, sink } = reader();
    r.push(clientFrame(2, Buffer.from([0xc3, 0x28])), sink);
    r.push(clientFrame(1, Buffer.from([0x7b, 0xc3, 0x28, 0x7d])), sink);
    assert.deepEqual(events, [
      ['message', 'c328', true],
      ['error', 1007, 'invalid UTF-8'],
    ]);
    // Cut inside a character across two fragments is fine: the whole message is checked.
    const c = reader();
    const e = Buffer.from('é');
    c.r.push(Buffer.concat([clientFrame(1, e.subarray(0, 1), { fin: false }), clientFrame(0, e.subarray(1))]), c.sink);
    assert.deepEqual(c.events, [['message', 'é', false]]);
  });

  it('reports the close frame (1005 when empty) and reads nothing after it', () => {
    const a = reader();
    const payload = Buffer.concat([Buffer.from([0x03, 0xe8]), Buffer.from('tchau')]);
    a.r.push(Buffer.concat([clientFrame(8, payload), clientFrame(1, 'after')]), a.sink);
    assert.deepEqual(a.events, [['close', 1000, 'tchau']]);
    const b = reader();
    b.r.push(clientFrame(8, ''), b.sink);
    assert.deepEqual(b.events, [['close', 1005, '']]);
    assert.equal(b.r.stopped, true);
  });
});
