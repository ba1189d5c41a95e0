import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ircProtocol, lineProtocol, wsProtocol, type HandshakeIo } from '../../src/bench/protocols.js';

/** A handshake recorder: what the client sent, whether it became ready. */
function io(noJoin: boolean, room = '#bench'): HandshakeIo & { sent: string[]; isReady: boolean; failed?: string } {
  const r = {
    noJoin,
    room,
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

  it('line: moves to its own room (#bench), ready once the door says it is in; --no-join: /part', () => {
    const joined = io(false);
    lineProtocol.line('Conectado ao servidor!', 'b1', joined, false);
    assert.deepEqual(joined.sent, ['/join #bench\n']);
    assert.equal(joined.isReady, false);
    // The default room's replay and join line are not the bench's room.
    lineProtocol.line('[2026-01-01 10:00] ana: oi', 'b1', joined, false);
    lineProtocol.line('* You are in #geral (3 online). Type /help for commands.', 'b1', joined, false);
    assert.equal(joined.isReady, false);
    lineProtocol.line('* You are in #bench (1 online). Type /help for commands.', 'b1', joined, false);
    assert.equal(joined.isReady, true);
    const other = io(false, '#carga');
    lineProtocol.line('Conectado ao servidor!', 'b1', other, false);
    assert.deepEqual(other.sent, ['/join #carga\n']);
    const roomless = io(false, '');
    lineProtocol.line('Conectado ao servidor!', 'b1', roomless, false);
    assert.deepEqual(roomless.sent, []);
    assert.equal(roomless.isReady, true);
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

  it('ws: hello, join #bench after welcome, ready on joined; --no-join is ready on welcome', () => {
    const c = io(false);
    wsProtocol.connected('b1', c);
    wsProtocol.line('{"type":"welcome","nick":"b1","token":"t","server":"s","room":"#geral","time":1}', 'b1', c, false);
    assert.deepEqual(c.sent, ['{"type":"hello","nick":"b1"}', '{"type":"join","room":"#bench"}']);
    assert.equal(c.isReady, false);
    wsProtocol.line('{"type":"joined","room":"#bench","members":[],"history":[],"more":false}', 'b1', c, false);
    assert.equal(c.isReady, true);
    const idle = io(true);
    wsProtocol.connected('b2', idle);
    wsProtocol.line('{"type":"welcome","nick":"b2"}', 'b2', idle, false);
    assert.deepEqual(idle.sent, ['{"type":"hello","nick":"b2"}']);
    assert.equal(idle.isReady, true);
    const refused = io(false);
    wsProtocol.line('{"type":"error","code":"NICK_IN_USE","text":"taken"}', 'b3', refused, false);
    assert.equal(refused.failed, 'NICK_IN_USE: taken');
  });

  it('ws: finds the text of a chat message without parsing it, ignores other messages', () => {
    const frame = Buffer.from(
      '{"type":"message","time":1,"message":{"id":"7","time":1,"target":"#bench","from":"b0","text":"%b0.1.2.abc","kind":"message","private":false}}',
    );
    const at = wsProtocol.messageText!(frame);
    assert.equal(frame.toString('latin1', at, frame.indexOf('"', at)), '%b0.1.2.abc');
    const joined = Buffer.from('{"type":"joined","room":"#bench","history":[{"id":"1","text":"%b0.1.2.abc"}]}');
    assert.equal(wsProtocol.messageText!(joined), -1);
    assert.equal(wsProtocol.messageText!(Buffer.from('{"type":"error","code":"FLOOD","text":"x"}')), -1);
    assert.equal(
      wsProtocol.sendPrefix.toString() + 'P' + wsProtocol.sendSuffix.toString(),
      '{"type":"message","target":"#bench","text":"P"}',
    );
  });
});
