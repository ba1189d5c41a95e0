/**
 * End-of-turn work, in a fixed order: history is committed (phase 0) before any socket is written
 * (phase 1), once per event-loop turn however many messages the turn carried. Batching here is what
 * makes fan-out cheap (one write per recipient per turn) and durable (no one sees an unsaved message).
 */
export class Turn {
  readonly #phases: Array<Array<() => void>> = [[], []];
  #scheduled = false;
  #lastRun = -Infinity;
  readonly #run = () => this.run();

  /**
   * @param coalesceMs Under load, turns come at most this often: when the last one ran less than
   *   `coalesceMs` ago, the next waits for the rest of that interval, so each recipient's write carries
   *   every message of the interval (the write system call is the cost of fan-out). A quiet server is not
   *   delayed at all: a turn that follows a pause runs straight after the current I/O callbacks.
   *   0 turns this off (one end of turn per event-loop turn).
   */
  constructor(
    readonly coalesceMs = 0,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Adds work done at the end of every turn in which `request` was called. */
  on(phase: 0 | 1, fn: () => void): void {
    this.#phases[phase]!.push(fn);
  }

  /** Asks for the end-of-turn work to run (once) after the current I/O callbacks. */
  request(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    const wait = this.#lastRun + this.coalesceMs - this.now();
    if (wait > 0) setTimeout(this.#run, wait);
    else setImmediate(this.#run);
  }

  /** Runs the phases now (also used at shutdown). A failing phase does not stop the next. */
  run(): void {
    this.#scheduled = false;
    this.#lastRun = this.now();
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
