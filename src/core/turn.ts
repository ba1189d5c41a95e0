/**
 * End-of-turn work, in a fixed order: history is committed (phase 0) before any socket is written
 * (phase 1), once per event-loop turn however many messages the turn carried. Batching here is what
 * makes fan-out cheap (one write per recipient per turn) and durable (no one sees an unsaved message).
 */
export class Turn {
  readonly #phases: Array<Array<() => void>> = [[], []];
  #scheduled = false;
  readonly #run = () => this.run();

  /** Adds work done at the end of every turn in which `request` was called. */
  on(phase: 0 | 1, fn: () => void): void {
    this.#phases[phase]!.push(fn);
  }

  /** Asks for the end-of-turn work to run (once) after the current I/O callbacks. */
  request(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(this.#run);
  }

  /** Runs the phases now (also used at shutdown). A failing phase does not stop the next. */
  run(): void {
    this.#scheduled = false;
    for (const phase of this.#phases) {
      for (const fn of phase) {
        try {
          fn();
        } catch (err) {
          queueMicrotask(() => {
            throw err;
          });
        }
      }
    }
  }
}
