import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { startChatServer, type ChatServer } from '../../src/server/chat-server.js';
import { runChatBench, type ChatBenchOptions } from '../../src/bench/chat.js';
import type { ChatReport } from '../../src/bench/report.js';

/** `tomada bench chat --proto ws` against tomada's web door (in this process, port 0, limits raised). */
describe('tomada bench chat --proto ws', () => {
  let server: ChatServer;
  let port: number;
  before(async () => {
    server = await startChatServer({
      line: null,
      irc: null,
      http: { host: '127.0.0.1', port: 0 },
      dataDir: ':memory:',
      limits: { maxPerIp: 1000, floodRate: 1000, floodBurst: 1000 },
    });
    port = server.address('http')!.port;
  });
  after(() => server.close());

  const options = (o: Partial<ChatBenchOptions>): ChatBenchOptions => ({
    proto: 'ws',
    host: '127.0.0.1',
    port,
    clients: 5,
    senders: 2,
    rate: 20,
    size: 100,
    durationSec: 1,
    procs: 1,
    connectConcurrency: 10,
    connectTimeoutMs: 10_000,
    drainMs: 5000,
    ...o,
  });

  /** Every message at every other client, once, intact (the sender's own copy is not a delivery). */
  function assertExact(report: ChatReport, clients: number): void {
    assert.equal(report.proto, 'ws');
    assert.equal(report.connected, clients);
    assert.equal(report.failed, 0, report.failures.join('; '));
    assert.equal(report.dropped, 0);
    assert.ok(report.sent >= 2, `sent ${report.sent}`);
    assert.equal(report.expected, report.sent * (clients - 1));
    assert.equal(report.received, report.expected);
    assert.equal(report.lost, 0);
    assert.equal(report.duplicates, 0);
    assert.equal(report.corrupt, 0);
    assert.equal(report.reordered, 0);
    assert.equal(report.stale, 0);
    assert.ok(report.latencyUs.p99 > 0);
  }

  it('delivers every message to every other client: no loss, duplicates or corruption (CLI, JSON)', async () => {
    const r = await runCli([
      'bench',
      'chat',
      '--proto',
      'ws',
      '--port',
      String(port),
      '--clients',
      '6',
      '--senders',
      '2',
      '--rate',
      '20',
      '--duration',
      '1',
      '--json',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assertExact(JSON.parse(r.stdout) as ChatReport, 6);
  });

  it('counts the same when the clients are spread over processes (--procs 2)', async () => {
    assertExact(await runChatBench(options({ clients: 5, senders: 3, procs: 2 })), 5);
  });

  it('--no-join: hello only, every client registered, no room, nothing delivered', async () => {
    const report = await runChatBench(options({ clients: 4, senders: 0, rate: 0, noJoin: true }));
    assert.equal(report.connected, 4);
    assert.equal(report.failed, 0, report.failures.join('; '));
    assert.equal(report.sent, 0);
    assert.equal(report.received, 0);
    assert.equal(server.hub.findRoom('#bench')?.members.size ?? 0, 0);
  });

  it('reports refused connections (the per-address limit: 503 on upgrade) as failures', async () => {
    const tight = await startChatServer({
      line: null,
      irc: null,
      http: { host: '127.0.0.1', port: 0 },
      dataDir: ':memory:',
      limits: { maxPerIp: 2 },
    });
    try {
      const r = await runChatBench(
        options({ port: tight.address('http')!.port, clients: 3, senders: 0, rate: 0, connectConcurrency: 1 }),
      );
      assert.equal(r.connected, 2);
      assert.equal(r.failed, 1);
      assert.match(r.failures[0]!, /503/);
    } finally {
      await tight.close();
    }
  });
});
