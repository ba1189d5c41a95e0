import type { Command } from 'commander';
import { Option } from 'commander';
import { UsageError } from '../errors.js';
import type { Lang, Translate } from '../i18n/index.js';

/** What every command gets: the language, a translator and where to write. */
export interface CliContext {
  lang: Lang;
  tr: Translate;
  /** Writes one line to standard output. */
  out(line: string): void;
  /** Writes one line to standard error. */
  err(line: string): void;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
}

/** How a command file plugs itself into the program. */
export type RegisterCommand = (program: Command, ctx: CliContext) => void;

/**
 * Resolves when the process gets SIGINT or SIGTERM (servers stop cleanly then), with the signal name.
 * The listeners are removed once it fires, so a second Ctrl-C kills as usual.
 */
export function waitForStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

/** An option restricted to a set of values, with the error in the user's language. */
export function choiceOption(flags: string, description: string, choices: readonly string[], def?: string): Option {
  const flag = flags.split(/[ ,]/).find((f) => f.startsWith('--')) ?? flags;
  const opt = new Option(flags, description).argParser((value: string) => {
    if (!choices.includes(value)) {
      throw new UsageError('cli.usage.badChoice', { flag, value, choices: choices.join(', ') });
    }
    return value;
  });
  if (def !== undefined) opt.default(def);
  return opt;
}
