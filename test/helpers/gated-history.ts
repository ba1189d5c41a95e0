import {
  MemoryHistory,
  type AsyncHistoryStore,
  type ChatMessage,
  type HistoryQuery,
  type Reaction,
  type SearchQuery,
} from '../../src/core/history.js';

/**
 * An asynchronous store whose commits the test lets through (or fails) one at a time; with `holdReads`,
 * its reads wait too, in `reads`, until the test answers them.
 */
export class GatedStore implements AsyncHistoryStore {
  readonly sync = false;
  readonly kept = new MemoryHistory();
  readonly commits: Array<{ rows: ChatMessage[]; pass(): void; fail(): void }> = [];
  holdReads = false;
  readonly reads: Array<() => void> = [];
  #buffer: ChatMessage[] = [];
  #waiter: (() => void) | undefined;
  lastSeq(): number {
    return 0;
  }
  append(m: ChatMessage): void {
    this.#buffer.push(m);
  }
  /** Kept at once (the tests of reactions do not gate them). */
  react(roomKey: string, seq: number, r: Reaction & { time: number }): void {
    this.kept.react(roomKey, seq, r);
  }
  flush(): Promise<void> {
    const rows = this.#buffer;
    this.#buffer = [];
    return new Promise((resolve, reject) => {
      this.commits.push({
        rows,
        pass: () => {
          for (const m of rows) this.kept.append(m);
          resolve();
        },
        fail: () => reject(new Error('connection refused')),
      });
      this.#wake();
    });
  }
  #wake(): void {
    const w = this.#waiter;
    this.#waiter = undefined;
    w?.();
  }
  /** Resolves when `n` commits have been asked for. */
  async asked(n: number): Promise<void> {
    while (this.commits.length < n) await new Promise<void>((r) => (this.#waiter = r));
  }
  /** Resolves when `n` reads wait (with `holdReads`). */
  async askedRead(n: number): Promise<void> {
    while (this.reads.length < n) await new Promise<void>((r) => (this.#waiter = r));
  }
  query(roomKey: string, q: HistoryQuery): Promise<ChatMessage[]> {
    if (!this.holdReads) return Promise.resolve(this.kept.query(roomKey, q));
    return new Promise((resolve) => {
      this.reads.push(() => resolve(this.kept.query(roomKey, q)));
      this.#wake();
    });
  }
  /** Reads and deletions wait with `holdReads` too (a slow database). */
  #read<T>(f: () => T): Promise<T> {
    if (!this.holdReads) return Promise.resolve(f());
    return new Promise((resolve) => {
      this.reads.push(() => resolve(f()));
      this.#wake();
    });
  }
  remove(roomKey: string, seq: number): Promise<boolean> {
    return this.#read(() => this.kept.remove(roomKey, seq));
  }
  search(q: SearchQuery): Promise<ChatMessage[]> {
    return this.#read(() => this.kept.search(q));
  }
  rooms(limit: number): Promise<string[]> {
    return Promise.resolve(this.kept.rooms(limit));
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}
