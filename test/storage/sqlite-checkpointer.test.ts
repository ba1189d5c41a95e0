import assert from 'node:assert/strict';
import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ChatMessage } from '../../src/core/history.js';
import { BACKSTOP_FRAMES, WalCheckpointer } from '../../src/storage/sqlite-checkpointer.js';
import { SqliteHistory } from '../../src/storage/sqlite.js';
import { tempDirs } from '../helpers/temp-dirs.js';

const tempDir = tempDirs('tomada-wal-');

const msg = (seq: number): ChatMessage => ({
  seq,
  id: String(seq),
  time: 1_700_000_000_000 + seq,
  target: '#geral',
  private: false,
  from: 'ana',
  fromMask: 'ana!line@127.0.0.1',
  text: `olá ${seq}`,
  kind: 'message',
});

/** The WAL header's checkpoint sequence: it goes up each time the WAL starts over after a checkpoint. */
function walCheckpointSeq(dir: string): number {
  const b = Buffer.alloc(32);
  const fd = openSync(join(dir, 'history.sqlite-wal'), 'r');
  try {
    readSync(fd, b, 0, 32, 0);
  } finally {
    closeSync(fd);
  }
  return b.readUInt32BE(12);
}

describe('SqliteHistory: the WAL checkpointed by a worker thread', () => {
  it('a store written to hands its checkpoints to a worker; the commits no longer checkpoint', async () => {
    const dir = tempDir();
    const h = new SqliteHistory(dir);
    let seq = 0;
    try {
      const commit = () => {
        h.append(msg(++seq));
        h.flush();
      };
      assert.equal(h.checkpointer === undefined, true, 'no thread for a store nobody writes to');
      for (let i = 0; i < 40; i++) commit();
      const worker = h.checkpointer;
      assert.ok(worker, 'started after the first commits');
      assert.equal(h.db.pragma('wal_autocheckpoint', { simple: true }), BACKSTOP_FRAMES);
      // The WAL starts over only after a checkpoint. The commits' own would come after ~1,000 frames
      // (SQLite's default) or BACKSTOP_FRAMES: a few frames each, so not within these 150 commits.
      const before = walCheckpointSeq(dir);
      let restartedAfter = 0;
      for (let i = 1; i <= 150 && restartedAfter === 0; i++) {
        commit();
        await new Promise((r) => setTimeout(r, 20)); // the worker checkpoints every 100 ms
        if (walCheckpointSeq(dir) !== before) restartedAfter = i;
      }
      assert.ok(restartedAfter > 0, 'the worker checkpointed and the WAL started over');
      commit();
      const r = await worker.checkpoint();
      assert.ok(r.log > 0, 'a commit since the WAL started over');
      assert.equal(r.checkpointed, r.log, 'every frame is in the database file');
    } finally {
      h.close();
    }
    const again = new SqliteHistory(dir);
    try {
      assert.equal(again.lastSeq(), seq, 'every row there after close');
    } finally {
      again.close();
    }
  });

  it('a worker that cannot open the database is reported, and nothing else breaks', async () => {
    const errors: Error[] = [];
    const reported = new Promise<void>((resolve) => {
      const c = new WalCheckpointer(join(tempDir(), 'nao-existe.sqlite'), (err) => {
        errors.push(err);
        resolve();
      });
      void c.checkpoint().catch(() => undefined);
    });
    await reported;
    assert.match(String(errors[0]?.message), /unable to open|does not exist|no such file/i);
  });
});
