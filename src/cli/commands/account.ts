import type { ReadStream } from 'node:tty';
import type { Command } from 'commander';
import type { AccountStore } from '../../core/account-store.js';
import { nickProblem } from '../../core/names.js';
import { hashPassword, passwordProblem, PASSWORD_MAX_BYTES } from '../../core/passwords.js';
import { CommandFailure, UsageError } from '../../errors.js';
import { redactUrl, storeUrlProblem } from '../../storage/url.js';
import type { CliContext } from '../context.js';

interface StoreFlags {
  dataDir: string;
  /** `postgres://…`: the accounts of a server run with `--store` (then `dataDir` is not read). */
  store?: string;
}
interface PasswordFlags extends StoreFlags {
  passwordStdin?: boolean;
}

const DEFAULT_DATA_DIR = './data';

/** Reads one line of standard input (`--password-stdin`), without its line ending; bounded. */
async function readStdinLine(stdin: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stdin) {
    text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    if (text.includes('\n') || Buffer.byteLength(text) > PASSWORD_MAX_BYTES * 4) break;
  }
  return text.split(/\r?\n/)[0]!;
}

/** Asks on the terminal with echo off (raw mode: the typed characters are read, never shown). */
function askHidden(ctx: CliContext, prompt: string): Promise<string> {
  const stdin = ctx.stdin as ReadStream;
  ctx.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let typed = '';
    const done = (err?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      ctx.stderr.write('\n');
      if (err) reject(err);
      else resolve(typed);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003' || ch === '\u0004') return done(new CommandFailure('accounts.cli.cancelled'));
        if (ch === '\u007f' || ch === '\b') typed = [...typed].slice(0, -1).join('');
        else typed += ch;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}

/** The new password: from stdin, or asked twice on a terminal; checked before anything is written. */
async function newPassword(ctx: CliContext, name: string, flags: PasswordFlags): Promise<string> {
  let password: string;
  if (flags.passwordStdin) password = await readStdinLine(ctx.stdin);
  else {
    if ((ctx.stdin as ReadStream).isTTY !== true) throw new UsageError('accounts.cli.noTty');
    password = await askHidden(ctx, ctx.tr('accounts.cli.prompt', { name }));
    const again = await askHidden(ctx, ctx.tr('accounts.cli.promptAgain'));
    if (again !== password) throw new CommandFailure('accounts.cli.mismatch');
  }
  const problem = passwordProblem(password);
  if (problem) throw new UsageError(`accounts.password.${problem}`);
  return password;
}

function checkName(name: string): void {
  const problem = nickProblem(name);
  if (problem) throw new UsageError('accounts.cli.badName', { name, problem });
}

async function openStore(flags: StoreFlags): Promise<AccountStore> {
  if (flags.store === undefined) {
    // Loaded here, like pg below: the program starts without the database drivers.
    const { SqliteAccountStore } = await import('../../storage/sqlite-accounts.js');
    return new SqliteAccountStore(flags.dataDir);
  }
  if (storeUrlProblem(flags.store)) throw new UsageError('store.badUrl', { url: redactUrl(flags.store) });
  // Loaded here: only `--store` needs pg.
  const { PostgresAccountStore } = await import('../../storage/postgres-accounts.js');
  return PostgresAccountStore.open(flags.store, { poolSize: 1 });
}

async function withStore<T>(flags: StoreFlags, fn: (store: AccountStore) => Promise<T>): Promise<T> {
  const store = await openStore(flags);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

const when = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** `tomada account add|passwd|del|list|info`: the accounts of a server's data directory, or of its `--store`. */
export function registerAccount(program: Command, ctx: CliContext): void {
  const { tr } = ctx;
  const account = program.command('account').description(tr('accounts.cli.description'));
  const dataDir = (cmd: Command) =>
    cmd
      .option('--data-dir <dir>', tr('accounts.cli.opt.dataDir'), DEFAULT_DATA_DIR)
      .option('--store <url>', tr('accounts.cli.opt.store'));

  dataDir(
    account
      .command('add')
      .description(tr('accounts.cli.add.description'))
      .argument('<name>', tr('accounts.cli.arg.name'))
      .option('--password-stdin', tr('accounts.cli.opt.passwordStdin'))
      .option('--oper', tr('accounts.cli.opt.oper')),
  ).action(async (name: string, flags: PasswordFlags & { oper?: boolean }) => {
    checkName(name);
    await withStore(flags, async (store) => {
      if (await store.get(name)) throw new CommandFailure('accounts.cli.exists', { name });
      const password = await newPassword(ctx, name, flags);
      if (!(await store.create(name, await hashPassword(password), { oper: flags.oper === true })))
        throw new CommandFailure('accounts.cli.exists', { name });
    });
    ctx.out(tr('accounts.cli.added', { name }));
  });

  dataDir(
    account
      .command('passwd')
      .description(tr('accounts.cli.passwd.description'))
      .argument('<name>', tr('accounts.cli.arg.name'))
      .option('--password-stdin', tr('accounts.cli.opt.passwordStdin')),
  ).action(async (name: string, flags: PasswordFlags) => {
    await withStore(flags, async (store) => {
      const a = await store.get(name);
      if (!a) throw new CommandFailure('accounts.cli.noSuch', { name });
      const password = await newPassword(ctx, a.name, flags);
      if (!(await store.setSecrets(name, await hashPassword(password))))
        throw new CommandFailure('accounts.cli.noSuch', { name });
    });
    ctx.out(tr('accounts.cli.passwdDone', { name }));
  });

  dataDir(
    account
      .command('del')
      .description(tr('accounts.cli.del.description'))
      .argument('<name>', tr('accounts.cli.arg.name')),
  ).action(async (name: string, flags: StoreFlags) => {
    await withStore(flags, async (store) => {
      if (!(await store.delete(name))) throw new CommandFailure('accounts.cli.noSuch', { name });
    });
    ctx.out(tr('accounts.cli.deleted', { name }));
  });

  dataDir(account.command('list').description(tr('accounts.cli.list.description'))).action(
    async (flags: StoreFlags) => {
      const list = await withStore(flags, (store) => store.list());
      if (list.length === 0) ctx.out(tr('accounts.cli.none'));
      for (const a of list)
        ctx.out(
          tr('accounts.cli.item', {
            name: a.name,
            created: when(a.createdAt),
            oper: a.oper ? tr('accounts.cli.operMark') : '',
          }),
        );
    },
  );

  dataDir(
    account
      .command('info')
      .description(tr('accounts.cli.info.description'))
      .argument('<name>', tr('accounts.cli.arg.name')),
  ).action(async (name: string, flags: StoreFlags) => {
    const a = await withStore(flags, (store) => store.get(name));
    if (!a) throw new CommandFailure('accounts.cli.noSuch', { name });
    ctx.out(
      tr('accounts.cli.info', {
        name: a.name,
        created: when(a.createdAt),
        oper: tr(a.oper ? 'accounts.cli.yes' : 'accounts.cli.no'),
      }),
    );
  });
}
