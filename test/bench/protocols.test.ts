import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ircProtocol, lineProtocol, type HandshakeIo } from '../../src/bench/protocols.js';

/** A handshake recorder: what the client sent, whether it became ready. */
function io(noJoin: boolean): HandshakeIo & { sent: string[]; isReady: boolean; failed?: string } {
  const r = {
    noJoin,
    sent: [] as string[],
    isReady: false,
    failed: undefined as string | undefined,
    send(text: string) {
      r.sent.push(text);
    },
    ready() {
      r.isReady = true;
    },
    fail(reason: string) {
      r.failed = reason;
    },
  };
  return r;
}

describe('bench protocol adapters', () => {
  it('IRC: joins #bench after the welcome and is ready at the end of NAMES', () => {
    const c = io(false);
    ircProtocol.connected('b1', c);
    ircProtocol.line(':srv 001 b1 :Welcome', 'b1', c, false);
    assert.deepEqual(c.sent, ['NICK b1\r\nUSER u 0 * :tomada bench\r\n', 'JOIN #bench\r\n']);
    assert.equal(c.isReady, false);
    ircProtocol.line(':srv 366 b1 #bench :End of /NAMES list.', 'b1', c, false);
    assert.equal(c.isReady, true);
  });

  it('IRC --no-join: never joins, ready at the end of the MOTD (or without one)', () => {
    for (const end of ['376', '422']) {
      const c = io(true);
      ircProtocol.connected('b1', c);
      ircProtocol.line(':srv 001 b1 :Welcome', 'b1', c, false);
      assert.equal(c.isReady, false);
      ircProtocol.line(`:srv ${end} b1 :End`, 'b1', c, false);
      assert.equal(c.isReady, true);
      assert.ok(!c.sent.some((s) => s.startsWith('JOIN')), end);
    }
  });

  it('line --no-join: leaves the room with /part once connected', () => {
    const joined = io(false);
    lineProtocol.line('Conectado ao servidor!', 'b1', joined, false);
    assert.deepEqual(joined.sent, []);
    assert.equal(joined.isReady, true);
    const idle = io(true);
    lineProtocol.line('Conectado ao servidor!', 'b1', idle, false);
    assert.deepEqual(idle.sent, ['/part\n']);
    assert.equal(idle.isReady, true);
  });

  it('after registration only PING reaches the adapter (no string per notice)', () => {
    const b = Buffer.from('PING :x\nb2 entrou no chat!\n');
    assert.equal(ircProtocol.wantsAfterRegistration(b, 0, 7), true);
    assert.equal(ircProtocol.wantsAfterRegistration(b, 8, b.length - 1), false);
    assert.equal(lineProtocol.wantsAfterRegistration(b, 0, 7), false);
  });
});
