/**
 * The web door's memory of recently sent messages by their client idempotency key (`message.key`), so
 * a page that resends after a reconnect (it never saw the echo of the first attempt) gets the original
 * message back instead of storing and relaying it twice. Bounded per nick and in nicks, and each key
 * forgotten after `ttlMs`: a resend later than that is a new message (the page marks such a message
 * failed rather than resending it, see src/web/outgoing.ts).
 */
import type { ChatMessage } from '../../core/history.js';

export interface IdempotencyOptions {
  /** How long a key is remembered (ms). */
  ttlMs?: number;
  /** Keys remembered per nick (the oldest go first). */
  perNick?: number;
  /** Keys remembered in all (the least recently active nick's oldest go first). */
  total?: number;
  now?: () => number;
}

interface Entry {
  message: ChatMessage;
  at: number;
}

export const IDEMPOTENCY_TTL_MS = 10 * 60_000;

export class IdempotencyCache {
  readonly #byNick = new Map<string, Map<string, Entry>>();
  /** Sent and not yet stored, by `<nick>\n<key>` (bounded by what is in flight: each leaves as it settles). */
  readonly #inFlight = new Map<string, Promise<ChatMessage>>();
  readonly #ttl: number;
  readonly #perNick: number;
  readonly #total: number;
  #count = 0;
  readonly #now: () => number;

  constructor(o: IdempotencyOptions = {}) {
    this.#ttl = o.ttlMs ?? IDEMPOTENCY_TTL_MS;
    this.#perNick = o.perNick ?? 64;
    this.#total = o.total ?? 4096;
    this.#now = o.now ?? Date.now;
  }

  /** The message first sent under `key` by `nick` (a folded nick), if still remembered. */
  get(nick: string, key: string): ChatMessage | undefined {
    const keys = this.#byNick.get(nick);
    if (!keys) return undefined;
    this.#expire(nick, keys);
    return keys.get(key)?.message;
  }

  remember(nick: string, key: string, message: ChatMessage): void {
    const keys = this.#byNick.get(nick) ?? new Map<string, Entry>();
    this.#byNick.delete(nick); // (re-)inserted below: the most recently active nick goes last
    this.#expire(nick, keys);
    if (!keys.has(key)) this.#count++;
    keys.set(key, { message, at: this.#now() });
    this.#byNick.set(nick, keys);
    while (keys.size > this.#perNick) this.#drop(nick, keys);
    while (this.#count > this.#total) {
      const [oldNick, oldKeys] = this.#byNick.entries().next().value!;
      this.#drop(oldNick, oldKeys);
    }
  }

  /**
   * The message sent under `key` by `nick` and not yet stored (an asynchronous store): a page that
   * resends it from a new socket meanwhile gets this one's answer, not a second copy. Forgotten once it
   * settles (stored: then {@link remember}ed by the door; refused: a resend is a new attempt).
   */
  inFlight(nick: string, key: string): Promise<ChatMessage> | undefined {
    return this.#inFlight.get(`${nick}\n${key}`);
  }

  track(nick: string, key: string, sending: Promise<ChatMessage>): void {
    const k = `${nick}\n${key}`;
    this.#inFlight.set(k, sending);
    const forget = () => {
      if (this.#inFlight.get(k) === sending) this.#inFlight.delete(k);
    };
    sending.then(forget, forget);
  }

  /** Keys remembered (for tests and metrics). */
  get size(): number {
    return this.#count;
  }

  /** Forgets the oldest key of `nick`. */
  #drop(nick: string, keys: Map<string, Entry>): void {
    keys.delete(keys.keys().next().value!);
    this.#count--;
    if (keys.size === 0) this.#byNick.delete(nick);
  }

  #expire(nick: string, keys: Map<string, Entry>): void {
    const oldest = this.#now() - this.#ttl;
    for (const [k, e] of keys) {
      if (e.at > oldest) break; // insertion order is time order
      keys.delete(k);
      this.#count--;
    }
    if (keys.size === 0) this.#byNick.delete(nick);
  }
}
