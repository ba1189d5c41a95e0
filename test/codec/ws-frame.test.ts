import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EventEmitter } from 'node:events';
import * as ws from 'ws';
import { frameLines, frameText, headerLength, OPCODE_BINARY } from '../../src/codec/ws-frame.js';

/** `ws`'s frame parser (exported, but not in @types/ws). */
interface FrameReader extends EventEmitter {
  write(chunk: Buffer): boolean;
}
const { Receiver } = ws as unknown as {
  Receiver: new (options: { isServer: boolean; maxPayload: number }) => FrameReader;
};

/** What a WebSocket client (the `ws` package's own frame parser) reads from `bytes`. */
function read(bytes: Buffer): Array<{ text: string; binary: boolean }> {
  const out: Array<{ text: string; binary: boolean }> = [];
  const receiver = new Receiver({ isServer: false, maxPayload: 1 << 24 });
  receiver.on('message', (data: Buffer, binary: boolean) => out.push({ text: data.toString('utf8'), binary }));
  receiver.on('error', (err: Error) => assert.fail(err));
  receiver.write(bytes);
  return out;
}

describe('WebSocket server frames', () => {
  it('frames texts of every length class exactly as a client reads them (7-, 16- and 64-bit lengths)', () => {
    for (const n of [0, 1, 125, 126, 127, 65535, 65536, 70000]) {
      const text = 'x'.repeat(n);
      const f = frameText(text);
      assert.equal(f.length, headerLength(n) + n, `length ${n}`);
      assert.equal(f[0], 0x81, 'FIN + text, no RSV bits');
      assert.equal(f[1]! & 0x80, 0, 'a server never masks');
      assert.deepEqual(read(f), [{ text, binary: false }], `length ${n}`);
    }
  });

  it('counts UTF-8 bytes, not characters', () => {
    const text = 'olá, 世界 🎉'.repeat(20);
    assert.deepEqual(read(frameText(text)), [{ text, binary: false }]);
  });

  it('turns CRLF lines into one message each, without the line ending, all in one buffer', () => {
    const lines = Buffer.from(':a PRIVMSG #r :um\r\n:b PRIVMSG #r :dois\n\r\n' + 'y'.repeat(300) + '\r\n');
    assert.deepEqual(read(frameLines(lines)), [
      { text: ':a PRIVMSG #r :um', binary: false },
      { text: ':b PRIVMSG #r :dois', binary: false },
      { text: 'y'.repeat(300), binary: false },
    ]);
    assert.deepEqual(read(frameLines(Buffer.from('PING :x\r\n'), OPCODE_BINARY)), [{ text: 'PING :x', binary: true }]);
    assert.equal(frameLines(Buffer.from('\r\n\n')).length, 0);
  });
});
