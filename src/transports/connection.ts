import type { Duplex } from 'node:stream';
import { TokenBucket } from '../core/rate-limit.js';

/** How long a polite goodbye waits for the peer to read it before the socket is cut. */
export const GOODBYE_DEADLINE_MS = 2000;
/** A condemned connection (over-long line, too-big message, flood) gets this long to take its goodbye. */
export const CONDEMNED_DEADLINE_MS = 250;

/**
 * Ends a socket once what is queued is written. A condemned one reads nothing more from this moment
 * (a peer that keeps writing after its over-long line must not keep the server busy) and gets a short
 * deadline; a polite one a longer one, for a peer that never reads would keep it half-open forever.
 */
export function endSocket(socket: Duplex, condemned: boolean): void {
  if (condemned) {
    socket.pause();
    socket.removeAllListeners('data');
  }
  socket.end();
  setTimeout(() => socket.destroy(), condemned ? CONDEMNED_DEADLINE_MS : GOODBYE_DEADLINE_MS).unref();
}

/**
 * Refuses a connection at the door (the server or this address is full): one goodbye in the door's
 * words, nothing read, the socket cut shortly after. A refused peer must not hold a descriptor for long.
 */
export function refuseSocket(socket: Duplex, goodbye: string): void {
  socket.write(goodbye);
  endSocket(socket, true);
}

/**
 * The registration deadline every session has: a connection that has not chosen a name by then is
 * ended by `expire` (each door says so in its own words). Unref'd: it never keeps the process alive.
 */
export function registrationDeadline(secs: number, expire: () => void): NodeJS.Timeout {
  return setTimeout(expire, secs * 1000).unref();
}

/**
 * Drops a reader that does not read (slow consumer) with a TCP reset: its unsent bytes are thrown away
 * by the kernel at once instead of waiting in kernel memory for a reader that will not come. TLS sockets
 * cannot be reset from Node; they are destroyed.
 */
export function resetSocket(socket: Duplex): void {
  const s = socket as Duplex & { resetAndDestroy?: () => void };
  try {
    if (typeof s.resetAndDestroy === 'function') s.resetAndDestroy();
    else socket.destroy();
  } catch {
    socket.destroy();
  }
}

/**
 * What a session does with its socket's events. Methods on the session, not closures: the three
 * listeners below are shared by every connection, so an idle one carries none of its own (bench
 * scenario 3 counts every byte an idle connection holds).
 */
export interface SocketOwner {
  socketData(chunk: Buffer): void;
  /** The peer finished sending (FIN). */
  socketEnd(): void;
  socketClosed(): void;
}

const kOwner = Symbol('tomada.socketOwner');
type Owned = Duplex & { [kOwner]: SocketOwner };

function onOwnedData(this: Owned, chunk: Buffer): void {
  this[kOwner].socketData(chunk);
}
function onOwnedEnd(this: Owned): void {
  this[kOwner].socketEnd();
}
function onOwnedClose(this: Owned): void {
  this[kOwner].socketClosed();
}

/** Hands a socket's data, end and close to `owner`. */
export function attachSocket(socket: Duplex, owner: SocketOwner): void {
  (socket as Owned)[kOwner] = owner;
  socket.on('data', onOwnedData);
  socket.on('end', onOwnedEnd);
  socket.on('close', onOwnedClose);
}

/** A connection a {@link Sweep} looks at now and then (keep-alive probes, idle deadlines). */
export interface Sweepable {
  sweep(now: number): void;
}

/**
 * One timer for every connection of a kind instead of one timer each: a keep-alive probe need not be
 * punctual to the millisecond, and 10,000 idle connections then carry 10,000 set entries, not 10,000
 * timers with their closures. Runs only while it has members; unref'd.
 */
export class Sweep<T extends Sweepable> {
  readonly #members = new Set<T>();
  #timer: NodeJS.Timeout | undefined;

  constructor(readonly periodMs: number) {}

