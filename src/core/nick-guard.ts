import { randomInt } from 'node:crypto';
import { HubError } from './errors.js';
import type { Hub } from './hub.js';
import type { Identity } from './identity.js';
import { nickKey } from './names.js';
import type { HubObserver } from './observer.js';
import type { User } from './user.js';

/**
 * Nick protection: a registered nickname used by someone not logged in to its account gets a grace
 * period, then is changed to a guest name (`Guest12345`), on every door (the others see the rename as
 * any nick change). Watches the hub; one timer per user in the grace period, none otherwise.
 */
export class NickGuard implements HubObserver {
  readonly #timers = new Map<User, NodeJS.Timeout>();
  #stopped = false;

  constructor(
    private readonly hub: Hub,
    private readonly identity: Identity,
    private readonly graceSecs: number,
  ) {
    hub.observe(this);
  }

  registered(user: User): void {
    this.#check(user);
  }

  nickChanged(user: User): void {
    this.#check(user);
  }

  /** Logged in to the nick's account: no more grace; logged out (signed out on the web): a grace begins. */
  accountChanged(user: User): void {
    this.#check(user);
  }

  quit(user: User): void {
    this.#clear(user);
  }

  stop(): void {
    this.#stopped = true;
    for (const t of this.#timers.values()) clearTimeout(t);
    this.#timers.clear();
  }

  #clear(user: User): void {
    const t = this.#timers.get(user);
    if (t) clearTimeout(t);
    this.#timers.delete(user);
  }

  #check(user: User): void {
    this.#clear(user);
    if (this.#stopped || owns(user, user.nick)) return;
    const nick = user.nick;
    // After the turn: the door that registered the user has sent its welcome by then.
    setImmediate(() => void this.#start(user, nick));
  }

  async #start(user: User, nick: string): Promise<void> {
    let registered: boolean;
    try {
      registered = await this.identity.isRegistered(nick);
    } catch {
      return; // the store is away: nobody is renamed for it
    }
    if (!registered || !this.#current(user, nick) || this.#timers.has(user)) return;
    user.sink.accountNotice?.('grace', { nick, secs: this.graceSecs });
    const timer = setTimeout(() => void this.#expire(user, nick), this.graceSecs * 1000);
    this.#timers.set(user, timer);
  }

  #current(user: User, nick: string): boolean {
    return !this.#stopped && this.hub.isRegistered(user) && user.nick === nick && !owns(user, nick);
  }

  async #expire(user: User, nick: string): Promise<void> {
    this.#timers.delete(user);
    for (let i = 0; i < 5 && this.#current(user, nick); i++) {
      try {
        await this.hub.changeNick(user, `Guest${randomInt(10_000, 100_000)}`);
        return;
      } catch (err) {
        if (!(err instanceof HubError)) return;
      }
    }
  }
}

/** Whether the user is logged in to the account of `nick`. */
function owns(user: User, nick: string): boolean {
  return user.account !== undefined && nickKey(user.account) === nickKey(nick);
}
