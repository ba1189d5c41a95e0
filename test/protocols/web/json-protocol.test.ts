import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { encode, parseClientMessage, wireMessage } from '../../../src/protocols/web/json-protocol.js';

describe('web JSON protocol (pure)', () => {
  it('accepts every client message type', () => {
    const ok = [
      { type: 'hello', nick: 'ana', lang: 'pt-BR', resume: 'tok' },
      { type: 'nick', nick: 'ana2', ref: 1 },
      { type: 'join', room: '#geral', after: '42' },
      { type: 'part', room: '#geral', reason: 'tchau' },
      { type: 'message', target: '#geral', text: 'oi', kind: 'action', ref: 'r1' },
      { type: 'history', room: '#geral', before: '10', limit: 50 },
      { type: 'topic', room: '#geral', text: '' },
      { type: 'rooms' },
      { type: 'who', room: '#geral' },
      { type: 'lang', lang: 'pt-BR', ref: 4 },
      { type: 'ping', ref: 3 },
      { type: 'quit' },
    ];
    for (const m of ok) {
      const r = parseClientMessage(JSON.stringify(m));
      assert.ok(r.ok, JSON.stringify(r));
      assert.deepEqual(r.message, m);
    }
  });

  it('refuses bad messages with a detail and the ref when there is one', () => {
    assert.deepEqual(parseClientMessage('nope'), { ok: false, ref: undefined, detail: 'not JSON' });
    const cases: Array<[unknown, string]> = [
      [{ type: 'shout', ref: 9 }, 'type'],
      [{ type: 'message', target: '#a', text: '', ref: 9 }, 'text'],
      [{ type: 'message', target: '#a', text: 'x'.repeat(4001), ref: 9 }, 'text'],
      [{ type: 'join', room: '#a', after: '1 OR 1=1', ref: 9 }, 'after'],
      [{ type: 'history', room: '#a', limit: 1000, ref: 9 }, 'limit'],
    ];
    for (const [value, path] of cases) {
      const r = parseClientMessage(JSON.stringify(value));
      assert.equal(r.ok, false);
      if (!r.ok) {
        assert.equal(r.ref, 9);
        assert.match(r.detail, new RegExp(`^${path}`));
      }
    }
    const noRef = parseClientMessage('[1,2]');
    assert.equal(noRef.ok, false);
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (s) => {
        const r = parseClientMessage(s);
        assert.equal(typeof r.ok, 'boolean');
      }),
      { numRuns: 500 },
    );
  });

  it('encodes server messages as one line of JSON, text kept as text', () => {
    const m = wireMessage({
      seq: 5,
      id: '5',
      time: 1000,
      target: '#geral',
      private: false,
      from: 'ana',
      fromMask: 'ana!web@127.0.0.1',
      text: '<script>alert(1)</script>\nlinha',
      kind: 'message',
    });
    const s = encode({ type: 'message', time: 1000, message: m });
    assert.ok(!s.includes('\n'));
    assert.equal((JSON.parse(s) as { message: { text: string } }).message.text, '<script>alert(1)</script>\nlinha');
    assert.equal('fromMask' in m, false);
  });
});
