import { randomBytes } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import { decodeEnvelope, encodeEnvelope, type Bus, type BusMessage } from '../core/bus.js';
import { Chain, ReadBacks, Sequences } from './bus-chain.js';
import { ChannelReader, PUBLISH_LUA, readFields, readReply, type Entry, type Link } from './bus-entry.js';

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
 * The bus on a Redis Stream, `tomada:<network>:events`. Each batch of envelopes (see {@link publish}) is
 * one entry, encoded once per batch and never per recipient, added by one script (`PUBLISH_LUA`) that also
 * sends it, after a header with its id and the id of the entry before it, on the channel of every other
 * node listening.
 * The entries so form one chain, the stream's order; each node applies them along it ({@link Chain}),
 * the publisher placing its own entry by the script's answer. A node reads the stream itself only to
 * catch up, from the last id it applied: at start, after any reconnect of its subscription, and when a
 * link has not come within {@link GAP_MS}.
 *
 * Why both: pub/sub delivers at most once, to whoever is connected at that moment; the stream lets a
 * node that was away ask for everything after its last id. Why not the stream alone (`XREAD BLOCK`, as
 * before): every reader must ask again after each answer, so Redis woke up once per batch per node on top
 * of the publisher's `XADD`; a subscriber never asks again. Publishes made while Redis is unreachable
 * wait in ioredis' offline queue and go out, in order, on reconnect.
 *
 * Each entry carries its publisher (the node and a random id of this process) and the publisher's own
 * sequence number, so a reader drops an entry it has seen (a publish re-sent after a reconnect, when
 * Redis had applied it but the reply was lost) and counts those that never came ({@link RedisBusStats.gaps}).
 *
 * What it guarantees: every node applies the entries in the one order Redis gave them; with `readBack`
 * ({@link publish}) the publisher acts on its own entry at its place in that order too, so the hub's room
 * messages reach every member on every node in the same order. What it does not: Redis restarted without
 * persistence loses the entries not yet read (counted as gaps; history has the messages, stored before
 * delivery; with AOF on nothing is lost), as does a node away for longer than `maxLen` events. Entry ids
 * are times in ms, so after such a restart new entries still sort after the last id a node read.
 */
