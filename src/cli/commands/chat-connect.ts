import readline from 'node:readline/promises';
import type { Command } from 'commander';
import { runChatClient } from '../../clients/chat-client.js';
import { UsageError } from '../../errors.js';
import { parseLang } from '../../i18n/index.js';
import { parseHostPort, parseIntFlag } from '../../address.js';
import type { CliContext } from '../context.js';

interface ConnectFlags {
  nick?: string;
  reconnect?: boolean;
  timeout: string;
  color: boolean;
}

export function registerChatConnect(chat: Command, ctx: CliContext): void {
  const { tr } = ctx;
  chat
    .command('connect')
    .description(tr('chat.connect.description'))
    .argument('[address]', tr('chat.opt.address'), 'localhost:5000')
    .option('--nick <name>', tr('chat.opt.nick'))
    .option('--reconnect', tr('chat.opt.reconnect'))
    .option('--timeout <ms>', tr('chat.opt.timeout'), '5000')
    .option('--no-color', tr('chat.opt.noColor'))
    .action(async (address: string, flags: ConnectFlags, command: Command) => {
      const { host, port } = parseHostPort(address, { host: 'localhost', port: 5000 });
      const timeoutMs = parseIntFlag(flags.timeout, '--timeout', 1);
      const stdin = ctx.stdin as NodeJS.ReadStream;
      const stdout = ctx.stdout as NodeJS.WriteStream;
      const interactive = stdin.isTTY === true && stdout.isTTY === true;
      let nick = flags.nick?.trim();
      const env = process.env;
      const langKnown =
        command.optsWithGlobals<{ lang?: string }>().lang !== undefined ||
        parseLang(env.LC_ALL || env.LC_MESSAGES || env.LANG) !== undefined;
      const nickFixed = nick !== undefined || !interactive;
      if (!nick) {
        if (!interactive) throw new UsageError('cli.usage.conflict', { a: 'a pipe', b: 'no --nick' });
        const rl = readline.createInterface({ input: stdin, output: stdout });
        nick = (await rl.question(tr('chat.client.askNick'))).trim();
        rl.close();
      }
      process.exitCode = await runChatClient({
        host,
        port,
        nick,
        nickFixed,
        // Only a language the person chose (--lang, LANG…) is asked of the server; otherwise its own.
        lang: langKnown ? ctx.lang : undefined,
        reconnect: flags.reconnect === true,
        timeoutMs,
        input: stdin,
        output: stdout,
        errOutput: ctx.stderr,
        tr,
        interactive,
        color: interactive && flags.color && !process.env.NO_COLOR,
      });
    });
}
