import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { MemoryHistory } from '../../src/core/history.js';
import { SqliteHistory } from '../../src/storage/sqlite.js';
import { historyContract } from './history-contract.js';
import { tempDirs } from '../helpers/temp-dirs.js';

historyContract('MemoryHistory', () => new MemoryHistory());
historyContract('SqliteHistory (:memory:)', () => new SqliteHistory(':memory:'));
const tempDir = tempDirs('tomada-h-');
historyContract('SqliteHistory (file)', () => new SqliteHistory(tempDir()));

describe('SqliteHistory on disk', () => {
  it('writes in WAL mode and keeps rows across reopen', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tomada-h-'));
    try {
      const h = new SqliteHistory(dir);
      assert.equal(h.db.pragma('journal_mode', { simple: true }), 'wal');
      h.append({
        seq: 7,
        id: '7',
        time: 1,
        target: '#a',
        private: false,
        from: 'x',
        fromMask: 'x!y@z',
        text: 't',
        kind: 'message',
      });
      h.flush();
      // Another connection sees the committed row straight away (no close needed).
      const other = new Database(join(dir, 'history.sqlite'), { readonly: true });
      assert.deepEqual(other.prepare('SELECT seq, room, text FROM messages').all(), [
        { seq: 7, room: '#a', text: 't' },
      ]);
      other.close();
      h.close();
      const again = new SqliteHistory(dir);
      assert.equal(again.lastSeq(), 7);
      again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('indexes for search the messages of a database made before the search index, once, on open, and adds the account column', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tomada-h-'));
    try {
      const old = new Database(join(dir, 'history.sqlite'));
      old.exec(`CREATE TABLE messages (seq INTEGER PRIMARY KEY, time INTEGER NOT NULL, room TEXT NOT NULL,
        room_key TEXT NOT NULL, sender TEXT NOT NULL, sender_mask TEXT NOT NULL, text TEXT NOT NULL, kind TEXT NOT NULL)`);
      old
        .prepare('INSERT INTO messages VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(3, 1, '#a', '#a', 'x', 'x!y@z', 'bom dia', 'message');
      old.close();
      const h = new SqliteHistory(dir);
      assert.deepEqual(
        h.search({ rooms: ['#a'], text: 'dia', limit: 5 }).map((m) => m.seq),
        [3],
      );
      // The sender's account column is added too: a new message keeps it, the old one has none.
      h.append({
        seq: 4,
        id: '4',
        time: 2,
        target: '#a',
        private: false,
        from: 'x',
        fromMask: 'x!y@z',
        text: 'oi',
        kind: 'message',
        account: 'x',
      });
      h.flush();
      assert.deepEqual(
        h.query('#a', { limit: 5 }).map((m) => m.account),
        [undefined, 'x'],
      );
      h.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