export class RedisBus implements Bus {
  readonly node: number;
  readonly nodes: number;
  /** One order for every node: the stream's. */
  readonly ordered = true;
  readonly stats: RedisBusStats = { published: 0, received: 0, duplicates: 0, gaps: 0, malformed: 0, reconnects: 0 };
  readonly #key: string;
  /** This node's channel, the set of nodes listening, the key of the chain's last id. */
  readonly #channel: string;
  readonly #listeners: string;
  readonly #lastKey: string;
  readonly #channelPrefix: string;
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
  readonly #readBack = new ReadBacks();
  /** The highest sequence number read from each publisher. */
  readonly #seen = new Sequences();
  /** The entries in the stream's order; its last is where this node reads the stream from. */
  readonly #chain = new Chain<Link>();
  readonly #ready: Promise<void>;
  #handler: ((e: BusMessage) => void) | undefined;
  /** A link of the chain is late: after {@link GAP_MS} the stream is read. */
  #gapTimer: NodeJS.Timeout | undefined;
  /** The channel must be (re)subscribed, this node listed, and the stream read: at start, after a reconnect. */
  #mustSubscribe = true;
  /** The stream must be read from the chain's last id (after a subscribe, or a link that did not come). */
  #mustCatchUp = false;
  #pumping = false;
  /** What the channel brings, header and envelopes, paired into entries. */
  readonly #heard = new ChannelReader();
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
    this.#channelPrefix = `tomada:${options.network}:live:`;
    this.#channel = `${this.#channelPrefix}${this.node}`;
    this.#listeners = `tomada:${options.network}:listeners`;
    this.#lastKey = `tomada:${options.network}:last`;
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
    this.#writer.defineCommand('tomadaPublish', { numberOfKeys: 3, lua: PUBLISH_LUA });
    // Subscribed again by us after a reconnect, then caught up from the stream (see #pump).
    this.#sub = new Redis(options.url, { ...common, connectionName: `${name}-sub`, autoResubscribe: false });
    for (const c of [this.#writer, this.#sub]) {
      c.on('error', (err: Error) => this.#onError(err, 'connection'));
      c.on('reconnecting', () => this.stats.reconnects++);
      c.on('ready', () => this.#status());
      c.on('close', () => this.#status());
    }
    this.#sub.on('ready', () => {
      this.#heard.reset();
      this.#mustSubscribe = true;
      this.#kick();
    });
    this.#sub.on('message', (_channel: string, message: string) => {
      const link = this.#heard.read(message);
      if (link === undefined) return; // a header: its envelopes come next
      // Unreadable on the channel: the stream has the entry (or not: then there is nothing to miss).
      if (link === null) this.#mustCatchUp = true;
      else this.#chain.add(link);
      this.#kick();
    });
    // Where this node starts reading: after the stream's last entry as it is now ("0-0" when empty).
    // Fixed before anything is read, so an entry added after this point is never skipped.
    this.#ready = this.#writer.xrevrange(this.#key, '+', '-', 'COUNT', 1).then((last) => {
      this.#chain.moveTo(last[0]?.[0] ?? '0-0');
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
        .tomadaPublish(
          this.#key,
          this.#listeners,
          this.#lastKey,
          entries,
          this.#publisher,
          String(first),
          // A Buffer, not the string: strings handed to ioredis outlive young collections (measured, not
          // explained: 380 KB/s promoted in a probe, none for the same bytes on a bare socket), and a 10-KB
          // one per batch cost the two-node bench 3–20-ms pauses; a Buffer's bytes live outside the JS heap.
          Buffer.from(batch.join('\n')),
          String(this.node),
          this.#channelPrefix,
        )
        .then((reply) => this.#placed(reply, { publisher: this.#publisher, seq: first, envelopes: batch }))
        .catch((err: Error) => {
          this.#onError(err, 'connection');
          // Refused by Redis (not a lost connection: those wait and retry): this node's members still get
          // them, out of the stream's order rather than never.
          for (let k = 0; k < batch.length; k++) this.#ownRead(first + k);
        });
    }
  }

  /** The script's answer: where this node's own entry is in the chain (unknown: read it from the stream). */
  #placed(reply: unknown, entry: Entry): void {
    const place = readReply(reply);
    if (place) this.#chain.add({ ...place, entry });
    else this.#mustCatchUp = true;
    this.#kick();
  }

  /** This node's entry `seq` is read back (or will never be): its waiting work runs now. */
  #ownRead(seq: number): boolean {
    const then = this.#readBack.take(seq);
    if (!then) return false;
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
    this.#chain.clear();
    clearTimeout(this.#gapTimer);
    this.#sub.disconnect();
    // Off the list of listeners (were it left, the next publish would take it off: nobody hears it).
    void this.#writer.srem(this.#listeners, String(this.node)).catch(() => undefined);
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
   * Applies entries one at a time, along the chain: after a (re)subscribe, those of the stream after
   * the chain's last id (read with `XREAD`), then each entry that follows the last applied, whether heard or this
   * node's own (those already applied are skipped by id; one that comes early waits for the one before).
   */
  async #pump(): Promise<void> {
    await this.#ready;
    while (!this.#closed) {
      if (this.#mustSubscribe || this.#mustCatchUp) {
        if (this.#sub.status !== 'ready') return; // its 'ready' kicks again
        const subscribe = this.#mustSubscribe;
        this.#mustSubscribe = false;
        this.#mustCatchUp = false;
        try {
          if (subscribe) {
            // Subscribed, then listed (publishes come to it from then on), then the stream read up to now:
            // no entry falls between.
            await this.#sub.subscribe(this.#channel);
            await this.#writer.sadd(this.#listeners, String(this.node));
          }
          await this.#catchUp();
        } catch (err) {
          if (this.#closed) return;
          this.#onError(err as Error, 'connection');
          if (subscribe) this.#mustSubscribe = true;
          else this.#mustCatchUp = true;
          await new Promise((r) => setTimeout(r, 500)); // an error reply (not a lost connection): do not spin
        }
        continue;
      }
      const next = this.#chain.take();
      if (next === undefined) {
        if (this.#chain.stalled) this.#watchGap();
        return;
      }
      await this.#apply(next.id, next.entry);
    }
  }

  /** A link that has not come within {@link GAP_MS} is read from the stream (with what follows it). */
  #watchGap(): void {
    if (this.#gapTimer) return;
    const waitingFor = this.#chain.last;
    this.#gapTimer = setTimeout(() => {
      this.#gapTimer = undefined;
      if (this.#closed || !this.#chain.stalled) return;
      if (this.#chain.last !== waitingFor) return this.#kick(); // it came meanwhile; look again
      this.#mustCatchUp = true;
      this.#kick();
    }, GAP_MS);
  }

  /** Reads the stream from the chain's last id to its end, applying each entry. */
  async #catchUp(): Promise<void> {
    for (;;) {
      const reply = await this.#writer.xread('COUNT', CATCH_UP_COUNT, 'STREAMS', this.#key, this.#chain.last);
      const entries = reply?.[0]?.[1] ?? [];
      for (const [id, fields] of entries) {
        if (this.#closed) return;
        await this.#apply(id, readFields(fields), fields);
      }
      if (entries.length < CATCH_UP_COUNT) return;
    }
  }

  /** `fields`: the stream entry's, when it was read from the stream (they name it in a warning). */
  async #apply(id: string, entry: Entry | undefined, fields?: string[]): Promise<void> {
    this.#chain.moveTo(id);
    if (!entry) return this.#malformed(fields ? fields.join(' ') : `entry ${id}`);
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
    const missed = this.#seen.take(publisher, seq);
    if (missed < 0) {
      this.stats.duplicates++;
      return;
    }
    this.stats.gaps += missed;
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

/** How long an entry may wait for the one before it before the stream is read (ms). */
const GAP_MS = 250;

/** Entries read at a time when catching up from the stream. */
const CATCH_UP_COUNT = 1000;

/** The writer connection, with the script as a command (ioredis sends EVALSHA, EVAL when Redis lost it). */
type Publisher = Redis & { tomadaPublish(...keysThenArgs: Array<string | number | Buffer>): Promise<unknown> };

/** Resolves after every microtask queued so far, and those they queue, have run (see `process.nextTick`). */
function drainMicrotasks(): Promise<void> {
  return new Promise((resolve) => process.nextTick(resolve));
}

/** Connection trouble is ioredis' to retry; anything else is worth a warning. */
function defaultOnError(err: Error, kind: RedisBusErrorKind): void {
  if (kind !== 'connection') process.emitWarning(err);
}
