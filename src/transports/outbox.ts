import type { Turn } from '../core/turn.js';

/** The part of a socket an outbox writes to. */
export interface OutboxTarget {
  write(data: Buffer): boolean;
  cork(): void;
  uncork(): void;
  readonly writableLength: number;
  readonly destroyed: boolean;
}

/** Who is told when a reader falls too far behind (a method, not a closure per connection). */
export interface OutboxOwner {
  outboxOverflowed(): void;
}

/**
 * Per-connection outgoing bytes, written once per event-loop turn (after history is committed): many
 * messages to one recipient in a turn become one write system call. The syscall is the cost of fan-out,
 * not the byte (see BENCH-NOTES).
 *
 * A bounded queue: when what waits for a slow reader passes `maxQueued` bytes, the owner is told
 * (the door disconnects that client) and nothing more is queued, so no one else slows down.
 */
export class Outbox {
  // Emptied by each flush; most idle connections hold none.
  #chunks: Buffer[] | undefined;
  #bytes = 0;
  #dirty = false;
  #overflowed = false;

  constructor(
    private readonly target: OutboxTarget,
    private readonly scheduler: OutboxScheduler,
    private readonly maxQueued: number,
    private readonly owner: OutboxOwner,
    /** Where the bytes written are counted (`tomada_bytes_out_total`): once per flush, not per message. */
    private readonly counters?: { bytesOut: number },
  ) {}

  push(data: Buffer): void {
    if (this.#overflowed || this.target.destroyed) return;
    (this.#chunks ??= []).push(data);
    this.#bytes += data.length;
    if (this.#bytes + this.target.writableLength > this.maxQueued) {
      this.#overflowed = true;
      this.#chunks = undefined;
      this.#bytes = 0;
      this.owner.outboxOverflowed();
      return;
    }
    this.scheduler.turn.delivered();
    if (!this.#dirty) {
      this.#dirty = true;
      this.scheduler.add(this);
    }
  }

  /**
   * Writes what is queued now (end of turn, or before closing). `batches` lets recipients of the same
   * messages in the same turn share one joined buffer.
   */
  flush(batches?: BatchCache): void {
    this.#dirty = false;
    const chunks = this.#chunks;
    if (!chunks || this.target.destroyed) return;
    this.#chunks = undefined;
    const bytes = this.#bytes;
    this.#bytes = 0;
    if (this.counters) this.counters.bytesOut += bytes;
    if (chunks.length === 1) this.target.write(chunks[0]!);
    else if (bytes <= 65536) this.target.write(batches ? batches.join(chunks, bytes) : Buffer.concat(chunks, bytes));
    else {
      this.target.cork();
      for (const c of chunks) this.target.write(c);
      this.target.uncork();
    }
  }

  get queued(): number {
    return this.#bytes + this.target.writableLength;
  }
}

/**
 * The joined buffers of one flush pass. Most recipients of a room got the very same messages this turn
 * (the same shared, serialised-once buffers, in the same order), so they can share one joined buffer:
 * one copy and one allocation per batch instead of one per recipient. The few that differ (a sender
 * does not get its own message on the line door) get their own. Only the last few lists are compared.
 */
export class BatchCache {
  static readonly SIZE = 4;
  #lists: Buffer[][] = [];
  #joined: Buffer[] = [];

  join(chunks: Buffer[], bytes: number): Buffer {
    const lists = this.#lists;
    for (let i = lists.length - 1; i >= 0; i--) {
      if (sameChunks(lists[i]!, chunks)) return this.#joined[i]!;
    }
    const joined = Buffer.concat(chunks, bytes);
    if (lists.length === BatchCache.SIZE) {
      lists.shift();
      this.#joined.shift();
    }
    lists.push(chunks);
    this.#joined.push(joined);
    return joined;
  }

  clear(): void {
    this.#lists = [];
    this.#joined = [];
  }
}

function sameChunks(a: Buffer[], b: Buffer[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Flushes every outbox that got bytes this turn, in the turn's socket phase. */
export class OutboxScheduler {
  #dirty: Outbox[] = [];
  readonly #batches = new BatchCache();

  constructor(readonly turn: Turn) {
    turn.on(1, () => this.flushAll());
  }

  add(outbox: Outbox): void {
    this.#dirty.push(outbox);
    this.turn.request();
  }

  flushAll(): void {
    const list = this.#dirty;
    this.#dirty = [];
    for (const o of list) o.flush(this.#batches);
    this.#batches.clear();
  }
}
