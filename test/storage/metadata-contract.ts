import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { MetadataStore } from '../../src/core/account-metadata.js';

type Maybe<T> = T | Promise<T>;

/**
 * Every account-metadata store passes this; `make()` gives an empty one. `twin(store)` opens another
 * store on the same place (another node on the same database; the same object for a store that is only
 * memory), when there can be one.
 */
export function metadataStoreContract(
  name: string,
  make: () => Maybe<MetadataStore>,
  twin?: (s: MetadataStore) => Maybe<MetadataStore>,
): void {
  describe(`${name}: metadata store contract`, () => {
    it('has no keys at first, keeps them per account in the order first set', async () => {
      const s = await make();
      await Promise.all([s.load('ana'), s.load('bia'), s.load('caio')]);
      assert.deepEqual(s.all('ana'), []);
      s.set('ana', 'display-name', 'Ana Lima');
      s.set('ana', 'avatar', 'https://example.org/ana.png');
      s.set('bia', 'display-name', 'Bia');
      assert.deepEqual(s.all('ana'), [
        ['display-name', 'Ana Lima'],
        ['avatar', 'https://example.org/ana.png'],
      ]);
      assert.deepEqual(s.all('bia'), [['display-name', 'Bia']]);
      assert.deepEqual(s.all('caio'), []);
      await s.written();
      await s.close();
    });

    it('replaces a value in place, and removes a key', async () => {
      const s = await make();
      await s.load('ana');
      s.set('ana', 'display-name', 'Ana');
      s.set('ana', 'avatar', 'https://example.org/a.png');
      s.set('ana', 'display-name', 'Ana Lima');
      assert.deepEqual(s.all('ana'), [
        ['display-name', 'Ana Lima'],
        ['avatar', 'https://example.org/a.png'],
      ]);
      s.set('ana', 'display-name', undefined);
      s.set('ana', 'never-set', undefined);
      assert.deepEqual(s.all('ana'), [['avatar', 'https://example.org/a.png']]);
      s.set('ana', 'avatar', undefined);
      assert.deepEqual(s.all('ana'), []);
      await s.written();
      await s.close();
    });

    it("learns another node's keys for an account it holds", async () => {
      const s = await make();
      await s.load('ana');
      s.hold('ana');
      s.learn('ana', 'display-name', 'Ana');
      s.learn('ana', 'avatar', 'https://example.org/a.png');
      s.learn('ana', 'display-name', undefined);
      assert.deepEqual(s.all('ana'), [['avatar', 'https://example.org/a.png']]);
      s.release('ana');
      await s.close();
    });

    if (twin) {
      it('another store on the same place loads what this one wrote, in the order first set', async () => {
        const s = await make();
        await s.load('ana');
        s.hold('ana');
        s.set('ana', 'display-name', 'Ana');
        s.set('ana', 'avatar', 'https://example.org/a.png');
        s.set('ana', 'pronouns', 'ela');
        // Removed and set again: after the others now.
        s.set('ana', 'display-name', undefined);
        s.set('ana', 'display-name', 'Ana Lima');
        s.set('ana', 'pronouns', undefined);
        const expected = [
          ['avatar', 'https://example.org/a.png'],
          ['display-name', 'Ana Lima'],
        ];
        assert.deepEqual(s.all('ana'), expected);
        await s.written();
        const t = await twin(s);
        await t.load('ana');
        assert.deepEqual(t.all('ana'), expected);
        t.set('ana', 'avatar', 'https://example.org/b.png');
        await t.written();
        await s.load('ana');
        assert.deepEqual(s.all('ana'), [
          ['avatar', 'https://example.org/b.png'],
          ['display-name', 'Ana Lima'],
        ]);
        if (t !== s) await t.close();
        await s.close();
      });
    }
  });
}
