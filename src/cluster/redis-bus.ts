import { randomBytes } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import { decodeEnvelope, encodeEnvelope, type Bus, type BusMessage } from '../core/bus.js';
import { idAfter, PUBLISH_LUA, readFields, readHeard, type Entry } from './bus-entry.js';

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
 * The bus on a Redis Stream, `tomada:<network>:events`, announced on a channel, `tomada:<network>:live`:
 * each batch of envelopes (see {@link publish}) is one `XADD` and one `PUBLISH` of the same entry with its
 * id, made together by a script (so the channel's order is the stream's), encoded once per batch and per
 * node, never per recipient. Every node listens on the channel, and reads the stream itself only to catch
 * up: at start and after any reconnect, from the last entry id it has applied.
 *
 * Why both: pub/sub delivers at most once, to whoever is connected at that moment, so a node whose
 * connection drops would miss what was published meanwhile; a node that reads the stream asks, when it
 * is back, for everything after its last id, and loses nothing. Why not the stream alone (`XREAD BLOCK`,
 * as before): every reader must ask again after each answer, so Redis wakes up once per batch per node
 * on top of the publisher's `XADD`; a subscriber never asks again. On the two-node bench Redis spent
 * about a fifth less per batch so (453–472 µs against 546–596, `INFO cpu` over a steady window). Publishes
 * made while Redis is unreachable wait in ioredis' offline queue and go out, in order, on reconnect.
 *
 * Each entry carries its publisher (the node and a random id of this process) and the publisher's own
 * sequence number, so a reader drops an entry it has seen (a publish re-sent after a reconnect, when
 * Redis had applied it but the reply was lost) and counts the ones that never came
 * ({@link RedisBusStats.gaps}). An entry both caught up from the stream and heard on the channel is
 * applied once (by its id).
 *
 * What it guarantees: every node applies the entries in the one order Redis gave them, so the events of
 * one publisher arrive in their publishing order, and all remote nodes see all events in the same order.
 * With `readBack` ({@link publish}), the publisher too acts on its own entry only when it hears it back,
 * in that order: the hub delivers its own users' room messages so, and every member on every node sees
 * them in the one order.
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
  readonly #channel: string;
  readonly #writer: Publisher;
  /** Subscribed to the channel; nothing else can be sent on it. */
  readonly #sub: Redis;
  readonly #maxLen: number;
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
  /** Entries heard on the channel, not yet applied (in the channel's order). */
  #heard: string[] = [];
  /** The channel must be (re)subscribed and the stream read from `#lastId`: at start, after a reconnect. */
  #mustCatchUp = true;
  #pumping = false;
  #started = false;
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
    this.#channel = `tomada:${options.network}:live`;
    this.#maxLen = options.maxLen ?? 100_000;
    this.#onError = options.onError ?? defaultOnError;
    this.#onStatus = options.onStatus ?? (() => undefined);
    this.#publisher = `${this.node}.${randomBytes(6).toString('hex')}`;
    const common: RedisOptions = {
      // Never give up on a command while Redis is away: a publish or a read waits for the reconnect.
      maxRetriesPerRequest: null,
      ...options.redis,
    };
    const name = `tomada-${options.network}-${this.node}`;
    this.#writer = new Redis(options.url, { ...common, connectionName: `${name}-pub` }) as Publisher;
    this.#writer.defineCommand('tomadaPublish', { numberOfKeys: 2, lua: PUBLISH_LUA });
    // Subscribed again by us after a reconnect, then caught up from the stream (see #pump).
    this.#sub = new Redis(options.url, { ...common, connectionName: `${name}-sub`, autoResubscribe: false });
    for (const c of [this.#writer, this.#sub]) {
      c.on('error', (err: Error) => this.#onError(err, 'connection'));
      c.on('reconnecting', () => this.stats.reconnects++);
      c.on('ready', () => this.#status());
      c.on('close', () => this.#status());
    }
    this.#sub.on('ready', () => {
      this.#mustCatchUp = true;
      this.#kick();
    });
    this.#sub.on('message', (_channel: string, message: string) => {
      this.#heard.push(message);
      this.#kick();
    });
    // Where this node starts reading: after the stream's last entry as it is now ("0-0" when empty).
    // Fixed before anything is read, so an entry added after this point is never skipped.
    this.#ready = this.#writer.xrevrange(this.#key, '+', '-', 'COUNT', 1).then((last) => {
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
    return this.#writer.status === 'ready' && this.#sub.status === 'ready';
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
   * script call (`XADD` and `PUBLISH`) per batch rather than per message. Redis's cost per message was
   * most of what it spent (issue 12's bench: Redis ≤ 0.05 CPU-seconds per million deliveries).
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
        .tomadaPublish(this.#key, this.#channel, entries, this.#publisher, String(first), batch.join('\n'))
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
    this.#started = true;
    this.#kick();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    if (this.#pending.length > 0) this.#send(); // a `bye` published just before: it still goes out
    this.#closed = true;
    this.#handler = undefined;
    this.#readBack.clear();
    this.#heard = [];
    this.#sub.disconnect();
    // The writer sends what it holds, then quits; if Redis is away, it does not wait for ever.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.#writer.quit().catch(() => undefined),
      new Promise((r) => (timer = setTimeout(r, 2_000))),
    ]);
    clearTimeout(timer);
    this.#writer.disconnect();
  }

  #kick(): void {
    if (this.#pumping || !this.#started || this.#closed) return;
    this.#pumping = true;
    this.#pump()
      .catch((err: Error) => this.#onError(err, 'connection'))
      .finally(() => (this.#pumping = false));
  }

  /**
   * Applies entries one at a time, in order: after a (re)subscribe, those of the stream after `#lastId`
   * (read with `XREAD`), then those heard on the channel meanwhile and since (those already applied are
   * skipped by id).
   */
  async #pump(): Promise<void> {
    await this.#ready;
    while (!this.#closed) {
      if (this.#mustCatchUp) {
        if (this.#sub.status !== 'ready') return; // its 'ready' kicks again
        this.#mustCatchUp = false;
        try {
          await this.#sub.subscribe(this.#channel);
          await this.#catchUp();
        } catch (err) {
          if (this.#closed) return;
          this.#onError(err as Error, 'connection');
          this.#mustCatchUp = true;
          await new Promise((r) => setTimeout(r, 500)); // an error reply (not a lost connection): do not spin
        }
        continue;
      }
      const message = this.#heard.shift();
      if (message === undefined) return;
      const heard = readHeard(message);
      if (!heard) {
        this.#malformed(message);
        continue;
      }
      if (!idAfter(heard.id, this.#lastId!)) continue; // caught up from the stream already
      await this.#apply(heard.id, heard.entry, message);
    }
  }

  /** Reads the stream from `#lastId` to its end, applying each entry. */
  async #catchUp(): Promise<void> {
    for (;;) {
      const reply = await this.#writer.xread('COUNT', CATCH_UP_COUNT, 'STREAMS', this.#key, this.#lastId!);
      const entries = reply?.[0]?.[1] ?? [];
      for (const [id, fields] of entries) {
        if (this.#closed) return;
        await this.#apply(id, readFields(fields), fields.join(' '));
      }
      if (entries.length < CATCH_UP_COUNT) return;
    }
  }

  async #apply(id: string, entry: Entry | undefined, raw: string): Promise<void> {
    this.#lastId = id;
    if (!entry) return this.#malformed(raw);
    const own = entry.publisher === this.#publisher;
    for (let k = 0; k < entry.envelopes.length; k++) {
      const seq = entry.seq + k;
      if (!own) {
        this.#take(entry.publisher, seq, entry.envelopes[k]!);
        continue;
      }
      // An own envelope read back resolved a sender's wait: the sender's door answers (its echo) in
      // promise callbacks, which must run before the next envelope is delivered, or the echo would come
      // after it. A tick queued from here runs once the microtask queue is empty (every callback, however
      // deep its chain), and still in this event-loop turn: the deliveries of the whole entry stay one
      // batch, one write per recipient. (A turn per envelope, setImmediate, cost a write per recipient
      // per message: the two-node row fell behind at 400k deliveries/s.)
      if (this.#ownRead(seq)) await drainMicrotasks();
      if (this.#closed) return;
    }
  }

  #malformed(raw: string): void {
    this.stats.malformed++;
    this.#onError(new TypeError(`bus entry without publisher or sequence: ${raw.slice(0, 80)}`), 'envelope');
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

/** Entries read at a time when catching up from the stream. */
const CATCH_UP_COUNT = 1000;

/** The writer connection, with the script as a command (ioredis sends EVALSHA, EVAL when Redis lost it). */
type Publisher = Redis & {
  tomadaPublish(
    stream: string,
    channel: string,
    maxLen: number,
    publisher: string,
    seq: string,
    envelopes: string,
  ): Promise<string>;
};

/** Resolves after every microtask queued so far, and those they queue, have run (see `process.nextTick`). */
function drainMicrotasks(): Promise<void> {
  return new Promise((resolve) => process.nextTick(resolve));
}

/** Connection trouble is ioredis' to retry; anything else is worth a warning. */
function defaultOnError(err: Error, kind: RedisBusErrorKind): void {
  if (kind !== 'connection') process.emitWarning(err);
}
