import { Command, Option } from 'commander';
import { parseListen, parseIntFlag, type HostPort } from '../../address.js';
import type { CliContext } from '../context.js';
import { choiceOption, waitForStopSignal } from '../context.js';
import { chatConfig, readConfigFile, type ChatConfigInput } from '../../server/config.js';
import { registerChatConnect } from './chat-connect.js';
import { UsageError } from '../../errors.js';

interface ServeFlags {
  config?: string;
  host?: string;
  line?: string;
  irc?: string;
  ircs?: string;
  http?: string;
  ircWs?: string;
  tlsCert?: string;
  tlsKey?: string;
  room?: string;
  dataDir?: string;
  store?: string;
  cluster?: string;
  nodeName?: string;
  history?: string;
  serverName?: string;
  network?: string;
  password?: string;
  oper?: string[];
  clientTagDeny?: string;
  motd?: string;
  allowOrigin?: string[];
  maxLine?: string;
  maxSendQueue?: string;
  maxConnections?: string;
  maxPerIp?: string;
  handshakeTimeout?: string;
  floodRate?: string;
  floodBurst?: string;
  floodQueue?: string;
  keepalive?: string;
  idleFlushMs?: string;
  coalesceMs?: string;
  nickGrace?: string;
  registration?: 'open' | 'closed';
  logLevel: string;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `256k`, `1m`, `4096` → bytes. */
export function parseSize(value: string, flag: string): number {
  const m = /^(\d+)\s*([kmg]i?b?|b)?$/i.exec(value.trim());
  if (!m) throw new UsageError('cli.usage.notInteger', { flag, value });
  const unit = (m[2] ?? '').toLowerCase()[0];
  const mult = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  return Number(m[1]) * mult;
}

/** Turns flags (over a config file, over the defaults) into the server's configuration input. */
export function serveConfig(flags: ServeFlags, ctx: CliContext, langGiven: boolean): ChatConfigInput {
  const base: ChatConfigInput = flags.config ? readConfigFile(flags.config) : {};
  const host = flags.host ?? 'localhost';
  const listen = (value: string | undefined, port: number): HostPort | null | undefined =>
    value === undefined ? undefined : parseListen(value, { host, port });
  const out: ChatConfigInput = { ...base, limits: { ...(base.limits ?? {}) } };
  const set = <K extends keyof ChatConfigInput>(key: K, value: ChatConfigInput[K] | undefined) => {
    if (value !== undefined) out[key] = value;
  };
  // A --host alone moves every door that was not given an address of its own.
  const defaults = chatConfig({});
  for (const [key, flag, port] of [
    ['line', flags.line, 5000],
    ['irc', flags.irc, 6667],
    ['http', flags.http, 8080],
  ] as const) {
    const v = listen(flag, port);
    if (v !== undefined) out[key] = v;
    else if (flags.host && base[key] === undefined) out[key] = { host, port: defaults[key]!.port };
  }
  set('ircs', listen(flags.ircs, 6697));
  set('ircWs', listen(flags.ircWs, 8081));
  set('tlsCert', flags.tlsCert);
  set('tlsKey', flags.tlsKey);
  set('room', flags.room);
  set('dataDir', flags.dataDir);
  set('store', flags.store);
  set('cluster', flags.cluster);
  set('nodeName', flags.nodeName);
  set('history', flags.history === undefined ? undefined : parseIntFlag(flags.history, '--history', 0, 1000));
  set('serverName', flags.serverName);
  set('network', flags.network);
  set('password', flags.password);
  set('motdFile', flags.motd);
  set('registration', flags.registration);
  set(
    'nickGraceSecs',
    flags.nickGrace === undefined ? undefined : parseIntFlag(flags.nickGrace, '--nick-grace', 0, 3600),
  );
  if (flags.oper) out.opers = flags.oper;
  if (flags.clientTagDeny !== undefined) out.clientTagDeny = flags.clientTagDeny.split(',').filter((t) => t !== '');
  if (flags.allowOrigin) out.allowOrigins = flags.allowOrigin;
  if (langGiven || base.lang === undefined) out.lang = ctx.lang;
  const limits = out.limits!;
  const int = (v: string | undefined, flag: string, min = 0) =>
    v === undefined ? undefined : parseIntFlag(v, flag, min);
  const num = (v: string | undefined, flag: string) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0)
      throw new UsageError('cli.usage.outOfRange', { flag, value: v, min: 0, max: 'Infinity' });
    return n;
  };
  const assign = (key: keyof NonNullable<ChatConfigInput['limits']>, value: number | undefined) => {
    if (value !== undefined) limits[key] = value;
  };
  assign('maxLine', flags.maxLine === undefined ? undefined : parseSize(flags.maxLine, '--max-line'));
  assign(
    'maxSendQueue',
    flags.maxSendQueue === undefined ? undefined : parseSize(flags.maxSendQueue, '--max-send-queue'),
  );
  assign('maxConnections', int(flags.maxConnections, '--max-connections', 1));
  assign('maxPerIp', int(flags.maxPerIp, '--max-per-ip', 1));
  assign('handshakeTimeoutSecs', num(flags.handshakeTimeout, '--handshake-timeout'));
  assign('floodRate', num(flags.floodRate, '--flood-rate'));
  assign('floodBurst', int(flags.floodBurst, '--flood-burst', 1));
  assign('floodQueue', int(flags.floodQueue, '--flood-queue', 1));
  assign('keepAliveSecs', int(flags.keepalive, '--keepalive'));
  assign('idleFlushMs', int(flags.idleFlushMs, '--idle-flush-ms', 1));
  if (flags.coalesceMs !== undefined) out.coalesceMs = parseIntFlag(flags.coalesceMs, '--coalesce-ms', 0, 50);
  return out;
}

