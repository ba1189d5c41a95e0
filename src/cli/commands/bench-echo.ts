import type { Command } from 'commander';
import { Option } from 'commander';
import { UsageError } from '../../errors.js';
import { parseIntFlag } from '../../address.js';
import { choiceOption, type CliContext } from '../context.js';
import { formatEchoReport, isLoopback } from '../../bench/format.js';
import { progressBar } from './bench-chat.js';

interface EchoFlags {
  proto: 'tcp' | 'udp';
  host: string;
  port: string;
  connections: string;
  size: string;
  duration: string;
  timeout: string;
  serverPid?: string;
  json?: boolean;
  allowRemote?: boolean;
}

export function registerBenchEcho(bench: Command, ctx: CliContext): void {
  const { tr } = ctx;
  bench
    .command('echo')
    .description(tr('bench.echo.description'))
    .addOption(choiceOption('--proto <proto>', tr('bench.opt.proto', { choices: 'tcp, udp' }), ['tcp', 'udp'], 'tcp'))
    .option('--host <host>', tr('bench.opt.host'), '127.0.0.1')
    .requiredOption('--port <port>', tr('bench.opt.echoPort'))
    .option('--connections <n>', tr('bench.opt.connections'), '10')
    .option('--size <bytes>', tr('bench.opt.size'), '1024')
    .option('--duration <secs>', tr('bench.opt.duration'), '10')
    .option('--timeout <ms>', tr('bench.opt.timeout'), '1000')
    .option('--server-pid <pid>', tr('bench.opt.serverPid'))
    .option('--json', tr('bench.opt.json'))
    .addOption(new Option('--allow-remote', tr('bench.opt.allowRemote')))
    .action(async (flags: EchoFlags) => {
      const port = parseIntFlag(flags.port, '--port', 1, 65535);
      const connections = parseIntFlag(flags.connections, '--connections', 1, 10_000);
      const size = parseIntFlag(flags.size, '--size', 1, 65_000);
      const durationSec = parseIntFlag(flags.duration, '--duration', 1, 600);
      const timeoutMs = parseIntFlag(flags.timeout, '--timeout', 1, 60_000);
      const serverPid = flags.serverPid !== undefined ? parseIntFlag(flags.serverPid, '--server-pid', 1) : undefined;
      if (!isLoopback(flags.host) && !flags.allowRemote) {
        throw new UsageError('bench.usage.remoteNeedsFlag', { host: flags.host });
      }
      const bar = await progressBar(ctx, durationSec * 10);
      const { runEchoBench } = await import('../../bench/echo.js');
      let report;
      try {
        report = await runEchoBench(
          { proto: flags.proto, host: flags.host, port, connections, size, durationSec, timeoutMs, serverPid },
          (p) =>
            bar?.update(Math.min(durationSec * 10, Math.round(p.elapsedSec * 10)), {
              phase: tr('bench.progress.run'),
              detail: `${p.requests}`,
            }),
        );
      } finally {
        bar?.stop();
      }
      if (flags.json) ctx.out(JSON.stringify(report));
      else for (const line of formatEchoReport(report, tr)) ctx.out(line);
    });
}
