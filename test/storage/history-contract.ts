import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatMessage, HistoryStore } from '../../src/core/history.js';

function msg(seq: number, target = '#geral', time = 1_000 + seq): ChatMessage {
  return {
    seq,
    id: String(seq),
    time,
    target,
    private: false,
    from: 'ana',
    fromMask: 'ana!line@127.0.0.1',
    text: `m${seq}`,
    kind: 'message',
  };
}

/** The behaviour every history adapter must have (memory, SQLite, …). */
export function historyContract(name: string, make: () => HistoryStore): void {
  describe(`${name}: history contract`, () => {
    it('returns the last N of a room, oldest first, and nothing of other rooms or private messages', () => {
      const h = make();
      for (let i = 1; i <= 10; i++) h.append(msg(i, i % 2 ? '#geral' : '#Outra'));
      h.append({ ...msg(11, 'bia'), private: true });
      h.flush();
      assert.deepEqual(
        h.query('#geral', { limit: 3 }).map((m) => m.seq),
        [5, 7, 9],
      );
      assert.deepEqual(
        h.query('#outra', { limit: 2 }).map((m) => m.seq),
        [8, 10],
      );
      assert.equal(h.query('bia', { limit: 10 }).length, 0);
      assert.equal(h.lastSeq(), 10);
      h.close();
    });

    it('pages before and after a message or a time', () => {
      const h = make();
      for (let i = 1; i <= 10; i++) h.append(msg(i));
      h.flush();
      assert.deepEqual(
        h.query('#geral', { before: { seq: 5 }, limit: 2 }).map((m) => m.seq),
        [3, 4],
      );
      assert.deepEqual(
        h.query('#geral', { after: { seq: 5 }, limit: 2 }).map((m) => m.seq),
        [6, 7],
      );
      assert.deepEqual(
        h.query('#geral', { after: { seq: 2 }, before: { seq: 5 }, limit: 10 }).map((m) => m.seq),
        [3, 4],
      );
      assert.deepEqual(
        h.query('#geral', { after: { time: 1_008 }, limit: 10 }).map((m) => m.seq),
        [9, 10],
      );
      assert.deepEqual(
        h.query('#geral', { before: { time: 1_002 }, limit: 10 }).map((m) => m.seq),
        [1],
      );
      h.close();
    });

    it('keeps every field', () => {
      const h = make();
      const m: ChatMessage = { ...msg(1), text: 'olá 🎉 <b>', kind: 'action' };
      h.append(m);
      h.flush();
      assert.deepEqual(h.query('#geral', { limit: 1 })[0], m);
      assert.deepEqual(h.rooms(10), ['#geral']);
      h.close();
    });
  });
}
