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

export interface InboxOptions<T> {
  /** Messages per second, and the burst allowed above it (a token bucket). */
  rate: number;
  burst: number;
  /** Queued messages beyond which the sender is disconnected for flooding. */
  maxQueued: number;
  /**
   * Handles one message (called as flood control allows). A handler that returns a promise (registering
   * a nickname waits for the registry) holds the queue until it settles: messages are handled in order,
   * one at a time, so nothing a client sends after `NICK` is handled before the nickname is granted.
   */
  handle(item: T): void | Promise<unknown>;
  /** Called once when the queue passes `maxQueued`; the session condemns the connection. */
  onFlood(): void;
  /** Called when the queue has run empty after a drain. */
  onEmpty?(): void;
}

/**
 * The input queue every session shares: messages are handled as fast as the token bucket allows (fake
 * lag, as IRC servers do), the rest wait; a sender that keeps the queue over its limit is a flood.
 */
export class Inbox<T> {
  readonly #queue: T[] = [];
  readonly #bucket: TokenBucket;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  /** A handler's promise is pending, or the session asked to hold: nothing is handled meanwhile. */
  #held = 0;

  constructor(private readonly options: InboxOptions<T>) {
    this.#bucket = new TokenBucket(options.rate, options.burst, Date.now());
  }

  /** Queues one message; false (and `onFlood`) when the sender floods. */
  push(item: T): boolean {
    if (this.#stopped) return false;
    this.#queue.push(item);
    if (this.#queue.length > this.options.maxQueued) {
      this.stop();
      this.options.onFlood();
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
    return this.#queue.length;
  }

  /** Drops what is queued (it no longer means what it meant when it was sent). */
  clear(): void {
    this.#queue.length = 0;
  }

  /** Drops what is queued and handles nothing more (the session is closing). */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#queue.length = 0;
  }

  #drain(): void {
    this.#timer = undefined;
    while (this.#queue.length > 0 && !this.#stopped && this.#held === 0) {
      const now = Date.now();
      if (!this.#bucket.take(now)) {
        this.#timer = setTimeout(() => this.#drain(), this.#bucket.waitMs(now));
        return;
      }
      const pending = this.options.handle(this.#queue.shift()!);
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
    if (!this.#stopped && this.#held === 0) this.options.onEmpty?.();
  }
}
