import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryMetadataStore } from '../../src/core/account-metadata.js';
import { SqliteMetadataStore } from '../../src/storage/sqlite-metadata.js';
import { metadataStoreContract } from './metadata-contract.js';

metadataStoreContract(
  'MemoryMetadataStore',
  () => new MemoryMetadataStore(),
  (s) => s,
);
metadataStoreContract('SqliteMetadataStore (:memory:)', () => new SqliteMetadataStore(':memory:'));
{
  // On disk: a second store on the same directory is the other reader of the same file.
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const byStore = new WeakMap<object, string>();
  metadataStoreContract(
    'SqliteMetadataStore (on disk)',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'tomada-meta-'));
      dirs.push(dir);
      const s = new SqliteMetadataStore(dir);
      byStore.set(s, dir);
      return s;
    },
    (s) => new SqliteMetadataStore(byStore.get(s)!),
  );
}

describe('SqliteMetadataStore on disk', () => {
  it('keeps the keys across a restart, in a file of its own', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tomada-meta-'));
    try {
      const first = new SqliteMetadataStore(dir);
      first.set('ana', 'display-name', 'Ana Lima');
      first.close();
      assert.ok(readdirSync(dir).includes('metadata.sqlite'));
      const again = new SqliteMetadataStore(dir);
      assert.deepEqual(again.all('ana'), [['display-name', 'Ana Lima']]);
      again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
