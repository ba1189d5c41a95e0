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
