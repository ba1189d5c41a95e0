import { Command, Option } from 'commander';
import { parseListen, parseIntFlag, type HostPort } from '../address.js';
import type { CliContext } from '../context.js';
import { waitForStopSignal } from '../context.js';
import { chatConfig, readConfigFile, type ChatConfigInput } from '../../server/config.js';
import { startChatServer } from '../../server/chat-server.js';
import { createLogger } from '../logger.js';
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
  history?: string;
  serverName?: string;
  network?: string;
  password?: string;
  oper?: string[];
  motd?: string;
  allowOrigin?: string[];
  maxLine?: string;
  maxSendQueue?: string;
  maxConnections?: string;
  maxPerIp?: string;
  floodRate?: string;
  floodBurst?: string;
  floodQueue?: string;
  keepalive?: string;
  idleFlushMs?: string;
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
  set('history', flags.history === undefined ? undefined : parseIntFlag(flags.history, '--history', 0, 1000));
  set('serverName', flags.serverName);
  set('network', flags.network);
  set('password', flags.password);
  set('motdFile', flags.motd);
  if (flags.oper) out.opers = flags.oper;
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
  assign('floodRate', num(flags.floodRate, '--flood-rate'));
  assign('floodBurst', int(flags.floodBurst, '--flood-burst', 1));
  assign('floodQueue', int(flags.floodQueue, '--flood-queue', 1));
  assign('keepAliveSecs', int(flags.keepalive, '--keepalive'));
  assign('idleFlushMs', int(flags.idleFlushMs, '--idle-flush-ms', 1));
  return out;
}

export function registerChat(program: Command, ctx: CliContext): void {
  const { tr } = ctx;
  const chat = program.command('chat').description(tr('chat.serve.description'));
  const serve = new Command('serve')
    .description(tr('chat.serve.description'))
    .option('--config <file>', 'JSON file with the same settings as these flags (flags win)')
    .option(
      '--host <host>',
      'address every door listens on unless given its own (default: localhost; 0.0.0.0 opens it to the network)',
    )
    .option('--line <[host:]port|off>', "the tutorial's chat protocol (default: 5000)")
    .option('--irc <[host:]port|off>', 'IRC (default: 6667)')
    .option('--ircs <[host:]port|off>', 'IRC over TLS (default: 6697 when --tls-cert is set)')
    .option('--http <[host:]port|off>', 'web chat, WebSocket and metrics (default: 8080)')
    .option('--irc-ws <[host:]port|off>', 'IRC over WebSocket on a listener of its own (default: off)')
    .option('--tls-cert <file>', 'PEM certificate for --ircs and HTTPS (tomada cert makes one)')
    .option('--tls-key <file>', 'PEM private key for --tls-cert')
    .option('--room <#room>', 'room new users land in (default: #geral)')
    .option('--data-dir <dir>', 'where history is kept (default: ./data; :memory: keeps nothing on disk)')
    .option('--history <n>', "messages of a room's history shown on joining (default: 20)")
    .option('--server-name <name>', 'IRC server name (default: tomada.local)')
    .option('--network <name>', 'IRC network name (default: tomada)')
    .option('--password <pass>', 'IRC connection password (PASS)')
    .option('--oper <name:password>', 'an IRC operator (repeatable)', collect)
    .option('--motd <file>', 'IRC message of the day')
    .option('--allow-origin <origin>', 'web origin allowed besides the same origin (repeatable)', collect)
    .option('--max-line <bytes>', 'longest line a line-door client may send (default: 8k)')
    .option('--max-send-queue <bytes>', 'bytes waiting for a slow reader before it is dropped (default: 256k)')
    .option('--max-connections <n>', 'connections in total (default: 10000)')
    .option('--max-per-ip <n>', 'connections per IP address (default: 50)')
    .option('--flood-rate <lines/s>', 'lines per second a client may send, steady (default: 5)')
    .option('--flood-burst <n>', 'lines a client may send at once (default: 20)')
    .option('--flood-queue <n>', 'lines held back by flood control before disconnecting (default: 100)')
    .option('--keepalive <secs>', 'TCP keepalive delay, 0 for off (default: 60)')
    .option('--idle-flush-ms <ms>', 'line door: text without a line ending counts after this pause (default: 40)')
    .addOption(
      new Option('--log-level <level>', 'log level')
        .choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
        .default('info'),
    )
    .action(async (flags: ServeFlags) => {
      const langGiven = process.argv.some((a) => a === '--lang' || a.startsWith('--lang='));
      const logger = createLogger(flags.logLevel, ctx.stdout);
      const server = await startChatServer(serveConfig(flags, ctx, langGiven), { logger });
      const signal = await waitForStopSignal();
      logger.info({ signal }, tr('chat.serve.stopping', { signal }));
      await server.close(signal);
      logger.info(tr('chat.serve.stopped'));
      logger.flush();
    });
  chat.addCommand(serve);
  registerChatConnect(chat, ctx);
}
