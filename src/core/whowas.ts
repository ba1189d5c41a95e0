import { nickKey } from './names.js';
import type { User } from './user.js';

export interface WhowasEntry {
  nick: string;
  username: string;
  host: string;
  realname: string;
  door: string;
  at: number;
}

/** The last nicknames that left or changed (WHOWAS), oldest dropped first: bounded memory. */
export class WhowasLog {
  readonly #entries: WhowasEntry[] = [];

  constructor(
    readonly size: number,
    private readonly now: () => number,
  ) {}

  remember(user: User): void {
    const { nick, username, host, realname, door } = user;
    this.#entries.push({ nick, username, host, realname, door, at: this.now() });
    if (this.#entries.length > this.size) this.#entries.shift();
  }

  /** Newest first. */
  find(nick: string, limit: number): WhowasEntry[] {
    const key = nickKey(nick);
    return this.#entries
      .filter((w) => nickKey(w.nick) === key)
      .slice(-limit)
      .reverse();
  }
}
