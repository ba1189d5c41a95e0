import net from 'node:net';
import type { Command } from 'commander';
import { Option } from 'commander';
import type { SingleBar } from 'cli-progress';
import { TomadaError, UsageError } from '../../errors.js';
import { parseIntFlag } from '../../address.js';
import { choiceOption, type CliContext } from '../context.js';
import type { ChatProgress } from '../../bench/chat.js';
import { formatChatReport, isLoopback } from '../../bench/format.js';
import { MIN_PAYLOAD_SIZE } from '../../bench/payload.js';
import { chatProtocol, type ProtoName } from '../../bench/protocols.js';

interface ChatFlags {
  proto: ProtoName;
  host: string;
  port: string;
  clients: string;
  senders: string;
  rate: string;
  size: string;
  duration: string;
  warmup: string;
  procs: string;
  serverPid?: string;
  alsoPort?: string;
  alsoPid?: string;
  json?: boolean;
  connectConcurrency: string;
  connectTimeout: string;
  allowRemote?: boolean;
  join: boolean;
  room: string;
}

/** Opens and closes one connection, so a wrong address fails with the usual one-line network error. */
export function probe(host: string, port: number, timeoutMs = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host, port });
    const timer = setTimeout(() => {
      s.destroy();
      reject(Object.assign(new Error('connect timeout'), { code: 'ETIMEDOUT', address: host, port }));
    }, timeoutMs);
    s.once('connect', () => {
      clearTimeout(timer);
      s.destroy();
      resolve();
    });
    s.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

/** A progress bar on standard error when it is a terminal; nothing otherwise. */
export async function progressBar(ctx: CliContext, total: number): Promise<SingleBar | null> {
  const stream = ctx.stderr as NodeJS.WriteStream;
  if (!stream.isTTY) return null;
  const { SingleBar } = await import('cli-progress');
  const bar = new SingleBar({
    stream,
    format: '{phase} [{bar}] {percentage}% | {detail}',
    hideCursor: true,
    clearOnComplete: true,
  });
  bar.start(total, 0, { phase: '', detail: '' });
  return bar;
}

