import { randomBytes } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import { decodeEnvelope, encodeEnvelope, type Bus, type BusMessage } from '../core/bus.js';

/** Where an error reported to {@link RedisBusOptions.onError} came from. */
export type RedisBusErrorKind = 'connection' | 'envelope' | 'handler';

export interface RedisBusOptions {
  /** `redis://[:PASSWORD@]HOST:PORT[/DB]` (or `rediss://` for TLS). */
  url: string;
  /** The network's name: every key of it starts with `tomada:<network>:`. */
  network: string;
  /** This node's index, 0 ≤ node < nodes (configuration for now; see {@link Bus.node}). */
  node: number;
  nodes: number;
  /**
   * The stream keeps about this many events (`XADD MAXLEN ~`, in entries of this node's average batch):
   * how far back a reconnecting node can catch up.
   */
  maxLen?: number;
  /** How long one `XREAD` waits for new events (ms) before it asks again. */
  blockMs?: number;
  /** Connection errors (ioredis reconnects by itself), envelopes it cannot read, a handler that threw. */
  onError?: (err: Error, kind: RedisBusErrorKind) => void;
  /** Both connections up (true) or not (false), on each change. */
  onStatus?: (connected: boolean) => void;
  /** More ioredis options. */
  redis?: RedisOptions;
}

/** What the bus counted since it started (tests and metrics). */
export interface RedisBusStats {
  published: number;
  /** Envelopes of other nodes handed to the hub. */
  received: number;
  /** Entries seen twice (a publish re-sent after a reconnect) and dropped. */
  duplicates: number;
  /** Entries of a publisher that never arrived: lost in Redis (a restart without persistence, or trimmed). */
  gaps: number;
  malformed: number;
  /** Times a connection was lost and ioredis set out to connect again. */
  reconnects: number;
}

/**
 * The bus on a Redis Stream, `tomada:<network>:events`: each event is one `XADD` (its envelope encoded
 * once, per event and per node, never per recipient), and every node follows the stream with
 * `XREAD BLOCK` on a second connection, from the last entry id it has read.
 *
 * Why a stream and not pub/sub: pub/sub delivers at most once, to whoever is connected at that moment, so
 * a node whose connection drops misses what was published meanwhile. A node that follows a stream asks,
 * when it is back, for everything after its last id, and loses nothing. Publishes made while Redis is
 * unreachable wait in ioredis' offline queue and go out, in order, on reconnect.
 *
 * Each entry carries its publisher (the node and a random id of this process) and the publisher's own
 * sequence number, so a reader drops an entry it has seen (a publish re-sent after a reconnect, when
 * Redis had applied it but the reply was lost) and counts the ones that never came ({@link RedisBusStats.gaps}).
 *
 * What it guarantees: every node reads the stream in the one order Redis gave it, so the events of one
 * publisher arrive in their publishing order, and all remote nodes see all events in the same order.
 * With `readBack` ({@link publish}), the publisher
 * too acts on its own entry only when it reads it back, in that order: the hub delivers its own users' room
 * messages so, and every member on every node sees them in the one order.
 * What it does not guarantee:
 * - Redis restarted without persistence loses the entries that were in it and not yet read: the readers
 *   count them as gaps but cannot get them back (history will: messages are stored before delivery).
 *   With AOF on, nothing is lost. A node away for longer than the stream's `maxLen` events also has a
 *   gap. Entry ids are times in ms, so after such a restart new entries still sort after the last id a
 *   node read (unless the clock went back).
 */
export class RedisBus implements Bus {
  readonly node: number;
  readonly nodes: number;
  /** One order for every node: the stream's. */
  readonly ordered = true;
  readonly stats: RedisBusStats = { published: 0, received: 0, duplicates: 0, gaps: 0, malformed: 0, reconnects: 0 };
  readonly #key: string;
  readonly #writer: Redis;
  readonly #reader: Redis;
  readonly #maxLen: number;
  readonly #blockMs: number;
  readonly #onError: (err: Error, kind: RedisBusErrorKind) => void;
  /** This process as a publisher: `<node>.<random>`, so a restarted node's sequence starts afresh. */
  readonly #publisher: string;
  #seq = 0;
  /** Envelopes published in this tick, not yet sent: they go out as one entry (see {@link publish}). */
  #pending: string[] = [];
  /** The sequence number of `#pending[0]`. */
  #pendingSeq = 0;
  readonly #flush = () => this.#send();
  /** Envelopes per entry this node sends, on average: the stream's length in entries is `maxLen` / this. */
  #perEntry = 1;
  /** This node's own envelopes it waits to read back (by sequence number): what to do then. */
  readonly #readBack = new Map<number, () => void>();
  /** The highest sequence number read from each publisher. */
  readonly #seen = new Map<string, number>();
  #lastId: string | undefined;
  readonly #ready: Promise<void>;
  #handler: ((e: BusMessage) => void) | undefined;
  #reading = false;
  #closed = false;
  #warnedSameNode = false;
  #up = false;
  readonly #onStatus: (connected: boolean) => void;

