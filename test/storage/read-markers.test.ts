import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryReadMarkerStore } from '../../src/core/read-markers.js';
import { SqliteReadMarkerStore } from '../../src/storage/sqlite-read-markers.js';
import { readMarkerStoreContract } from './read-marker-contract.js';

readMarkerStoreContract(
  'MemoryReadMarkerStore',
  () => new MemoryReadMarkerStore(),
  (s) => s,
);
readMarkerStoreContract('SqliteReadMarkerStore (:memory:)', () => new SqliteReadMarkerStore(':memory:'));
{
  // On disk: a second store on the same directory is the other reader of the same file.
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const byStore = new WeakMap<object, string>();
  readMarkerStoreContract(
    'SqliteReadMarkerStore (on disk)',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'tomada-rm-'));
      dirs.push(dir);
      const s = new SqliteReadMarkerStore(dir);
      byStore.set(s, dir);
      return s;
    },
    (s) => new SqliteReadMarkerStore(byStore.get(s)!),
  );
}

describe('SqliteReadMarkerStore on disk', () => {
  it('keeps the markers across a restart, in a file of its own', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tomada-rm-'));
    try {
      const first = new SqliteReadMarkerStore(dir);
      first.advance('ana', '#geral', 1234);
      first.close();
      const again = new SqliteReadMarkerStore(dir);
      assert.equal(again.get('ana', '#geral'), 1234);
      again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
