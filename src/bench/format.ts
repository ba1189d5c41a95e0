/** Turns bench reports into lines for people, in their language. */
import net from 'node:net';
import type { Translate } from '../i18n/index.js';
import type { EchoReport } from './echo.js';
import type { ChatReport } from './report.js';

const ms = (us: number) => (us / 1000).toFixed(us < 10_000 ? 2 : 1);
const mib = (kib: number | undefined) => (kib === undefined ? '?' : (kib / 1024).toFixed(1));
const fix = (n: number | undefined, d: number) => (n === undefined ? '?' : n.toFixed(d));

export function formatChatReport(r: ChatReport, tr: Translate): string[] {
  const lines = [
    tr('bench.report.chatTarget', {
      proto: r.proto,
      target: r.target,
      connected: r.connected,
      clients: r.clients,
      failed: r.failed,
      senders: r.senders,
      rate: r.ratePerSender,
      size: r.size,
      seconds: r.seconds.toFixed(1),
      warmup: r.warmupSeconds ?? 0,
    }),
  ];
  if (r.failures.length > 0) lines.push(tr('bench.report.failures', { list: r.failures.join('; ') }));
  lines.push(
    tr('bench.report.deliveries', {
      sent: r.sent,
      expected: r.expected,
      received: r.received,
      lost: r.lost,
      lossPct: r.lossPct.toFixed(r.lossPct > 0 && r.lossPct < 0.01 ? 4 : 2),
    }),
    tr('bench.report.faults', {
      duplicates: r.duplicates,
      reordered: r.reordered,
      corrupt: r.corrupt,
      dropped: r.dropped,
    }),
    tr('bench.report.rate', {
      rate: Math.round(r.deliveriesPerSec),
      p50: ms(r.latencyUs.p50),
      p99: ms(r.latencyUs.p99),
      max: ms(r.latencyUs.max),
    }),
  );
  if (r.server) {
    const s = r.server;
    if (s.cpuSeconds === undefined && s.rssKiB === undefined)
      lines.push(tr('bench.report.serverNoProc', { pid: s.pid }));
    else
      lines.push(
        tr('bench.report.server', {
          pid: s.pid,
          cpm: fix(s.cpuPerMillion, 3),
          cpu: fix(s.cpuSeconds, 2),
          rss: mib(s.rssKiB),
          peak: mib(s.peakRssKiB),
          perConn: fix(s.rssPerConnectionKiB, 1),
        }),
      );
  }
  lines.push(
    tr('bench.report.generator', {
      procs: r.generator.procs,
      elu: Math.round(r.generator.elu * 100),
      cpu: r.generator.cpuSeconds.toFixed(2),
    }),
    r.generator.saturated
      ? tr('bench.report.saturated', { behind: r.generator.behind })
      : tr('bench.report.notSaturated'),
  );
  return lines;
}

export function formatEchoReport(r: EchoReport, tr: Translate): string[] {
  const lines = [
    tr('bench.report.echo', {
      proto: r.proto,
      target: r.target,
      connections: r.connections,
      size: r.size,
      seconds: r.seconds.toFixed(1),
      requests: r.requests,
      rate: Math.round(r.requestsPerSec),
      lost: r.lost,
      p50: ms(r.latencyUs.p50),
      p99: ms(r.latencyUs.p99),
      max: ms(r.latencyUs.max),
    }),
  ];
  if (r.server) {
    lines.push(
      tr('bench.report.echoServer', {
        pid: r.server.pid,
        cpm: fix(r.server.cpuPerMillion, 3),
        peak: mib(r.server.peakRssKiB),
      }),
    );
  }
  if (r.generator.saturated) lines.push(tr('bench.report.saturated', { behind: 0 }));
  return lines;
}

/** Loopback names and addresses: the only targets allowed without `--allow-remote`. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  if (net.isIPv4(host)) return host.startsWith('127.');
  return false;
}
