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
 * Room messages waiting for an asynchronous store (group commit): those of one turn go to the store in
 * one flush; when it resolves they are fanned out in order (the store commits flushes in call order, so
 * the room sees commit order), when it rejects each sender is refused and no one receives them. `send`
 * fans one out and answers its sender (`resolve`), at once or later (after the bus, with several nodes).
 */
export class HeldMessages {
  #turn: HeldMessage[] = [];
  #last: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: AsyncHistoryStore,
    private readonly send: (m: HeldMessage) => void,
  ) {}

  hold(room: Room, from: User, event: HubEvent, message: ChatMessage): Promise<ChatMessage> {
    return new Promise((resolve, reject) => this.#turn.push({ room, from, event, message, resolve, reject }));
  }

  commit(): void {
    if (this.#turn.length === 0) return;
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
