import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { registerHello } from './hello.js';
import { registerEcho } from './echo.js';
import { registerChat } from './chat.js';
import { registerBench } from './bench.js';
import { registerCert } from './cert.js';
import { registerAccount } from './account.js';

/** Every `tomada` sub-command, one file each. */
export function registerCommands(program: Command, ctx: CliContext): void {
  registerHello(program, ctx);
  registerEcho(program, ctx);
  registerChat(program, ctx);
  registerBench(program, ctx);
  registerCert(program, ctx);
  registerAccount(program, ctx);
}
