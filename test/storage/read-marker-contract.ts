import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ReadMarkerStore } from '../../src/core/read-markers.js';

/** Every read-marker store passes this; `make()` gives an empty one. */
export function readMarkerStoreContract(name: string, make: () => ReadMarkerStore): void {
  describe(`${name}: read-marker store contract`, () => {
    it('has no marker at first, keeps one per account and target', () => {
      const s = make();
      assert.equal(s.get('ana', '#geral'), undefined);
      assert.equal(s.advance('ana', '#geral', 1000), 1000);
      assert.equal(s.advance('ana', 'bia', 500), 500);
      assert.equal(s.advance('caio', '#geral', 2000), 2000);
      assert.equal(s.get('ana', '#geral'), 1000);
      assert.equal(s.get('ana', 'bia'), 500);
      assert.equal(s.get('caio', '#geral'), 2000);
      assert.equal(s.get('caio', 'bia'), undefined);
      s.close();
    });

    it('only moves forward: an earlier time leaves the stored one and returns it', () => {
      const s = make();
      s.advance('ana', '#geral', 5000);
      assert.equal(s.advance('ana', '#geral', 4000), 5000);
      assert.equal(s.get('ana', '#geral'), 5000);
      assert.equal(s.advance('ana', '#geral', 6000), 6000);
      assert.equal(s.get('ana', '#geral'), 6000);
      s.close();
    });
  });
}
