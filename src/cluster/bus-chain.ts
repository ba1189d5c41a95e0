import { idAfter, type Link } from './bus-entry.js';

/**
 * The entries of the Redis bus put back in the stream's one order (see `redis-bus.ts`): each entry names
 * the one before it, so one heard early (on its channel, or a node's own entry placed by the script's
 * answer, which come on two sockets) waits until that one is applied. Pure: ids in, entries out.
 */
export class Chain<T extends Link> {
  #last: string;
  /**
   * Entries not yet applied (each names the one it follows), usually none or one. An array, not a Map
   * keyed by the id they follow: see {@link ReadBacks} for what a Map that empties after every entry
   * costs the young generation.
   */
  readonly #waiting: T[] = [];

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
    const waiting = this.#waiting;
    let kept = 0;
    for (const link of waiting) if (idAfter(link.id, id)) waiting[kept++] = link;
    waiting.length = kept;
  }

  /** An entry heard or placed (a second one following the same entry replaces the first); one applied already is dropped. */
  add(link: T): void {
    if (!idAfter(link.id, this.#last)) return;
    const same = this.#waiting.findIndex((w) => w.prev === link.prev);
    if (same >= 0) this.#waiting[same] = link;
    else this.#waiting.push(link);
  }

  /** The entry that follows the last one applied, taken out, when it is here. */
  take(): T | undefined {
    const i = this.#waiting.findIndex((w) => w.prev === this.#last);
    return i < 0 ? undefined : this.#waiting.splice(i, 1)[0];
  }

  /** Entries wait for one that has not come (lost on its way, or on the other socket still). */
  get stalled(): boolean {
    return this.#waiting.length > 0 && !this.#waiting.some((w) => w.prev === this.#last);
  }

  clear(): void {
    this.#waiting.length = 0;
  }
}

/**
 * What to run when each of this node's envelopes is read back, by its sequence number (consecutive, read
 * back in order): an array from the oldest one waiting, emptied as they are taken.
 *
 * Why not a Map: V8 rebuilds a Map's table as it grows and shrinks, and an obsolete table keeps a link
 * to the next one (for iterators). A Map that fills with a batch's envelopes and empties again rebuilt
 * its table several times per batch; once one table had reached the old generation (a full collection
 * moves what is young there), every later table, and every callback and held message they named, stayed
 * reachable from it through the young collections until the next full one. The nodes promoted about
 * 2 MB per young collection that way, with 3–20 ms pauses (docs/bench.md).
 */
export class ReadBacks {
  #items: Array<(() => void) | undefined> = [];
  /** Items before it are taken. */
  #head = 0;
  /** The sequence number of `#items[0]`. */
  #first = 0;
  /** Callbacks left far behind (their entry never came back): moved out so the array stays short. */
  readonly #stale = new Map<number, () => void>();

  get size(): number {
    let n = this.#stale.size;
    for (let i = this.#head; i < this.#items.length; i++) if (this.#items[i] !== undefined) n++;
    return n;
  }

  set(seq: number, then: () => void): void {
    if (this.#head === this.#items.length) {
      this.#items.length = 0;
      this.#head = 0;
      this.#first = seq;
    }
    const i = seq - this.#first;
    if (i < this.#head) return; // sequence numbers only grow: never so
    while (this.#items.length < i) this.#items.push(undefined);
    this.#items[i] = then;
    if (this.#items.length - this.#head > STALE_AFTER) this.#compact();
  }

  /** The callback of `seq`, taken out; undefined when there is none (not this node's, or taken). */
  take(seq: number): (() => void) | undefined {
    const i = seq - this.#first;
    if (i < this.#head || i >= this.#items.length) {
      const stale = this.#stale.get(seq);
      if (stale) this.#stale.delete(seq);
      return stale;
    }
    const then = this.#items[i];
    this.#items[i] = undefined;
    this.#advance();
    return then;
  }

  clear(): void {
    this.#items = [];
    this.#head = 0;
    this.#stale.clear();
  }

  #advance(): void {
    while (this.#head < this.#items.length && this.#items[this.#head] === undefined) this.#head++;
    if (this.#head === this.#items.length) {
      this.#items.length = 0;
      this.#head = 0;
    }
  }

  /** Moves all but the newest callbacks aside (one at the front was never read back). */
  #compact(): void {
    const cut = this.#items.length - STALE_AFTER / 2;
    for (let i = this.#head; i < cut; i++) {
      const then = this.#items[i];
      if (then) this.#stale.set(this.#first + i, then);
    }
    this.#items.splice(0, cut);
    this.#first += cut;
    this.#head = 0;
    this.#advance();
  }
}

/** Callbacks further behind the newest than this are kept aside (see {@link ReadBacks}). */
const STALE_AFTER = 4096;

/** The highest sequence number read from each publisher: whether an envelope is new, and what never came. */
export class Sequences {
  readonly #last = new Map<string, number>();

  /**
   * -1 when `seq` was read before (a publish re-sent after a reconnect); otherwise how many of the
   * publisher's envelopes before it never came (0 for the first one read: it may have published before).
   */
  take(publisher: string, seq: number): number {
    const last = this.#last.get(publisher);
    if (last !== undefined && seq <= last) return -1;
    this.#last.set(publisher, seq);
    return last === undefined ? 0 : seq - last - 1;
  }
}
