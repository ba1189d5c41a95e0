import { idAfter, type Link } from './bus-entry.js';

/**
 * The entries of the Redis bus put back in the stream's one order (see `redis-bus.ts`): each entry names
 * the one before it, so one heard early (on its channel, or a node's own entry placed by the script's
 * answer, which come on two sockets) waits until that one is applied. Pure: ids in, entries out.
 */
export class Chain<T extends Link> {
  #last: string;
  /** Entries not yet applied, by the id of the one they follow. */
  readonly #waiting = new Map<string, T>();

  constructor(last = '0-0') {
    this.#last = last;
  }

  /** The id of the last entry applied. */
  get last(): string {
    return this.#last;
  }

  /** Entry `id` is applied (from here or from the stream): those at or before it are dropped. */
  moveTo(id: string): void {
    this.#last = id;
    for (const [prev, link] of this.#waiting) if (!idAfter(link.id, id)) this.#waiting.delete(prev);
  }

  /** An entry heard or placed; one applied already is dropped. */
  add(link: T): void {
    if (idAfter(link.id, this.#last)) this.#waiting.set(link.prev, link);
  }

  /** The entry that follows the last one applied, taken out, when it is here. */
  take(): T | undefined {
    const next = this.#waiting.get(this.#last);
    if (next !== undefined) this.#waiting.delete(this.#last);
    return next;
  }

  /** Entries wait for one that has not come (lost on its way, or on the other socket still). */
  get stalled(): boolean {
    return this.#waiting.size > 0 && !this.#waiting.has(this.#last);
  }

  clear(): void {
    this.#waiting.clear();
  }
}
