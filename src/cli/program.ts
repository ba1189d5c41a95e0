import { Command, CommanderError, Help, type Argument, type Option } from 'commander';
import { ConfigError, UsageError } from '../errors.js';
import { catalogueEntry, langFromEnv, parseLang, translator, type Lang, type Translate } from '../i18n/index.js';
import type { CliContext } from './context.js';
import { describeError } from './describe-error.js';
import { registerCommands } from './commands/index.js';

import { VERSION } from '../version.js';

const version = (): string => VERSION;

/** `--lang` is needed before commander runs (help texts are translated), so it is looked for first. */
function preScanLang(argv: readonly string[]): { lang?: Lang; bad?: string } {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    let value: string | undefined;
    if (a === '--lang') value = argv[i + 1];
    else if (a.startsWith('--lang=')) value = a.slice('--lang='.length);
    else continue;
    const lang = parseLang(value);
    return lang ? { lang } : { bad: value ?? '' };
  }
  return {};
}

/**
 * The placeholder words of flags and usage lines (`<file>`, `[options]`, `[address]`) in the person's
 * language: each word with a `cli.term.WORD` entry is replaced; values typed as they are (`off`,
 * `host:`) have no entry and stay.
 */
export function localiseTerm(text: string, tr: Translate): string {
  const word = (w: string) => {
    const key = `cli.term.${w}`;
    return catalogueEntry(key) ? tr(key) : w;
  };
  return text.replace(/[<[][^\s]*/g, (term) => term.replace(/[a-z]+/g, word));
}

/** commander's own words (help titles, default and choices notes, usage terms), through the catalogue. */
function localiseCommander(program: Command, tr: Translate): void {
  const titles: Record<string, string> = {
    'Usage:': tr('cli.help.usage'),
    'Options:': tr('cli.help.options'),
    'Commands:': tr('cli.help.commands'),
    'Arguments:': tr('cli.help.arguments'),
    'Global Options:': tr('cli.help.globalOptions'),
  };
  const notes: Record<string, string> = {
    choices: tr('cli.help.choices'),
    default: tr('cli.help.default'),
    preset: tr('cli.help.preset'),
    env: tr('cli.help.env'),
  };
  // commander appends "(choices: …, default: …)" to a description: its words are at the start of the
  // parenthesis or after ", ".
  const extras = (text: string, plain: string) => {
    if (text === plain) return text;
    const head = plain ? plain.length + 1 : 0;
    const tail = text
      .slice(head)
      .replace(/(^\(|, )(choices|default|preset|env): /g, (_m, lead: string, w: string) => `${lead}${notes[w]} `);
    return text.slice(0, head) + tail;
  };
  program.configureHelp({
    styleTitle: (str: string) => titles[str] ?? str,
    commandUsage(this: Help, cmd: Command) {
      return localiseTerm(Help.prototype.commandUsage.call(this, cmd), tr);
    },
    subcommandTerm(this: Help, cmd: Command) {
      return localiseTerm(Help.prototype.subcommandTerm.call(this, cmd), tr);
    },
    optionTerm(this: Help, option: Option) {
      return localiseTerm(Help.prototype.optionTerm.call(this, option), tr);
    },
    argumentTerm(this: Help, argument: Argument) {
      return localiseTerm(`[${Help.prototype.argumentTerm.call(this, argument)}]`, tr).slice(1, -1);
    },
    optionDescription(this: Help, option: Option) {
      return extras(Help.prototype.optionDescription.call(this, option), option.description);
    },
    argumentDescription(this: Help, argument: Argument) {
      return extras(Help.prototype.argumentDescription.call(this, argument), argument.description);
    },
  });
  program.helpOption('-h, --help', tr('cli.help.helpOption'));
  if (program.commands.length > 0) program.helpCommand('help [command]', tr('cli.help.helpCommand'));
}

/** commander's error lines, in the person's language (the quoted names stay as they were typed). */
export function localiseCommanderError(line: string, tr: Translate): string {
  const term = (name: string) => localiseTerm(name, tr);
  const rules: Array<[RegExp, (m: RegExpExecArray) => string]> = [
    [/^error: unknown command '(.*)'/, (m) => tr('cli.usage.unknownCommand', { name: m[1]! })],
    [/^error: unknown option '(.*)'/, (m) => tr('cli.usage.unknownOption', { name: m[1]! })],
    [
      /^error: missing required argument '(.*)'/,
      (m) => tr('cli.usage.missingArgument', { name: term(`[${m[1]!}]`).slice(1, -1) }),
    ],
    [/^error: option '(.*)' argument missing/, (m) => tr('cli.usage.optionMissingArgument', { name: term(m[1]!) })],
    [/^error: required option '(.*)' not specified/, (m) => tr('cli.usage.requiredOption', { name: term(m[1]!) })],
    [
      /^error: option '(.*)' cannot be used with option '(.*)'/,
      (m) => tr('cli.usage.conflict', { a: term(m[1]!), b: term(m[2]!) }),
    ],
    [/^error: too many arguments(?: for '(.*)')?/, (m) => tr('cli.usage.tooManyArguments', { name: m[1] ?? 'tomada' })],
    [
      /^error: option '(.*)' argument '(.*)' is invalid\. Allowed choices are (.*)\./,
      (m) => tr('cli.usage.badChoice', { flag: m[1]!.split(' ')[0]!, value: m[2]!, choices: m[3]! }),
    ],
    [
      /^error: option '(.*)' argument '(.*)' is invalid\.(.*)/,
      (m) => tr('cli.usage.badValue', { flag: term(m[1]!), value: m[2]!, detail: m[3]!.trim() }),
    ],
    [
      /^error: command-argument value '(.*)' is invalid for argument '(.*)'\.(.*)/,
      (m) => tr('cli.usage.badValue', { flag: term(`[${m[2]!}]`).slice(1, -1), value: m[1]!, detail: m[3]!.trim() }),
    ],
    // Anything commander may add later: still one line with the translated prefix.
    [/^error: (.*)/, (m) => m[1]!],
  ];
  const trimmed = line.trimEnd();
  const suggestion = /\n?\(Did you mean (.*)\?\)$/.exec(trimmed);
  const first = trimmed.split('\n')[0]!;
  for (const [re, say] of rules) {
    const m = re.exec(first);
    if (m) {
      const hint = suggestion ? ' ' + tr('cli.usage.didYouMean', { name: suggestion[1]! }) : '';
      return `tomada: ${tr('cli.error.prefix')}: ${say(m)}${hint}\n`;
    }
  }
  return line;
}

/**
 * Builds the whole `tomada` program (every command, every text in `ctx.lang`) without running it;
 * tests walk it to check each command's help.
 */
export function buildProgram(ctx: CliContext): Command {
  const { tr } = ctx;
  const program = new Command('tomada');
  program
    .description(tr('cli.description'))
    .version(version(), '-V, --version', tr('cli.help.versionOption'))
    .option('--lang <lang>', tr('cli.opt.lang'))
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void ctx.stdout.write(s),
      writeErr: (s) => void ctx.stderr.write(s),
      outputError: (s, write) => write(localiseCommanderError(s, tr)),
    })
    .showSuggestionAfterError()
    .enablePositionalOptions(false);
  registerCommands(program, ctx);
  // After registering: commands built on their own and added with addCommand inherit nothing.
  const output = program.configureOutput();
  const walk = (cmd: Command) => {
    localiseCommander(cmd, tr);
    cmd.configureOutput(output).exitOverride();
    cmd.commands.forEach(walk);
  };
  walk(program);
  return program;
}

