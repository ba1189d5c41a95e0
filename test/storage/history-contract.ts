import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AnyHistoryStore, ChatMessage } from '../../src/core/history.js';

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

/**
 * The behaviour every history adapter must have (memory, SQLite, PostgreSQL). Every answer is awaited, so
 * one suite serves the synchronous stores and the asynchronous ones alike; `make` gives an empty store.
 */
export function historyContract(name: string, make: () => AnyHistoryStore | Promise<AnyHistoryStore>): void {
  describe(`${name}: history contract`, () => {
    it('returns the last N of a room, oldest first, and nothing of other rooms or private messages', async () => {
      const h = await make();
      for (let i = 1; i <= 10; i++) h.append(msg(i, i % 2 ? '#geral' : '#Outra'));
      h.append({ ...msg(11, 'bia'), private: true });
      await h.flush();
      assert.deepEqual(
        (await h.query('#geral', { limit: 3 })).map((m) => m.seq),
        [5, 7, 9],
      );
      assert.deepEqual(
        (await h.query('#outra', { limit: 2 })).map((m) => m.seq),
        [8, 10],
      );
      assert.equal((await h.query('bia', { limit: 10 })).length, 0);
      assert.equal(h.lastSeq(), 10);
      await h.close();
    });

    it('pages before and after a message or a time', async () => {
      const h = await make();
      for (let i = 1; i <= 10; i++) h.append(msg(i));
      await h.flush();
      assert.deepEqual(
        (await h.query('#geral', { before: { seq: 5 }, limit: 2 })).map((m) => m.seq),
        [3, 4],
      );
      assert.deepEqual(
        (await h.query('#geral', { after: { seq: 5 }, limit: 2 })).map((m) => m.seq),
        [6, 7],
      );
      assert.deepEqual(
        (await h.query('#geral', { after: { seq: 2 }, before: { seq: 5 }, limit: 10 })).map((m) => m.seq),
        [3, 4],
      );
      assert.deepEqual(
        (await h.query('#geral', { after: { time: 1_008 }, limit: 10 })).map((m) => m.seq),
        [9, 10],
      );
      assert.deepEqual(
        (await h.query('#geral', { before: { time: 1_002 }, limit: 10 })).map((m) => m.seq),
        [1],
      );
      await h.close();
    });

    it('keeps every field', async () => {
      const h = await make();
      const m: ChatMessage = { ...msg(1), text: 'olá 🎉 <b>', kind: 'action' };
      h.append(m);
      await h.flush();
      assert.deepEqual((await h.query('#geral', { limit: 1 }))[0], m);
      assert.deepEqual(await h.rooms(10), ['#geral']);
      await h.close();
    });

    it('commits flushes in the order they were called, each with what was appended before it', async () => {
      const h = await make();
      for (let i = 1; i <= 5; i++) h.append(msg(i));
      const first = h.flush();
      for (let i = 6; i <= 9; i++) h.append(msg(i, i % 2 ? '#geral' : '#outra'));
      const second = h.flush();
      const third = h.flush(); // nothing new: settles with the others
      const order: string[] = [];
      await Promise.all([
        Promise.resolve(first).then(() => order.push('first')),
        Promise.resolve(second).then(() => order.push('second')),
        Promise.resolve(third),
      ]);
      assert.deepEqual(order, ['first', 'second']);
      assert.deepEqual(
        (await h.query('#geral', { limit: 10 })).map((m) => m.seq),
        [1, 2, 3, 4, 5, 7, 9],
      );
      assert.deepEqual(
        (await h.query('#outra', { after: { seq: 0 }, limit: 10 })).map((m) => m.seq),
        [6, 8],
      );
      assert.equal(h.lastSeq(), 9);
      await h.close();
    });
  });
}
