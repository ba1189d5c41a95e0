import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ReadMarkerStore } from '../../src/core/read-markers.js';

type Maybe<T> = T | Promise<T>;

/**
 * Every read-marker store passes this; `make()` gives an empty one. `twin(store)` opens another store on
 * the same place (another node on the same database; the same object for a store that is only memory),
 * when there can be one.
 */
export function readMarkerStoreContract(
  name: string,
  make: () => Maybe<ReadMarkerStore>,
  twin?: (s: ReadMarkerStore) => Maybe<ReadMarkerStore>,
): void {
  describe(`${name}: read-marker store contract`, () => {
    it('has no marker at first, keeps one per account and target', async () => {
      const s = await make();
      await Promise.all([s.load('ana'), s.load('caio')]);
      assert.equal(s.get('ana', '#geral'), undefined);
      assert.equal(s.advance('ana', '#geral', 1000), 1000);
      assert.equal(s.advance('ana', 'bia', 500), 500);
      assert.equal(s.advance('caio', '#geral', 2000), 2000);
      assert.equal(s.get('ana', '#geral'), 1000);
      assert.equal(s.get('ana', 'bia'), 500);
      assert.equal(s.get('caio', '#geral'), 2000);
      assert.equal(s.get('caio', 'bia'), undefined);
      await s.written();
      await s.close();
    });

    it('only moves forward: an earlier time leaves the stored one and returns it', async () => {
      const s = await make();
      await s.load('ana');
      s.advance('ana', '#geral', 5000);
      assert.equal(s.advance('ana', '#geral', 4000), 5000);
      assert.equal(s.get('ana', '#geral'), 5000);
      assert.equal(s.advance('ana', '#geral', 6000), 6000);
      assert.equal(s.get('ana', '#geral'), 6000);
      await s.close();
    });

    it("learns another node's marker for an account it holds, forward only", async () => {
      const s = await make();
      await s.load('ana');
      s.hold('ana');
      assert.equal(s.learn('ana', '#geral', 3000), 3000);
      assert.equal(s.get('ana', '#geral'), 3000);
      assert.equal(s.learn('ana', '#geral', 2000), 3000);
      assert.equal(s.get('ana', '#geral'), 3000);
      s.release('ana');
      await s.close();
    });

    if (twin) {
      it('another store on the same place loads what this one wrote; a load never moves a marker back', async () => {
        const s = await make();
        await s.load('ana');
        s.hold('ana');
        s.advance('ana', '#geral', 1000);
        s.advance('ana', 'bia', 700);
        await s.written();
        const t = await twin(s);
        await t.load('ana');
        assert.equal(t.get('ana', '#geral'), 1000);
        assert.equal(t.get('ana', 'bia'), 700);
        t.advance('ana', '#geral', 4000);
        await t.written();
        // Here a later one, not yet written: reading the account again keeps it.
        s.advance('ana', 'bia', 9000);
        await s.load('ana');
        assert.equal(s.get('ana', '#geral'), 4000);
        assert.equal(s.get('ana', 'bia'), 9000);
        await s.written();
        if (t !== s) await t.close();
        await s.close();
      });
    }
  });
}
