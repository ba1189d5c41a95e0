import net from 'node:net';
import { Option, type Command } from 'commander';
import { UsageError } from '../../errors.js';
import { connectTcp, receiveAll } from '../../tools/clients.js';
import { MODELS, startToolServer, type Model, type ToolServer } from '../../tools/server.js';
import { DEFAULT_WELCOME, type Request, type ServiceSpec } from '../../tools/service.js';
import { formatHostPort, parseHostPort, parseIntFlag, type HostPort } from '../../address.js';
import { choiceOption, waitForStopSignal, type CliContext } from '../context.js';

/** The tutorial's address: servers listen on localhost:5000, clients go there. */
export const TUTORIAL_ADDRESS: HostPort = { host: 'localhost', port: 5000 };

/** Flags every tutorial server shares (`hello serve`, `echo serve`). */
export interface ServeFlags {
  host: string;
  port: string;
  once?: boolean;
  model: Model;
  threads: string;
  workers: string;
  workMs: string;
  quiet?: boolean;
  stats?: boolean;
  statsJson?: boolean;
}

export const intFlag = (flag: string, min: number, max: number) => (v: string) =>
  String(parseIntFlag(v, flag, min, max));

/** A duration in seconds (decimals allowed: `2.5`), within [min, max]. */
export const secondsFlag = (flag: string, min: number, max: number) => (v: string) => {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < min || n > max)
    throw new UsageError('cli.usage.outOfRange', { flag, value: v, min, max });
  return String(n);
};

/** Adds the shared server flags to `cmd`. */
export function addServeOptions(cmd: Command, ctx: CliContext): Command {
  const { tr } = ctx;
  return cmd
    .option('--host <host>', tr('tools.opt.host'), TUTORIAL_ADDRESS.host)
    .option('--port <port>', tr('tools.opt.port'), intFlag('--port', 0, 65535), String(TUTORIAL_ADDRESS.port))
    .option('--once', tr('tools.opt.once'))
    .addOption(choiceOption('--model <model>', tr('tools.opt.model'), MODELS, 'evented'))
    .option('--threads <n>', tr('tools.opt.threads'), intFlag('--threads', 1, 256), '4')
    .option('--workers <n>', tr('tools.opt.workers'), intFlag('--workers', 1, 64), '4')
    .option('--work-ms <ms>', tr('tools.opt.workMs'), intFlag('--work-ms', 0, 60_000), '0')
    .option('--quiet', tr('tools.opt.quiet'))
    .option('--stats', tr('tools.opt.stats'))
    .addOption(new Option('--stats-json').hideHelp());
}

/** A flag only one concurrency model uses is refused with another model, not silently ignored. */
export function checkModelFlags(cmd: Command, model: string): void {
  for (const [flag, needs] of [
    ['threads', 'threads'],
    ['workers', 'processes'],
  ] as const) {
    if (cmd.getOptionValueSource(flag) === 'cli' && model !== needs)
      throw new UsageError('tools.usage.flagNeedsModel', { flag: `--${flag}`, needs, model });
  }
}

/**
 * Parses a client's address argument with the tutorial's defaults. Port 0 (which asks a server for any
 * free port) and a colon-laden host that is no IPv6 address are bad usage, not network failures.
 */
export function clientAddress(arg: string | undefined): HostPort {
  if (arg === undefined) return { ...TUTORIAL_ADDRESS };
  const address = parseHostPort(arg, TUTORIAL_ADDRESS);
  if (address.host.includes(':') && !net.isIPv6(address.host)) {
    throw new UsageError('cli.usage.badAddress', { value: arg });
  }
  if (address.port === 0) throw new UsageError('tools.usage.clientPortZero', { value: arg });
  return address;
}

/** What a request looks like in a log line: text, control characters escaped. */
export function showRequest(r: Request): string {
  const text = typeof r === 'string' ? r : Buffer.from(r).toString('utf8');
  return (
    text
      .replace(/\r?\n$/, '')
      // eslint-disable-next-line no-control-regex -- matching control characters is the point
      .replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
  );
}

/**
 * Runs a hello or echo TCP server until SIGINT/SIGTERM (or its first connection with `--once`), logging
 * in the user's language; then closes everything and prints the statistics asked for.
 */
export async function runToolServer(ctx: CliContext, flags: ServeFlags, spec: ServiceSpec, maxLineLength: number) {
  const { tr } = ctx;
  const log = (line: string) => {
    if (!flags.quiet) ctx.out(line);
  };
  let servedOne: (() => void) | undefined;
  const firstServed = new Promise<void>((resolve) => (servedOne = resolve));
  const server: ToolServer = await startToolServer({
    host: flags.host,
    port: Number(flags.port),
    spec,
    model: flags.model,
    threads: Number(flags.threads),
    workers: Number(flags.workers),
    workMs: Number(flags.workMs),
    maxLineLength,
    events: flags.quiet
      ? { onServed: () => servedOne?.() }
      : {
          onConnection: (peer) => log(tr('tools.log.connection', { peer })),
          onRequest: (peer, r) => {
            if (spec.kind === 'echo') log(tr('tools.log.received', { peer, text: showRequest(r) }));
          },
          onLineTooLong: (peer, max) => log(tr('tools.log.lineTooLong', { peer, max })),
          onClose: (peer) => log(tr('tools.log.closed', { peer })),
          onServed: () => servedOne?.(),
        },
  });
  ctx.out(tr('tools.log.listening', { address: formatHostPort(server.host, server.port), model: flags.model }));
  const stop = waitForStopSignal();
  const signal = await Promise.race([
    stop,
    flags.once ? firstServed.then(() => undefined) : new Promise<never>(() => {}),
  ]);
  if (signal) log(tr('tools.log.stopping', { signal }));
  await server.close();
  const stats = server.stats();
  if (flags.stats) ctx.out(tr('tools.log.stats', { requests: stats.requests, max: stats.maxConcurrent }));
  if (flags.statsJson) ctx.out(JSON.stringify(stats));
}

interface HelloServeFlags extends ServeFlags {
  message: string;
}

/** `tomada hello serve` / `tomada hello connect`: the tutorial's basic server and client. */
export function registerHello(program: Command, ctx: CliContext): void {
  const { tr } = ctx;
  const hello = program.command('hello').description(tr('tools.hello.description'));

  addServeOptions(hello.command('serve').description(tr('tools.hello.serve.description')), ctx)
    .option('--message <text>', tr('tools.opt.message'), DEFAULT_WELCOME)
    .action(async (flags: HelloServeFlags, cmd: Command) => {
      checkModelFlags(cmd, flags.model);
      await runToolServer(ctx, flags, { kind: 'hello', message: flags.message }, 0);
    });

  hello
    .command('connect')
    .description(tr('tools.hello.connect.description'))
    .argument('[address]', tr('tools.arg.address'))
    .option('--timeout <ms>', tr('tools.opt.timeout'), intFlag('--timeout', 1, 3_600_000), '5000')
    .action(async (address: string | undefined, flags: { timeout: string }) => {
      const { host, port } = clientAddress(address);
      const timeout = Number(flags.timeout);
      const socket = await connectTcp(host, port, timeout);
      ctx.out(tr('tools.client.connected', { address: formatHostPort(host, port) }));
      const data = await receiveAll(socket, timeout);
      ctx.out(tr('tools.client.received', { text: data.toString('utf8') }));
    });
}