  add(member: T): void {
    this.#members.add(member);
    if (!this.#timer) this.#timer = setInterval(() => this.#tick(), this.periodMs).unref();
  }

  delete(member: T): void {
    this.#members.delete(member);
    if (this.#members.size === 0 && this.#timer) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }

  get size(): number {
    return this.#members.size;
  }

  /** The members now (a door's open connections, when they are all swept). */
  [Symbol.iterator](): IterableIterator<T> {
    return this.#members.values();
  }

  #tick(): void {
    const now = Date.now();
    // A member may leave during its own sweep: deleting the current entry is safe in a Set's iteration.
    for (const m of this.#members) m.sweep(now);
  }
}

/** How often keep-alive is swept: a quarter of the shorter of the two delays, within 250 ms..15 s. */
export function keepAlivePeriodMs(intervalSecs: number, timeoutSecs: number): number {
  return Math.min(15_000, Math.max(250, (Math.min(intervalSecs, timeoutSecs) * 1000) / 4));
}

/** The flood-control limits an {@link Inbox} reads (the server's shared `limits`: no copy per connection). */
export interface InboxLimits {
  /** Messages per second, and the burst allowed above it (a token bucket). */
  readonly floodRate: number;
  readonly floodBurst: number;
  /** Queued messages beyond which the sender is disconnected for flooding. */
  readonly floodQueue: number;
}

/**
 * The session an {@link Inbox} works for. Methods, not callbacks: an idle connection must not carry a
 * closure per callback (bench scenario 3 counts every byte an idle connection holds).
 */
export interface InboxOwner<T> {
  /**
   * Handles one message (called as flood control allows). A handler that returns a promise (registering
   * a nickname waits for the registry) holds the queue until it settles: messages are handled in order,
   * one at a time, so nothing a client sends after `NICK` is handled before the nickname is granted.
   */
  inboxHandle(item: T): void | Promise<unknown>;
  /**
   * Whether `item`, handled now, is a room message whose answer may come later without holding the
   * queue (see {@link Inbox}): a person's next messages go on while the store commits this one, in
   * order all the same. Anything else (a command) waits until every such message has been answered.
   */
  inboxPipelines?(item: T): boolean;
  /** Called once when the queue passes `floodQueue`; the session condemns the connection. */
  inboxFlooded(): void;
  /** Called when the queue has run empty after a drain. */
  inboxEmpty?(): void;
}

/** Room messages of one person handled and not yet answered, at most (see {@link Inbox}). */
const MAX_IN_FLIGHT = 32;

/**
 * The input queue every session shares: messages are handled as fast as the token bucket allows (fake
 * lag, as IRC servers do), the rest wait; a sender that keeps the queue over its limit is a flood.
 */
// A TokenBucket itself rather than holding one: one object less for every connection (bench scenario 3).
export class Inbox<T> extends TokenBucket {
  // Created on the first message: most idle connections never queue anything.
  #queue: T[] | undefined;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  /** A handler's promise is pending, or the session asked to hold: nothing is handled meanwhile. */
  #held = 0;
  /** Room messages handled and not yet answered (see {@link InboxOwner.inboxPipelines}). */
  #inFlight = 0;
  /** Gives back the connection's place in the limits, kept while it finishes (see {@link finish}). */
  #releaseSlot: (() => void) | undefined;

  constructor(
    private readonly owner: InboxOwner<T>,
    private readonly limits: InboxLimits,
  ) {
    super(limits.floodRate, limits.floodBurst, Date.now());
  }

  /** Queues one message; false (and `inboxFlooded`) when the sender floods. */
  push(item: T): boolean {
    if (this.#stopped) return false;
    const queue = (this.#queue ??= []);
    queue.push(item);
    if (queue.length > this.limits.floodQueue) {
      this.stop();
      this.owner.inboxFlooded();
      return false;
    }
    if (!this.#timer && this.#held === 0) this.#drain();
    return true;
  }

  /** Handles nothing until {@link release} (a session waits for something outside the queue). */
  hold(): void {
    this.#held++;
  }

  release(): void {
    if (this.#held === 0) return;
    this.#held--;
    if (this.#held === 0 && !this.#timer && !this.#stopped) this.#drain();
  }

  get length(): number {
    return this.#queue?.length ?? 0;
  }

  /** Drops what is queued (it no longer means what it meant when it was sent). */
  clear(): void {
    this.#queue = undefined;
  }

  /**
   * The peer finished sending (FIN): whether what it sent is still to be handled (queued, or behind a
   * command that waits), at the flood rate, after which the owner is told (`inboxEmpty`) and ends the
   * session. Only while the connection keeps its place in the limits (`holdSlot`, given back at
   * {@link stop}): a session outliving its socket must still count, or connect, send, close would pile
   * them up. False: nothing is left, or no place could be kept; the session ends now.
   */
  finish(holdSlot: () => (() => void) | undefined): boolean {
    if (this.#stopped || (this.length === 0 && this.#held === 0)) return false;
    this.#releaseSlot ??= holdSlot();
    return this.#releaseSlot !== undefined;
  }

  /** {@link finish} said yes: the session ends when the inbox has run empty, not when its socket closes. */
  get finishing(): boolean {
    return this.#releaseSlot !== undefined;
  }

  /** Drops what is queued and handles nothing more (the session is closing). */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#queue = undefined;
    this.#releaseSlot?.();
    this.#releaseSlot = undefined;
  }

  #settled(): void {
    this.#inFlight--;
    if (!this.#timer && this.#held === 0 && !this.#stopped) this.#drain();
  }

  #drain(): void {
    this.#timer = undefined;
    for (;;) {
      const queue = this.#queue;
      if (!queue || queue.length === 0 || this.#stopped || this.#held !== 0) break;
      // With an asynchronous store a room message is answered after its commit (and the bus): waiting
      // for each would cap a person at one message per round trip. Room messages go on while earlier
      // ones commit (they keep their order: flushes commit, and the bus delivers, in call order), up to
      // a bound; anything else waits for them. Each answer resumes the drain.
      let pipelined = false;
      if (this.#inFlight > 0 || this.owner.inboxPipelines) {
        pipelined = this.owner.inboxPipelines?.(queue[0]!) ?? false;
        if (this.#inFlight > 0 && (!pipelined || this.#inFlight >= MAX_IN_FLIGHT)) return;
      }
      const now = Date.now();
      if (!this.take(now)) {
        this.#timer = setTimeout(() => this.#drain(), this.waitMs(now));
        return;
      }
      const pending = this.owner.inboxHandle(queue.shift()!);
      if (pending && pipelined) {
        this.#inFlight++;
        // The handler reports its own errors. (A closure per message, not a field per idle connection.)
        const settled = () => this.#settled();
        pending.then(settled, settled);
        continue;
      }
      if (pending) {
        this.#held++;
        // The handler reports its own errors; a rejection here only releases the queue.
        pending.then(
          () => this.release(),
          () => this.release(),
        );
        return;
      }
    }
    if (this.#queue?.length === 0) this.#queue = undefined;
    if (!this.#stopped && this.#held === 0 && this.#inFlight === 0) this.owner.inboxEmpty?.();
  }
}
