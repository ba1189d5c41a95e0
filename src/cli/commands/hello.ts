import type { Command } from 'commander';
import type { CliContext } from '../context.js';

export function registerHello(program: Command, ctx: CliContext): void {
  void program;
  void ctx;
}
