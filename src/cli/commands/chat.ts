import type { Command } from 'commander';
import type { CliContext } from '../context.js';

export function registerChat(program: Command, ctx: CliContext): void {
  void program;
  void ctx;
}
