import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { UsageError } from '../errors.js';
import { langFromEnv, parseLang, translator, type Lang } from '../i18n/index.js';
import type { CliContext } from './context.js';
import { describeError } from './describe-error.js';
import { registerCommands } from './commands/index.js';

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    return pkg.version;
  } catch {
    return '0.0.0';
  }
}

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
  const program = new Command('tomada');
  program
    .description(tr('cli.description'))
    .version(version())
    .option('--lang <lang>', tr('cli.opt.lang'))
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
    })
    .showSuggestionAfterError()
    .enablePositionalOptions(false);
  registerCommands(program, ctx);
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
    if (e instanceof UsageError) {
      err(`tomada: ${tr('cli.error.prefix')}: ${describeError(e, tr)}`);
      return 2;
    }
    err(`tomada: ${tr('cli.error.prefix')}: ${describeError(e, tr)}`);
    return 1;
  }
}
