import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { registerBenchModels } from './bench-models.js';
import { registerBenchChat } from './bench-chat.js';
import { registerBenchEcho } from './bench-echo.js';

/** `tomada bench …`: load generators anyone can point at a server. */
export function registerBench(program: Command, ctx: CliContext): void {
  const bench = program.command('bench').description(ctx.tr('bench.description'));
  registerBenchModels(bench, ctx);
  registerBenchChat(bench, ctx);
  registerBenchEcho(bench, ctx);
}
