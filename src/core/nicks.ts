import type { User } from './user.js';

/**
 * Who holds which nickname (keys are case-folded). The hub is the only writer; doors read through the
 * hub (`findUser`, `users()`), never this map. Behind an interface so a network-wide registry
 * (`cluster/redis-nicks.ts`, a claim on Redis) can replace the in-memory one. Claiming is asynchronous
 * for that reason: a claim on another machine is a round trip, and the doors wait for it before they
 * welcome anyone.
 */
export interface NickRegistry {
  get(key: string): User | undefined;
  /** Takes `key` for `user`; false when someone else holds it. Of two claims at once, exactly one wins. */
  claim(key: string, user: User): Promise<boolean>;
  /** Gives `key` back, if `user` holds it. */
  release(key: string, user: User): void;
  readonly size: number;
  values(): IterableIterator<User>;
}

export class MemoryNicks implements NickRegistry {
  readonly #byKey = new Map<string, User>();

  get(key: string): User | undefined {
    return this.#byKey.get(key);
  }

  claim(key: string, user: User): Promise<boolean> {
    const holder = this.#byKey.get(key);
    if (holder && holder !== user) return Promise.resolve(false);
    this.#byKey.set(key, user);
    return Promise.resolve(true);
  }

  release(key: string, user: User): void {
    if (this.#byKey.get(key) === user) this.#byKey.delete(key);
  }

  get size(): number {
    return this.#byKey.size;
  }

  values(): IterableIterator<User> {
    return this.#byKey.values();
  }
}
