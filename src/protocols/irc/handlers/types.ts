import type { IrcMessage } from '../../../codec/irc/message.js';
import type { IrcSession } from '../session.js';

/** How the session dispatches one command. */
export interface CommandSpec {
  /** Parameters needed; fewer → 461 ERR_NEEDMOREPARAMS (or `onMissing`). */
  min: number;
  /** Only after registration (else 451 ERR_NOTREGISTERED). */
  registered: boolean;
  /** A promise (registering a nickname) holds the client's later commands until it settles. */
  handle(s: IrcSession, msg: IrcMessage): void | Promise<void>;
  onMissing?(s: IrcSession, msg: IrcMessage): void;
}

export type CommandTable = Record<string, CommandSpec>;

/** `a,b,,c` → `['a','b','c']`. */
export function list(param: string | undefined): string[] {
  return (param ?? '').split(',').filter((x) => x !== '');
}

/** Runs `f` on each item in turn; one that answers later holds the rest until it has. */
export function inOrder<T>(items: T[], f: (item: T) => void | Promise<void>, from = 0): void | Promise<void> {
  for (let i = from; i < items.length; i++) {
    const pending = f(items[i]!);
    if (pending) return pending.then(() => inOrder(items, f, i + 1));
  }
}
