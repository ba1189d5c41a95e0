import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { parseIntFlag } from '../../address.js';
import { UsageError } from '../../errors.js';
import { redactUrl, storeUrlProblem } from '../../storage/url.js';
import type { CliContext } from '../context.js';

interface MigrateFlags {
  from: string;
  to: string;
  batch: string;
}

/** `tomada store migrate --from DATA_DIR --to postgres://…`: a single machine's history, carried over. */
export function registerStore(program: Command, ctx: CliContext): void {
  const { tr } = ctx;
  const store = program.command('store').description(tr('store.description'));
  store
    .command('migrate')
    .description(tr('store.migrate.description'))
    .requiredOption('--from <dir>', tr('store.opt.from'))
    .requiredOption('--to <url>', tr('store.opt.to'))
    .option('--batch <n>', tr('store.opt.batch'), '1000')
    .action(async (flags: MigrateFlags) => {
      const batch = parseIntFlag(flags.batch, '--batch', 1, 100_000);
      if (storeUrlProblem(flags.to)) throw new UsageError('store.badUrl', { url: redactUrl(flags.to) });
      // Loaded here: only this command needs SQLite and pg together.
      const { copySqliteToPostgres, sqliteHistoryFile } = await import('../../storage/migrate.js');
      const file = existsSync(flags.from) ? sqliteHistoryFile(flags.from) : undefined;
      if (!file) throw new UsageError('store.migrate.noHistory', { dir: flags.from });
      const r = await copySqliteToPostgres(file, flags.to, { batch });
      ctx.out(
        tr('store.migrate.done', { copied: r.copied, skipped: r.skipped, dir: flags.from, url: redactUrl(flags.to) }),
      );
    });
}
