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

/**
 * Writes handed over at once and written later, one batch at a time: what is handed over while a batch
 * is being written goes together in the next one (one round trip), a newer change to the same key
 * merged into the one waiting. A batch that fails is reported and dropped (memory has it already).
 */
export class WriteBehind<Op> {
  #pending = new Map<string, Op>();
  /** The batch being written, and the one that will take what is pending now. */
  #current: Round | undefined;
  #next: Round | undefined;
  #starting = false;

  constructor(
    private readonly write: (ops: Op[]) => Promise<void>,
    private readonly onError: (err: Error) => void,
  ) {}

  /**
   * Hands over a change to `key`: `op` makes it from the one waiting for that key, if any. `last` puts it
   * after every other waiting change (a key removed and set again is set anew, after the others).
   */
  put(key: string, op: (waiting: Op | undefined) => Op, last = false): void {
    const waiting = this.#pending.get(key);
    if (last) this.#pending.delete(key);
    this.#pending.set(key, op(waiting));
    if (this.#current || this.#starting) return;
    // What this turn hands over goes in one batch.
    this.#starting = true;
    queueMicrotask(() => {
      this.#starting = false;
      void this.#run();
    });
  }

  /** What is waiting for `key` (not yet in a batch). */
  waiting(key: string): Op | undefined {
    return this.#pending.get(key);
  }

  /** Resolves once everything handed over so far is written, or failed and was reported. */
  written(): Promise<void> {
    if (this.#pending.size > 0) return (this.#next ??= round()).promise;
    return this.#current?.promise ?? Promise.resolve();
  }

  async #run(): Promise<void> {
    while (this.#pending.size > 0) {
      const batch = [...this.#pending.values()];
      this.#pending = new Map();
      const current = (this.#current = this.#next ?? round());
      this.#next = undefined;
      try {
        await this.write(batch);
      } catch (err) {
        this.onError(err as Error);
      }
      current.resolve();
    }
    this.#current = undefined;
  }
}
