import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the worker checkpoints (ms): the WAL then holds about this long's commits. */
export const CHECKPOINT_EVERY_MS = 100;

/**
 * The main connection's own checkpoint, once the worker checkpoints: only when the WAL reaches this many
 * frames (a worker that fell behind, or died). Below 4,096: the WAL's index grows by a block at every
 * 4,096 frames, a stall of its own (8–35 ms measured).
 */
export const BACKSTOP_FRAMES = 4_000;

/** SQLite's answer to `PRAGMA wal_checkpoint`: frames in the WAL, and how many of them are in the database. */
export interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

// Plain CommonJS evaluated in the worker (no file to find from src/ under tsx or from dist/). It opens
// its own connection to the same file and checkpoints it, PASSIVE: it never waits for, nor blocks, the
// main connection's writes.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.lib);
const text = (err) => String((err && err.message) || err);
let db;
try {
  db = new Database(workerData.file, { fileMustExist: true });
  db.pragma('busy_timeout = 1000');
} catch (err) {
  parentPort.postMessage({ fatal: text(err) });
  parentPort.close();
}
if (db) {
  const checkpoint = () => db.pragma('wal_checkpoint(PASSIVE)')[0];
  const timer = setInterval(() => {
    try {
      checkpoint();
    } catch (err) {
      parentPort.postMessage({ error: text(err) });
    }
  }, workerData.everyMs);
  parentPort.on('message', (m) => {
    if (m === 'checkpoint') {
      try {
        parentPort.postMessage({ result: checkpoint() });
      } catch (err) {
        parentPort.postMessage({ error: text(err) });
      }
    } else if (m === 'stop') {
      clearInterval(timer);
      db.close();
      parentPort.close();
    }
  });
}
`;

/**
 * Checkpoints a WAL-mode SQLite database from a worker thread. SQLite's own automatic checkpoint runs in
 * the commit that fills the WAL (1,000 pages by default), with two `fsync`s: on the history's database
 * at 2,000 messages a second that was a 6–10-ms commit every quarter of a second, on the event loop, and
 * every message of that turn waited for it (p99 of a commit 6.3 ms; with the checkpoints here 1.2–1.6 ms,
 * measured on this project's host). The main connection keeps a checkpoint of its own as a backstop
 * ({@link BACKSTOP_FRAMES}).
 */
export class WalCheckpointer {
  readonly #worker: Worker;
  readonly #waiting: Array<{ resolve(r: CheckpointResult): void; reject(err: Error): void }> = [];
  #stopped = false;

  constructor(file: string, onError: (err: Error) => void, everyMs = CHECKPOINT_EVERY_MS) {
    const lib = createRequire(import.meta.url).resolve('better-sqlite3');
    this.#worker = new Worker(WORKER, { eval: true, workerData: { lib, file, everyMs } });
    // Never what keeps the process alive: the main connection checkpoints when it closes.
    this.#worker.unref();
    this.#worker.on('message', (m: { result?: CheckpointResult; error?: string; fatal?: string }) => {
      if (m.result) this.#waiting.shift()?.resolve(m.result);
      else if (m.fatal !== undefined) this.#failed(new Error(`WAL checkpointer: ${m.fatal}`), onError);
      else if (m.error !== undefined) {
        const err = new Error(`WAL checkpoint: ${m.error}`);
        const waiter = this.#waiting.shift();
        if (waiter) waiter.reject(err);
        else onError(err);
      }
    });
    this.#worker.on('error', (err) => this.#failed(err, onError));
  }

  /** The worker cannot go on (it could not open the database, or it crashed): the backstop takes over. */
  #failed(err: Error, onError: (err: Error) => void): void {
    this.#stopped = true;
    for (const w of this.#waiting.splice(0)) w.reject(err);
    onError(err);
  }

  /** A checkpoint now, in the worker (tests, and whoever wants the WAL emptied at a given moment). */
  checkpoint(): Promise<CheckpointResult> {
    if (this.#stopped) return Promise.reject(new Error('WAL checkpointer stopped'));
    return new Promise((resolve, reject) => {
      this.#waiting.push({ resolve, reject });
      this.#worker.postMessage('checkpoint');
    });
  }

  /** Stops checkpointing; the worker closes its connection and ends. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#worker.postMessage('stop');
    for (const w of this.#waiting.splice(0)) w.reject(new Error('WAL checkpointer stopped'));
  }
}