  constructor(options: RedisBusOptions) {
    if (!Number.isInteger(options.nodes) || options.nodes < 1) throw new RangeError(`nodes: ${options.nodes}`);
    if (!Number.isInteger(options.node) || options.node < 0 || options.node >= options.nodes)
      throw new RangeError(`node ${options.node} of ${options.nodes}`);
    this.node = options.node;
    this.nodes = options.nodes;
    this.#key = `tomada:${options.network}:events`;
    this.#maxLen = options.maxLen ?? 100_000;
    this.#blockMs = options.blockMs ?? 5_000;
    this.#onError = options.onError ?? defaultOnError;
    this.#onStatus = options.onStatus ?? (() => undefined);
    this.#publisher = `${this.node}.${randomBytes(6).toString('hex')}`;
    const common: RedisOptions = {
      // Never give up on a command while Redis is away: a publish or a read waits for the reconnect.
      maxRetriesPerRequest: null,
      ...options.redis,
    };
    const name = `tomada-${options.network}-${this.node}`;
    this.#writer = new Redis(options.url, { ...common, connectionName: `${name}-pub` });
    this.#reader = new Redis(options.url, { ...common, connectionName: `${name}-sub` });
    for (const c of [this.#writer, this.#reader]) {
      c.on('error', (err: Error) => this.#onError(err, 'connection'));
      c.on('reconnecting', () => this.stats.reconnects++);
      c.on('ready', () => this.#status());
      c.on('close', () => this.#status());
    }
    // Where this node starts reading: after the stream's last entry as it is now ("0-0" when empty).
    // Fixed before anything is read, so an entry added after this point is never skipped (`$` would
    // skip what arrived between two reads).
    this.#ready = this.#reader.xrevrange(this.#key, '+', '-', 'COUNT', 1).then((last) => {
      this.#lastId = last[0]?.[0] ?? '0-0';
    });
    this.#ready.catch(() => undefined); // reported by connect() or the reader, never unhandled
  }

  /** Connects, and resolves once the node knows where it starts reading. */
  static async connect(options: RedisBusOptions): Promise<RedisBus> {
    const bus = new RedisBus(options);
    try {
      await bus.ready();
    } catch (err) {
      await bus.close();
      throw err;
    }
    return bus;
  }

  ready(): Promise<void> {
    return this.#ready;
  }

  /** Both connections are up (publishes go out now rather than waiting in the offline queue). */
  get connected(): boolean {
    return this.#writer.status === 'ready' && this.#reader.status === 'ready';
  }

  #status(): void {
    const up = this.connected;
    if (up === this.#up || this.#closed) return;
    this.#up = up;
    this.#onStatus(up);
  }

  /**
   * Queues an envelope; those published in one tick (the hub publishes a turn's room messages in one go)
   * go out as ONE stream entry, their envelopes joined by line feeds (JSON has none of its own): one
   * `XADD`, and one `XREAD` wake-up per node, per batch rather than per message. Redis's cost per message
   * was most of what it spent (issue 12's bench: Redis ≤ 0.05 CPU-seconds per million deliveries).
   */
  publish(envelope: BusMessage, readBack?: () => void): void {
    if (this.#closed) return;
    this.stats.published++;
    const seq = ++this.#seq;
    if (readBack) this.#readBack.set(seq, readBack);
    if (this.#pending.length === 0) {
      this.#pendingSeq = seq;
      process.nextTick(this.#flush);
    }
    this.#pending.push(encodeEnvelope(envelope));
  }

  /** Sends the envelopes queued in this tick, in entries of at most {@link BATCH_MAX} envelopes. */
  #send(): void {
    const all = this.#pending;
    let seq = this.#pendingSeq;
    this.#pending = [];
    for (let i = 0; i < all.length; i += BATCH_MAX) {
      const batch = all.slice(i, i + BATCH_MAX);
      const first = seq;
      seq += batch.length;
      // Trimmed by entries, each holding a batch: as many as hold about `maxLen` events (Redis's memory
      // stays that of `maxLen` events however busy the network is; at least a few hundred entries).
      this.#perEntry = this.#perEntry * 0.9 + batch.length * 0.1;
      const entries = Math.max(MIN_ENTRIES, Math.ceil(this.#maxLen / this.#perEntry));
      this.#writer
        .xadd(this.#key, 'MAXLEN', '~', entries, '*', 'p', this.#publisher, 's', String(first), 'e', batch.join('\n'))
        .catch((err: Error) => {
          this.#onError(err, 'connection');
          // Refused by Redis (not a lost connection: those wait and retry): this node's members still get
          // them, out of the stream's order rather than never.
          for (let k = 0; k < batch.length; k++) this.#ownRead(first + k);
        });
    }
  }

  /** This node's entry `seq` is read back (or will never be): its waiting work runs now. */
  #ownRead(seq: number): boolean {
    const then = this.#readBack.get(seq);
    if (!then) return false;
    this.#readBack.delete(seq);
    try {
      then();
    } catch (err) {
      this.#onError(err as Error, 'handler');
    }
    return true;
  }

  subscribe(handler: (envelope: BusMessage) => void): void {
    this.#handler = handler;
    if (this.#reading || this.#closed) return;
    this.#reading = true;
    this.#read().catch((err: Error) => this.#onError(err, 'connection'));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    if (this.#pending.length > 0) this.#send(); // a `bye` published just before: it still goes out
    this.#closed = true;
    this.#handler = undefined;
    this.#readBack.clear();
    // The reader is usually inside a blocking XREAD: cut it rather than wait for the block to end.
    this.#reader.disconnect();
    // The writer sends what it holds, then quits; if Redis is away, it does not wait for ever.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.#writer.quit().catch(() => undefined),
      new Promise((r) => (timer = setTimeout(r, 2_000))),
    ]);
    clearTimeout(timer);
    this.#writer.disconnect();
  }

  async #read(): Promise<void> {
    await this.#ready;
    while (!this.#closed) {
      let reply: [string, [string, string[]][]][] | null;
      try {
        reply = await this.#reader.xread('COUNT', 1000, 'BLOCK', this.#blockMs, 'STREAMS', this.#key, this.#lastId!);
      } catch (err) {
        if (this.#closed) return;
        this.#onError(err as Error, 'connection');
        await new Promise((r) => setTimeout(r, 500)); // an error reply (not a lost connection): do not spin
        continue;
      }
      if (!reply || this.#closed) continue;
      for (const [, entries] of reply) {
        for (let i = 0; i < entries.length; i++) {
          const [id, fields] = entries[i]!;
          this.#lastId = id;
          const entry = readEntry(fields);
          if (!entry) {
            this.stats.malformed++;
            this.#onError(
              new TypeError(`bus entry without publisher or sequence: ${fields.join(' ').slice(0, 80)}`),
              'envelope',
            );
            continue;
          }
          const own = entry.publisher === this.#publisher;
          for (let k = 0; k < entry.envelopes.length; k++) {
            const seq = entry.seq + k;
            if (!own) {
              this.#take(entry.publisher, seq, entry.envelopes[k]!);
              continue;
            }
            // An own envelope read back resolved a sender's wait: the sender's door answers (its echo) in
            // promise callbacks, which must run before the next envelope is delivered, or the echo would
            // come after it. A tick queued from here runs once the microtask queue is empty (every
            // callback, however deep its chain), and still in this event-loop turn: the deliveries of the
            // whole read stay one batch, one write per recipient. (A turn per envelope, setImmediate, cost
            // a write per recipient per message: the two-node row fell behind at 400k deliveries/s.)
            if (this.#ownRead(seq) && (k + 1 < entry.envelopes.length || i + 1 < entries.length))
              await drainMicrotasks();
            if (this.#closed) return;
          }
        }
      }
    }
  }

  /** Another publisher's envelope `seq`: dropped when seen before, counted when some never came. */
  #take(publisher: string, seq: number, text: string): void {
    const last = this.#seen.get(publisher);
    if (last !== undefined && seq <= last) {
      this.stats.duplicates++;
      return;
    }
    // The first envelope of a publisher sets its start: it may have published before this node came.
    if (last !== undefined && seq > last + 1) this.stats.gaps += seq - last - 1;
    this.#seen.set(publisher, seq);
    let envelope: BusMessage;
    try {
      envelope = decodeEnvelope(text);
    } catch (err) {
      this.stats.malformed++;
      this.#onError(err as Error, 'envelope');
      return;
    }
    if (envelope.origin === this.node) {
      // Another process with our node number: a configuration error (their ids collide with ours).
      if (!this.#warnedSameNode) {
        this.#warnedSameNode = true;
        this.#onError(new Error(`another process publishes as node ${this.node} (${publisher})`), 'envelope');
      }
      return;
    }
    this.stats.received++;
    try {
      this.#handler?.(envelope);
    } catch (err) {
      this.#onError(err as Error, 'handler');
    }
  }
}

/** Envelopes per stream entry at most (a busy turn's batch is cut into entries of this size). */
const BATCH_MAX = 256;
/** The stream is never trimmed below this many entries. */
const MIN_ENTRIES = 100;

/** One entry: `p <publisher> s <seq of the first envelope> e <envelopes, one per line>`; undefined when malformed. */
function readEntry(fields: string[]): { publisher: string; seq: number; envelopes: string[] } | undefined {
  let publisher = '';
  let seq = 0;
  let text: string | undefined;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const value = fields[i + 1]!;
    if (fields[i] === 'p') publisher = value;
    else if (fields[i] === 's') seq = Number(value);
    else if (fields[i] === 'e') text = value;
  }
  if (!publisher || !Number.isSafeInteger(seq) || seq < 1 || text === undefined) return undefined;
  return { publisher, seq, envelopes: text.split('\n') };
}

/** Resolves after every microtask queued so far, and those they queue, have run (see `process.nextTick`). */
function drainMicrotasks(): Promise<void> {
  return new Promise((resolve) => process.nextTick(resolve));
}

/** Connection trouble is ioredis' to retry; anything else is worth a warning. */
function defaultOnError(err: Error, kind: RedisBusErrorKind): void {
  if (kind !== 'connection') process.emitWarning(err);
}
