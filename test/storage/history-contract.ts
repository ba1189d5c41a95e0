import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AnyHistoryStore, ChatMessage, SearchQuery } from '../../src/core/history.js';

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
      const m: ChatMessage = { ...msg(1), text: 'olá 🎉 <b>', kind: 'action', account: 'ana' };
      h.append(m);
      h.append(msg(2));
      await h.flush();
      assert.deepEqual(await h.query('#geral', { limit: 2 }), [m, msg(2)], 'the account when there was one');
      assert.deepEqual(await h.rooms(10), ['#geral']);
      await h.close();
    });

    it('keeps texts as they were: quotes, backslashes, line feeds, separators, JSON', async () => {
      const h = await make();
      const texts = [
        'aspas "duplas" e \\ barra',
        "apóstrofo ' simples",
        'linha\nnova',
        'sep \u2028 \u2029',
        '{"a": [1, 2]}',
      ];
      const sent = texts.map((text, i) => ({ ...msg(i + 1), text }));
      for (const m of sent) h.append(m);
      await h.flush();
      assert.deepEqual(await h.query('#geral', { limit: 10 }), sent);
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

    it('removes one message (a redaction): gone from paging, search and the room, the others kept', async () => {
      const h = await make();
      for (let i = 1; i <= 4; i++) h.append({ ...msg(i), text: `gato ${i}` });
      h.append(msg(5, '#outra'));
      await h.flush();
      assert.equal(await h.remove('#geral', 2), true);
      assert.equal(await h.remove('#geral', 2), false, 'already gone');
      assert.equal(await h.remove('#geral', 5), false, 'another room: not this one to delete');
      assert.deepEqual(
        (await h.query('#geral', { limit: 10 })).map((m) => m.seq),
        [1, 3, 4],
      );
      assert.deepEqual(
        (await h.query('#geral', { after: { seq: 1 }, limit: 1 })).map((m) => m.seq),
        [3],
      );
      assert.deepEqual(
        (await h.search({ rooms: ['#geral'], text: 'gato', limit: 10 })).map((m) => m.seq),
        [1, 3, 4],
      );
      assert.equal((await h.query('#outra', { limit: 10 })).length, 1);
      await h.close();
    });

    it('a message appended and removed in the same turn is gone once flushed', async () => {
      const h = await make();
      h.append(msg(1));
      h.append(msg(2));
      assert.equal(await h.remove('#geral', 2), true);
      await h.flush();
      assert.deepEqual(
        (await h.query('#geral', { limit: 10 })).map((m) => m.seq),
        [1],
      );
      await h.close();
    });

    it('searches whole words in any case, only in the rooms given, newest matches oldest first', async () => {
      const h = await make();
      const texts = [
        'O gato subiu no telhado',
        'cachorro late',
        'GATO preto',
        'gatos são muitos', // not the word "gato"
        'um gato e um rato',
      ];
      texts.forEach((text, i) => h.append({ ...msg(i + 1), text, from: i === 4 ? 'Bia' : 'ana' }));
      h.append({ ...msg(6, '#secreta'), text: 'o gato secreto' });
      h.append({ ...msg(7, 'bia'), private: true, text: 'gato privado' });
      await h.flush();
      const ids = async (q: Partial<SearchQuery>) =>
        (await h.search({ rooms: ['#geral'], text: 'gato', limit: 10, ...q })).map((m) => m.seq);
      assert.deepEqual(await ids({}), [1, 3, 5]);
      assert.deepEqual(await ids({ limit: 2 }), [3, 5], 'the newest two');
      assert.deepEqual(await ids({ rooms: ['#geral', '#secreta'] }), [1, 3, 5, 6]);
      assert.deepEqual(await ids({ rooms: [] }), []);
      assert.deepEqual(await ids({ text: 'gato rato' }), [5], 'every word');
      assert.deepEqual(await ids({ text: '"gato preto"' }), [3], 'a phrase');
      assert.deepEqual(await ids({ text: '"preto gato"' }), [], 'a phrase in its order');
      assert.deepEqual(await ids({ from: 'bia' }), [5], 'by sender, any case');
      assert.deepEqual(await ids({ after: 1_003, before: 1_005 }), [3, 5], 'times, inclusive');
      assert.deepEqual(await ids({ text: 'TELHADO' }), [1]);
      assert.deepEqual(await ids({ text: 'nada' }), []);
      const found = (await h.search({ rooms: ['#geral'], text: 'telhado', limit: 1 }))[0];
      assert.deepEqual(found, { ...msg(1), text: 'O gato subiu no telhado' }, 'the whole message');
      await h.close();
    });

    it('takes any text as a search without an error: quotes, operators, punctuation, nothing', async () => {
      const h = await make();
      h.append({ ...msg(1), text: 'preço: 10 "reais" (NOT) AND * OR' });
      await h.flush();
      for (const text of ['"', '""', 'NOT', 'AND OR', '*', '(', 'preço:', '-', 'a"b', ':', '   ', "'", '\\']) {
        const found = await h.search({ rooms: ['#geral'], text, limit: 5 });
        assert.ok(Array.isArray(found), text);
      }
      assert.deepEqual(
        (await h.search({ rooms: ['#geral'], text: 'reais', limit: 5 })).map((m) => m.seq),
        [1],
      );
      await h.close();
    });

    it('keeps reactions with their message, once each, oldest first; not to a missing message; gone with it', async () => {
      const h = await make();
      h.append(msg(1));
      h.react('#geral', 1, { nick: 'bia', emoji: '👍', time: 2_000 }); // same flush as its message
      await h.flush();
      h.append(msg(2));
      h.react('#geral', 1, { nick: 'caio', emoji: '🎉', time: 2_001 });
      h.react('#geral', 1, { nick: 'bia', emoji: '👍', time: 2_002 }); // twice: kept once
      h.react('#outra', 2, { nick: 'bia', emoji: '👍', time: 2_003 }); // not that room's message
      h.react('#geral', 99, { nick: 'bia', emoji: '👍', time: 2_004 }); // no such message
      await h.flush();
      const [one, two] = await h.query('#geral', { limit: 10 });
      assert.deepEqual(one, {
        ...msg(1),
        reactions: [
          { nick: 'bia', emoji: '👍' },
          { nick: 'caio', emoji: '🎉' },
        ],
      });
      assert.deepEqual(two, msg(2), 'no reactions: no field');
      assert.equal(await h.remove('#geral', 1), true);
      h.append(msg(3));
      await h.flush();
      assert.deepEqual(
        (await h.query('#geral', { limit: 10 })).map((m) => m.reactions),
        [undefined, undefined],
      );
      await h.close();
    });
  });
}
