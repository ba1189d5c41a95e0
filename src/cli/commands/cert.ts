import type { Command } from 'commander';
import type { CliContext } from '../context.js';

/** `tomada cert`: a self-signed development certificate. (Stub: being written.) */
export function registerCert(program: Command, ctx: CliContext): void {
  void program;
  void ctx;
}
