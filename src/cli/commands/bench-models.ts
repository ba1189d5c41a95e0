import type { Command } from 'commander';
import type { CliContext } from '../context.js';

export function registerBenchModels(bench: Command, ctx: CliContext): void {
  void bench;
  void ctx;
}
