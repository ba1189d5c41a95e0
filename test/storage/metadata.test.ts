import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryMetadataStore } from '../../src/core/account-metadata.js';
import { SqliteMetadataStore } from '../../src/storage/sqlite-metadata.js';
import { metadataStoreContract } from './metadata-contract.js';

metadataStoreContract('MemoryMetadataStore', () => new MemoryMetadataStore());
metadataStoreContract('SqliteMetadataStore (:memory:)', () => new SqliteMetadataStore(':memory:'));

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
