/** A promise with its resolve. */
interface Round {
  promise: Promise<void>;
  resolve(): void;
}

function round(): Round {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

export interface WriteBehindOptions<Op> {
  /**
   * Whether a failed batch may succeed if tried again (the database away for a moment, not a statement it
   * refuses). Such a batch is kept and tried again later; any other failure is reported and dropped.
   */
  retryable?: (err: Error) => boolean;
  /**
   * The change to write for a key that has both a failed change, kept for a retry, and a newer one handed
   * over since (default: the newer one).
   */
  merge?: (older: Op, newer: Op) => Op;
  /** Waits before the first retry, doubled after each failure up to {@link maxDelayMs} (ms). */
  firstDelayMs?: number;
  maxDelayMs?: number;
  /** Tries of one change at most before it is reported and dropped (so a bad row is not retried for ever). */
  maxTries?: number;
}

/**
 * Writes handed over at once and written later, one batch at a time: what is handed over while a batch
 * is being written goes together in the next one (one round trip), a newer change to the same key
 * merged into the one waiting.
 *
 * A batch that fails because the database is away for a moment (`retryable`) is kept, ahead of what came
 * since, and tried again after a delay that doubles with each failure (the nodes do not hammer a
 * database that is restarting); memory already has the changes, so the people see no difference, and the
 * table catches up when the database is back. Each failure is reported. Any other failure, or a change
 * tried `maxTries` times, is reported and dropped: memory keeps it until the account is read again.
 */
export class WriteBehind<Op> {
  #pending = new Map<string, Op>();
  /** How many times each waiting key's change has failed (only those that have). */
  #tries = new Map<string, number>();
  /** The batch being written, and the one that will take what is pending now. */
  #current: Round | undefined;
  #next: Round | undefined;
  #starting = false;
  /** Waiting to try a failed batch again: what is handed over meanwhile waits with it. */
  #retry: NodeJS.Timeout | undefined;
  #delay: number;
  #closed = false;
  readonly #retryable: (err: Error) => boolean;
  readonly #merge: (older: Op, newer: Op) => Op;
  readonly #firstDelay: number;
  readonly #maxDelay: number;
  readonly #maxTries: number;

  constructor(
    private readonly write: (ops: Op[]) => Promise<void>,
    private readonly onError: (err: Error) => void,
    options: WriteBehindOptions<Op> = {},
  ) {
    this.#retryable = options.retryable ?? (() => false);
    this.#merge = options.merge ?? ((_older, newer) => newer);
    this.#firstDelay = options.firstDelayMs ?? 500;
    this.#maxDelay = options.maxDelayMs ?? 30_000;
    this.#maxTries = options.maxTries ?? 20;
    this.#delay = this.#firstDelay;
  }

  /**
   * Hands over a change to `key`: `op` makes it from the one waiting for that key, if any. `last` puts it
   * after every other waiting change (a key removed and set again is set anew, after the others).
   */
  put(key: string, op: (waiting: Op | undefined) => Op, last = false): void {
    const waiting = this.#pending.get(key);
    if (last) this.#pending.delete(key);
    this.#pending.set(key, op(waiting));
    if (this.#current || this.#starting || this.#retry) return;
    // What this turn hands over goes in one batch.
    this.#starting = true;
    queueMicrotask(() => {
      this.#starting = false;
      void this.#run();
    });
  }

  /** What is waiting for `key` (not yet in a batch, or kept for a retry). */
  waiting(key: string): Op | undefined {
    return this.#pending.get(key);
  }

  /** Every change waiting (not yet in a batch, or kept for a retry), in the order it will be written. */
  waitingChanges(): IterableIterator<Op> {
    return this.#pending.values();
  }

  /**
   * Resolves once everything handed over so far is written, or was tried and failed (and was reported).
   * While a failed batch waits for its retry it resolves at once: a reader does not wait for the database
   * to come back, it reads what the table has and adds {@link waitingChanges} on top.
   */
  written(): Promise<void> {
    if (this.#retry) return Promise.resolve();
    if (this.#pending.size > 0) return (this.#next ??= round()).promise;
    return this.#current?.promise ?? Promise.resolve();
  }

  /** Tries what is waiting once more, at once, and stops retrying: what still fails is reported and dropped. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#retry) {
      clearTimeout(this.#retry);
      this.#retry = undefined;
      if (!this.#current) void this.#run();
    }
    await this.written();
  }

  async #run(): Promise<void> {
    this.#retry = undefined;
    while (this.#pending.size > 0) {
      const batch = this.#pending;
      this.#pending = new Map();
      const current = (this.#current = this.#next ?? round());
      this.#next = undefined;
      let failed: Error | undefined;
      try {
        await this.write([...batch.values()]);
        this.#tries.clear();
        this.#delay = this.#firstDelay;
      } catch (err) {
        failed = err as Error;
        this.onError(failed);
      }
      if (failed && !this.#closed && this.#retryable(failed) && this.#keep(batch)) {
        // Whoever waits is let go now (see written()), those waiting for the changes handed over since too.
        current.resolve();
        // (Set by written() while the batch was being written: TypeScript cannot see that across the await.)
        (this.#next as Round | undefined)?.resolve();
        this.#next = undefined;
        this.#current = undefined;
        this.#retry = setTimeout(() => void this.#run(), this.#delay);
        this.#delay = Math.min(this.#delay * 2, this.#maxDelay);
        return;
      }
      if (failed) this.#tries.clear();
      current.resolve();
    }
    this.#current = undefined;
  }

  /** Puts a failed batch back ahead of what came since; false when every change of it has been tried enough. */
  #keep(batch: Map<string, Op>): boolean {
    const kept = new Map<string, Op>();
    const tries = new Map<string, number>();
    for (const [key, op] of batch) {
      const n = (this.#tries.get(key) ?? 0) + 1;
      if (n >= this.#maxTries) continue;
      tries.set(key, n);
      const newer = this.#pending.get(key);
      kept.set(key, newer === undefined ? op : this.#merge(op, newer));
    }
    for (const [key, op] of this.#pending) if (!kept.has(key)) kept.set(key, op);
    this.#pending = kept;
    this.#tries = tries;
    return kept.size > 0;
  }
}
