import { performance } from 'node:perf_hooks';
import { HubError } from './errors.js';
import type { HubEvent } from './events.js';
import type { AsyncHistoryStore, ChatMessage } from './history.js';
import type { Room } from './room.js';
import type { User } from './user.js';

export interface HeldMessage {
  room: Room;
  from: User;
  event: HubEvent;
  message: ChatMessage;
  resolve(m: ChatMessage): void;
  reject(err: HubError): void;
}

/**
 * Room messages waiting for an asynchronous store (group commit): those held since the last flush go to
 * the store in one flush; when it resolves they are fanned out in order (the store commits flushes in
 * call order, so the room sees commit order), when it rejects each sender is refused and no one receives
 * them. `send` fans one out and answers its sender (`resolve`), at once or later (after the bus, with
 * several nodes).
 *
 * Flushes are spaced by `spacing()` ms (0: at the end of the event-loop turn). A flush to a store in
 * another process, and with several nodes the bus entry that follows it, is a chain of round trips, each
 * waking a process: on the two-node bench that, not the bytes, was most of what the network cost per
 * message. Spaced, one flush carries every message of the interval.
 */
export class HeldMessages {
  #turn: HeldMessage[] = [];
  #last: Promise<void> = Promise.resolve();
  #scheduled = false;
  #lastFlush = -Infinity;
  readonly #flush = () => this.commit();

  constructor(
    private readonly store: AsyncHistoryStore,
    private readonly send: (m: HeldMessage) => void,
    private readonly spacing: () => number = () => 0,
    private readonly now: () => number = () => performance.now(),
  ) {}

  hold(room: Room, from: User, event: HubEvent, message: ChatMessage): Promise<ChatMessage> {
    if (!this.#scheduled) {
      this.#scheduled = true;
      const t = this.now();
      const wait = this.#lastFlush + this.spacing() - t;
      if (wait > 0) setTimeout(this.#flush, wait);
      else setImmediate(this.#flush);
    }
    return new Promise((resolve, reject) => this.#turn.push({ room, from, event, message, resolve, reject }));
  }

  /** Flushes what is held now (its timer, or shutdown). */
  commit(): void {
    this.#scheduled = false;
    if (this.#turn.length === 0) return;
    this.#lastFlush = this.now();
    const batch = this.#turn;
    this.#turn = [];
    this.#last = this.store.flush().then(
      () => {
        for (const m of batch) {
          try {
            this.send(m);
          } catch (err) {
            // As the Turn does: a failing sink is a bug to see, not a reason to hold the others.
            queueMicrotask(() => {
              throw err;
            });
          }
        }
      },
      () => {
        for (const m of batch) m.reject(new HubError('NOT_STORED', { room: m.room.name }));
      },
    );
  }

  settled(): Promise<void> {
    return this.#last;
  }
}