const DOOR_FLAGS = [
  ['line', '--line'],
  ['irc', '--irc'],
  ['ircs', '--ircs'],
  ['http', '--http'],
  ['ircWs', '--irc-ws'],
] as const;

/** A busy address: names the flag of the door that wanted it (`chat serve` has no `--port`). */
function withDoorFlag(err: unknown, config: ReturnType<typeof chatConfig>): unknown {
  const e = err as { code?: string; port?: number; flag?: string };
  if (e?.code !== 'EADDRINUSE') return err;
  const door = DOOR_FLAGS.find(([key]) => config[key]?.port === e.port);
  if (door) e.flag = door[1];
  return err;
}

export function registerChat(program: Command, ctx: CliContext): void {
  const { tr } = ctx;
  const chat = program.command('chat').description(tr('chat.description'));
  const serve = new Command('serve')
    .description(tr('chat.serve.description'))
    .option('--config <file>', tr('chat.opt.config'))
    .option('--host <host>', tr('chat.opt.host'))
    .option('--line <[host:]port|off>', tr('chat.opt.line'))
    .option('--irc <[host:]port|off>', tr('chat.opt.irc'))
    .option('--ircs <[host:]port|off>', tr('chat.opt.ircs'))
    .option('--http <[host:]port|off>', tr('chat.opt.http'))
    .option('--irc-ws <[host:]port|off>', tr('chat.opt.ircWs'))
    .option('--tls-cert <file>', tr('chat.opt.tlsCert'))
    .option('--tls-key <file>', tr('chat.opt.tlsKey'))
    .option('--room <#room>', tr('chat.opt.room'))
    .option('--data-dir <dir>', tr('chat.opt.dataDir'))
    .option('--store <url>', tr('chat.opt.store'))
    .option('--cluster <url>', tr('cluster.opt.cluster'))
    .option('--node-name <name>', tr('cluster.opt.nodeName'))
    .option('--history <n>', tr('chat.opt.history'))
    .option('--server-name <name>', tr('chat.opt.serverName'))
    .option('--network <name>', tr('chat.opt.network'))
    .option('--password <pass>', tr('chat.opt.password'))
    .option('--oper <name:password>', tr('chat.opt.oper'), collect)
    .option('--motd <file>', tr('chat.opt.motd'))
    .option('--client-tag-deny <tags>', tr('chat.opt.clientTagDeny'))
    .option('--allow-origin <origin>', tr('chat.opt.allowOrigin'), collect)
    .option('--max-line <bytes>', tr('chat.opt.maxLine'))
    .option('--max-send-queue <bytes>', tr('chat.opt.maxSendQueue'))
    .option('--max-connections <n>', tr('chat.opt.maxConnections'))
    .option('--max-per-ip <n>', tr('chat.opt.maxPerIp'))
    .option('--handshake-timeout <secs>', tr('chat.opt.handshakeTimeout'))
    .option('--flood-rate <lines/s>', tr('chat.opt.floodRate'))
    .option('--flood-burst <n>', tr('chat.opt.floodBurst'))
    .option('--flood-queue <n>', tr('chat.opt.floodQueue'))
    .option('--keepalive <secs>', tr('chat.opt.keepalive'))
    .option('--idle-flush-ms <ms>', tr('chat.opt.idleFlushMs'))
    .option('--coalesce-ms <ms>', tr('chat.opt.coalesceMs'))
    .option('--nick-grace <secs>', tr('accounts.opt.nickGrace'))
    .addOption(choiceOption('--registration <mode>', tr('accounts.opt.registration'), ['open', 'closed']))
    .addOption(
      new Option('--log-level <level>', tr('chat.opt.logLevel'))
        .choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
        .default('info'),
    )
    .action(async (flags: ServeFlags, command: Command) => {
      // --lang is the program's option (it may stand anywhere on the line); given, it wins over the file's.
      const langGiven = command.optsWithGlobals<{ lang?: string }>().lang !== undefined;
      // Loaded here, not with the program: every other command (the tutorial's tools, `--help`) starts
      // without the server, its stores and their drivers (a third of a second, and tens of MiB).
      const [{ startChatServer }, { createLogger }] = await Promise.all([
        import('../../server/chat-server.js'),
        import('../logger.js'),
      ]);
      const logger = createLogger(flags.logLevel, ctx.stdout);
      const input = serveConfig(flags, ctx, langGiven);
      let leaseLost: () => void = () => undefined;
      const lost = new Promise<'lease'>((resolve) => (leaseLost = () => resolve('lease')));
      const server = await startChatServer(input, { logger, onLeaseLost: () => leaseLost() }).catch((err: unknown) => {
        throw withDoorFlag(err, chatConfig(input));
      });
      const signal = await Promise.race([waitForStopSignal(), lost]);
      if (signal === 'lease') {
        // The server has closed itself (cluster.log.leaseLost said why): a supervisor starts it again.
        logger.flush();
        process.exitCode = 1;
        return;
      }
      logger.info({ signal }, tr('chat.serve.stopping', { signal }));
      await server.close(signal);
      logger.info(tr('chat.serve.stopped'));
      logger.flush();
    });
  chat.addCommand(serve);
  registerChatConnect(chat, ctx);
}
