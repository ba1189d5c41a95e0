import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { startBroadcastServer, type RunningServer } from '../../bench/servers/broadcast.js';
import { startEchoServer } from '../../bench/servers/echo.js';
import type { ChatReport } from '../../src/bench/report.js';
import type { EchoReport } from '../../src/bench/echo.js';

describe('tomada bench chat / echo', () => {
  let chat: RunningServer;
  let echo: RunningServer;
  before(async () => {
    chat = await startBroadcastServer();
    echo = await startEchoServer();
  });
  after(async () => {
    await chat.close();
    await echo.close();
  });

  it('measures the bare broadcast server with no loss (JSON report)', async () => {
    const r = await runCli([
      'bench',
      'chat',
      '--proto',
      'line',
      '--port',
      String(chat.port),
      '--clients',
      '6',
      '--senders',
      '2',
      '--rate',
      '20',
      '--duration',
      '1',
      '--warmup',
      '1',
      '--json',
      '--server-pid',
      String(process.pid),
      '--room',
      '',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as ChatReport;
    assert.equal(report.connected, 6);
    // The warm-up's messages arrived but count neither as sent nor as received.
    assert.equal(report.warmupSeconds, 1);
    assert.ok(report.warmup >= 5 * 10, `warm-up deliveries ${report.warmup}`);
    assert.ok(report.sent >= 20, `sent ${report.sent}`);
    assert.equal(report.expected, report.sent * 5);
    assert.equal(report.received, report.expected);
    assert.equal(report.lost, 0);
    assert.equal(report.duplicates, 0);
    assert.equal(report.corrupt, 0);
    assert.ok(report.latencyUs.p99 > 0);
    assert.ok(report.server!.cpuSeconds! >= 0);
  });

  it('spreads clients over processes with --procs and says it in words', async () => {
    const r = await runCli([
      'bench',
      'chat',
      '--port',
      String(chat.port),
      '--clients',
      '4',
      '--senders',
      '1',
      '--rate',
      '10',
      '--duration',
      '1',
      '--procs',
      '2',
      '--room',
      '',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /4\/4 clients connected/);
    assert.match(r.stdout, /lost 0 \(0\.00 %\)/);
    assert.match(r.stdout, /generator: 2 process\(es\)/);
  });

  it('measures a closed-loop TCP echo', async () => {
    const r = await runCli([
      'bench',
      'echo',
      '--port',
      String(echo.port),
      '--connections',
      '2',
      '--size',
      '1024',
      '--duration',
      '1',
      '--json',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as EchoReport;
    assert.ok(report.requests > 10, `requests ${report.requests}`);
    assert.equal(report.lost, 0);
  });

  it('says what is wrong in one line: refused, remote target', async () => {
    const refused = await runCli(['bench', 'chat', '--port', '1', '--duration', '1']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^tomada: error: connection refused by 127\.0\.0\.1:1/);
    const remote = await runCli(['bench', 'echo', '--host', '192.0.2.1', '--port', '7']);
    assert.equal(remote.code, 2);
    assert.match(remote.stderr, /not a loopback address/);
  });
});
