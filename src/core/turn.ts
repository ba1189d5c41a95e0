import { performance } from 'node:perf_hooks';

/** Up to this many deliveries per second (one message to one recipient) every end of turn runs at once. */
export const QUIET_RATE = 100_000;
/** From this many deliveries per second on, ends of turn are spaced by the whole interval. */
export const BUSY_RATE = 800_000;
/** How often the delivery rate is re-estimated (ms). */
const RATE_WINDOW_MS = 100;

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
  #deliveries = 0;
  /** Ends of turn run since start (each one writes every recipient with bytes waiting once). */
  runs = 0;
  #windowStart: number;
  #rate = 0;

  /**
   * @param coalesceMs The longest interval between two ends of turn, used when the server is busy.
   *   The write system call is the cost of fan-out (on loopback the writer even pays for the reader's
   *   side of TCP), so the more deliveries per second the server makes, the longer a turn waits after
   *   the last one: not at all up to {@link QUIET_RATE}, then growing to `coalesceMs` at
   *   {@link BUSY_RATE}; each recipient's write then carries every message of the interval. The rate is
   *   the offered load (messages × recipients), not a measure of our own busyness, so the interval does
   *   not feed back on itself. 0 turns this off (one end of turn per event-loop turn).
   */
  constructor(
    readonly coalesceMs = 0,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.#windowStart = now();
  }

  /** Adds work done at the end of every turn in which `request` was called. */
  on(phase: 0 | 1, fn: () => void): void {
    this.#phases[phase]!.push(fn);
  }

  /** Counts deliveries (one message queued for one recipient): the load that sets the interval. */
  delivered(n = 1): void {
    this.#deliveries += n;
  }

  /** Deliveries per second, as last estimated. */
  get rate(): number {
    return this.#rate;
  }

  /** The current spacing of ends of turn (ms). */
  interval(t = this.now()): number {
    if (this.coalesceMs <= 0) return 0;
    const elapsed = t - this.#windowStart;
    if (elapsed >= RATE_WINDOW_MS) {
      const measured = (this.#deliveries * 1000) / elapsed;
      // After a long quiet spell the old rate is meaningless: take the new one as it is.
      this.#rate = elapsed > RATE_WINDOW_MS * 4 ? measured : (this.#rate + measured) / 2;
      this.#deliveries = 0;
      this.#windowStart = t;
    }
    const pressure = (this.#rate - QUIET_RATE) / (BUSY_RATE - QUIET_RATE);
    return this.coalesceMs * Math.min(1, Math.max(0, pressure));
  }

  /** Asks for the end-of-turn work to run (once) after the current I/O callbacks. */
  request(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    const t = this.now();
    const wait = this.#lastRun + this.interval(t) - t;
    if (wait > 0) setTimeout(this.#run, wait);
    else setImmediate(this.#run);
  }

  /** Runs the phases now (also used at shutdown). A failing phase does not stop the next. */
  run(): void {
    this.#scheduled = false;
    this.#lastRun = this.now();
    this.runs++;
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
