import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { MetadataStore } from '../../src/core/account-metadata.js';

/** Every account-metadata store passes this; `make()` gives an empty one. */
export function metadataStoreContract(name: string, make: () => MetadataStore): void {
  describe(`${name}: metadata store contract`, () => {
    it('has no keys at first, keeps them per account in the order first set', () => {
      const s = make();
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
      s.close();
    });

    it('replaces a value in place, and removes a key', () => {
      const s = make();
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
      s.close();
    });
  });
}