export function registerBenchChat(bench: Command, ctx: CliContext): void {
  const { tr } = ctx;
  bench
    .command('chat')
    .description(tr('bench.chat.description'))
    .addOption(
      choiceOption(
        '--proto <proto>',
        tr('bench.opt.proto', { choices: 'line, irc, ws' }),
        ['line', 'irc', 'ws'],
        'line',
      ),
    )
    .option('--host <host>', tr('bench.opt.host'), '127.0.0.1')
    .requiredOption('--port <port>', tr('bench.opt.port'))
    .option('--clients <n>', tr('bench.opt.clients'), '50')
    .option('--senders <n>', tr('bench.opt.senders'), '5')
    .option('--rate <msgs>', tr('bench.opt.rate'), '10')
    .option('--size <bytes>', tr('bench.opt.size'), '100')
    .option('--duration <secs>', tr('bench.opt.duration'), '10')
    .option('--warmup <secs>', tr('bench.opt.warmup'), '1')
    .option('--procs <n>', tr('bench.opt.procs'), '1')
    .option('--server-pid <pid>', tr('bench.opt.serverPid'))
    .option('--also-port <port>', tr('bench.opt.alsoPort'))
    .option('--also-pid <pids>', tr('bench.opt.alsoPid'))
    .option('--json', tr('bench.opt.json'))
    .option('--connect-concurrency <n>', tr('bench.opt.connectConcurrency'), '50')
    .option('--connect-timeout <secs>', tr('bench.opt.connectTimeout'), '60')
    .option('--no-join', tr('bench.opt.noJoin'))
    .option('--room <#room>', tr('bench.opt.room'), '#bench')
    .addOption(new Option('--allow-remote', tr('bench.opt.allowRemote')))
    .action(async (flags: ChatFlags) => {
      const port = parseIntFlag(flags.port, '--port', 1, 65535);
      const clients = parseIntFlag(flags.clients, '--clients', 1, 60_000);
      const senders = parseIntFlag(flags.senders, '--senders', 0, 60_000);
      if (senders > clients) throw new UsageError('bench.usage.sendersGtClients', { senders, clients });
      const rate = parseIntFlag(flags.rate, '--rate', 0, 1_000_000);
      const size = parseIntFlag(flags.size, '--size', MIN_PAYLOAD_SIZE, 16_384);
      const durationSec = parseIntFlag(flags.duration, '--duration', 1, 600);
      const warmupSec = parseIntFlag(flags.warmup, '--warmup', 0, 60);
      const procs = parseIntFlag(flags.procs, '--procs', 1, 64);
      const serverPid = flags.serverPid !== undefined ? parseIntFlag(flags.serverPid, '--server-pid', 1) : undefined;
      const alsoPort = flags.alsoPort !== undefined ? parseIntFlag(flags.alsoPort, '--also-port', 1, 65535) : undefined;
      const alsoPids = flags.alsoPid?.split(',').map((p) => parseIntFlag(p.trim(), '--also-pid', 1));
      const connectConcurrency = parseIntFlag(flags.connectConcurrency, '--connect-concurrency', 1, 10_000);
      const connectTimeoutMs = parseIntFlag(flags.connectTimeout, '--connect-timeout', 1, 600) * 1000;
      const host = flags.host;
      if (!isLoopback(host) && !flags.allowRemote) throw new UsageError('bench.usage.remoteNeedsFlag', { host });
      const proto = chatProtocol(flags.proto).name;
      const room = flags.room.trim();
      if (room !== '' && !/^[#&][^\s,]{1,49}$/.test(room))
        throw new UsageError('bench.usage.badRoom', { value: flags.room });
      await probe(host, port);
      if (alsoPort !== undefined) await probe(host, alsoPort);
      // Said on stderr (stdout may be --json): which room the payloads go to, so nobody is surprised.
      ctx.err(flags.join ? tr('bench.chat.room', { room: room || '-' }) : tr('bench.chat.noRoom'));

      const bar = await progressBar(ctx, clients);
      const { runChatBench } = await import('../../bench/chat.js');
      let lastPhase = '';
      const onProgress = (p: ChatProgress) => {
        if (!bar) return;
        if (p.phase !== lastPhase) {
          lastPhase = p.phase;
          bar.setTotal(p.phase === 'connect' ? clients : (p.phase === 'warmup' ? warmupSec : durationSec) * 10);
        }
        const span = (p.phase === 'warmup' ? warmupSec : durationSec) * 10;
        const value = p.phase === 'connect' ? p.connected : Math.min(span, Math.round(p.elapsedSec * 10));
        const rateNow = p.elapsedSec > 0 ? Math.round(p.received / p.elapsedSec) : 0;
        bar.update(value, {
          phase: tr(`bench.progress.${p.phase}`),
          detail: p.phase === 'connect' ? `${p.connected}/${clients}` : `${p.received} (${rateNow}/s)`,
        });
      };
      const abort = new AbortController();
      const onSig = () => abort.abort();
      process.once('SIGINT', onSig);
      let report;
      try {
        report = await runChatBench(
          {
            proto,
            host,
            port,
            clients,
            senders,
            rate,
            size,
            durationSec,
            warmupSec,
            procs,
            serverPid,
            alsoPort,
            alsoPids,
            connectConcurrency,
            connectTimeoutMs,
            noJoin: !flags.join,
            room,
            drainMs: 3000,
          },
          onProgress,
          abort.signal,
        );
      } finally {
        process.off('SIGINT', onSig);
        bar?.stop();
      }
      if (report.connected === 0) {
        throw new TomadaError(
          'TOMADA_ERR_BENCH',
          tr('bench.error.noClients', { target: report.target, reason: report.failures[0] ?? '?' }),
        );
      }
      if (flags.json) ctx.out(JSON.stringify(report));
      else for (const line of formatChatReport(report, tr)) ctx.out(line);
    });
}