export interface RunIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
}

/**
 * Runs the `tomada` command line and resolves to the exit status: 0 success, 1 runtime failure,
 * 2 bad usage. Never throws.
 */
export async function run(argv: string[], io: RunIo = process): Promise<number> {
  const scan = preScanLang(argv);
  const lang = scan.lang ?? langFromEnv(io.env);
  const tr = translator(lang);
  const err = (line: string) => void io.stderr.write(line + '\n');
  if (scan.bad !== undefined) {
    err(`tomada: ${tr('cli.error.prefix')}: ${tr('cli.usage.badLang', { value: scan.bad })}`);
    return 2;
  }
  const ctx: CliContext = {
    lang,
    tr,
    out: (line) => void io.stdout.write(line + '\n'),
    err,
    stdout: io.stdout,
    stderr: io.stderr,
    stdin: io.stdin,
  };
  const program = buildProgram(ctx);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version exit 0; everything commander rejects is bad usage.
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
      if (e.code === 'commander.help' || e.code === 'commander.executeSubCommandAsync') return 2;
      return 2;
    }
    // A configuration that cannot run is bad usage too, said before anything starts.
    if (e instanceof UsageError || e instanceof ConfigError) {
      err(`tomada: ${tr('cli.error.prefix')}: ${describeError(e, tr)}`);
      return 2;
    }
    err(`tomada: ${tr('cli.error.prefix')}: ${describeError(e, tr)}`);
    return 1;
  }
}
