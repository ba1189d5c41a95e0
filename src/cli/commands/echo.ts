import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { connectTcp, QUIT_WORDS, runEchoClient } from '../../tools/clients.js';
import { DEFAULT_ECHO_PREFIX, type EchoSpec } from '../../tools/service.js';
import { createLiveTerminal } from '../../tools/terminal.js';
import { startUdpServer, UdpClient } from '../../tools/udp.js';
import { formatHostPort } from '../../address.js';
import { waitForStopSignal, type CliContext } from '../context.js';
import {
  addServeOptions,
  clientAddress,
  intFlag,
  runToolServer,
  showRequest,
  type ServeFlags,
  checkModelFlags,
} from './hello.js';

interface EchoServeFlags extends ServeFlags {
  lines?: boolean;
  prefix: string;
  upper?: boolean;
  udp?: boolean;
  rate: string;
  maxLine: string;
}

interface EchoConnectFlags {
  lines?: boolean;
  udp?: boolean;
  timeout?: string;
}

/** `tomada echo serve` / `tomada echo connect`: the tutorial's echo server and client, TCP or UDP. */
export function registerEcho(program: Command, ctx: CliContext): void {
  const { tr } = ctx;
  const echo = program.command('echo').description(tr('tools.echo.description'));

  const serve = addServeOptions(echo.command('serve').description(tr('tools.echo.serve.description')), ctx)
    .option('--lines', tr('tools.opt.lines'))
    .option('--prefix <text>', tr('tools.opt.prefix'), DEFAULT_ECHO_PREFIX)
    .option('--upper', tr('tools.opt.upper'))
    .option('--udp', tr('tools.opt.udp'))
    .option('--rate <n>', tr('tools.opt.rate'), intFlag('--rate', 1, 1_000_000), '20')
    .option('--max-line <bytes>', tr('tools.opt.maxLine'), intFlag('--max-line', 1, 16 << 20), '8192');
  serve.action(async (flags: EchoServeFlags) => {
    const spec: EchoSpec = { kind: 'echo', prefix: flags.prefix, upper: flags.upper === true, lines: !!flags.lines };
    if (!flags.udp) {
      // --rate limits UDP answers (reflection); over TCP it would do nothing, so it is refused.
      if (serve.getOptionValueSource('rate') === 'cli')
        throw new UsageError('cli.usage.conflict', { a: '--rate', b: 'TCP (no --udp)' });
      checkModelFlags(serve, flags.model);
      return runToolServer(ctx, flags, spec, Number(flags.maxLine));
    }
    for (const flag of ['threads', 'workers'] as const) {
      if (serve.getOptionValueSource(flag) === 'cli')
        throw new UsageError('cli.usage.conflict', { a: `--${flag}`, b: '--udp' });
    }
    for (const flag of ['model', 'lines', 'once', 'workMs'] as const) {
      if (serve.getOptionValueSource(flag) === 'cli') {
        const name = '--' + flag.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
        throw new UsageError('cli.usage.conflict', { a: name, b: '--udp' });
      }
    }
    await runUdpServer(ctx, flags, spec);
  });

  echo
    .command('connect')
    .description(tr('tools.echo.connect.description'))
    .argument('[address]', tr('tools.arg.address'))
    .option('--lines', tr('tools.opt.clientLines'))
    .option('--udp', tr('tools.opt.udp'))
    .option('--timeout <ms>', tr('tools.opt.timeout'), intFlag('--timeout', 1, 3_600_000), '5000')
    .action(async (address: string | undefined, flags: EchoConnectFlags) => {
      const { host, port } = clientAddress(address);
      if (flags.udp) return runUdpClient(ctx, host, port, Number(flags.timeout));
      const timeout = Number(flags.timeout);
      const socket = await connectTcp(host, port, timeout);
      const terminal = createLiveTerminal({ input: ctx.stdin, output: ctx.stdout });
      ctx.out(tr('tools.client.connected', { address: formatHostPort(host, port) }));
      if (terminal.interactive) ctx.out(tr('tools.client.hint'));
      try {
        await runEchoClient({ socket, terminal, lines: !!flags.lines, timeoutMs: timeout });
      } finally {
        terminal.close();
      }
      ctx.out(tr('tools.client.closed'));
    });
}

async function runUdpServer(ctx: CliContext, flags: EchoServeFlags, spec: EchoSpec): Promise<void> {
  const { tr } = ctx;
  const log = (line: string) => {
    if (!flags.quiet) ctx.out(line);
  };
  const rate = Number(flags.rate);
  let requests = 0;
  const server = await startUdpServer({
    host: flags.host,
    port: Number(flags.port),
    spec,
    rate,
    onDatagram: (peer, data) => {
      requests++;
      log(tr('tools.log.received', { peer, text: showRequest(data) }));
    },
    onDrop: (peer, reason) =>
      log(reason === 'rate' ? tr('tools.log.dropRate', { peer, rate }) : tr('tools.log.dropPort', { peer })),
  });
  ctx.out(tr('tools.log.listeningUdp', { address: formatHostPort(server.host, server.port) }));
  const signal = await waitForStopSignal();
  log(tr('tools.log.stopping', { signal }));
  await server.close();
  const stats = { requests, maxConcurrent: requests > 0 ? 1 : 0 };
  if (flags.stats) ctx.out(tr('tools.log.stats', { requests, max: stats.maxConcurrent }));
  if (flags.statsJson) ctx.out(JSON.stringify(stats));
}

async function runUdpClient(ctx: CliContext, host: string, port: number, timeout: number): Promise<void> {
  const client = new UdpClient(host, port);
  const terminal = createLiveTerminal({ input: ctx.stdin, output: ctx.stdout });
  ctx.out(ctx.tr('tools.client.udpReady', { address: formatHostPort(host, port) }));
  try {
    terminal.prompt();
    for await (const line of terminal.lines()) {
      if (QUIT_WORDS.includes(line.trim().toLowerCase())) break;
      const answer = await client.request(Buffer.from(line, 'utf8'), timeout);
      terminal.print(answer.toString('utf8'));
      terminal.prompt();
    }
  } finally {
    terminal.close();
    client.close();
  }
}
