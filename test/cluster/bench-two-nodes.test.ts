import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runChatBench } from '../../src/bench/chat.js';
import { nodesOnRedis } from './nodes.js';

// The generator of the bench's two-node row: listeners split over two nodes, the senders on the first.
const { redis, nodes } = nodesOnRedis();

describe('tomada bench chat --also-port --also-pid', () => {
  it('splits the listeners over two nodes, loses nothing across them, and counts every process', async () => {
    const network = nodes.network();
    const line = { host: '127.0.0.1', port: 0 };
    const limits = { maxPerIp: 1000, floodRate: 1000, floodBurst: 1000 };
    const a = await nodes.start(network, { nodeName: 'a', line, limits });
    const b = await nodes.start(network, { nodeName: 'b', line, limits });
    const report = await runChatBench({
      proto: 'line',
      host: '127.0.0.1',
      port: a.address('line')!.port,
      alsoPort: b.address('line')!.port,
      clients: 8,
      senders: 2,
      rate: 20,
      size: 100,
      durationSec: 1,
      procs: 1,
      serverPid: process.pid,
      alsoPids: [redis.pid!],
      connectConcurrency: 10,
      connectTimeoutMs: 10_000,
      drainMs: 5000,
    });
    assert.equal(report.connected, 8, report.failures.join('; '));
    // The 2 senders and 3 listeners on A, 3 listeners on B.
    assert.equal(a.hub.maxUsers, 5);
    assert.equal(b.hub.maxUsers, 3);
    assert.ok(report.sent >= 2);
    assert.equal(report.received, report.expected);
    assert.equal(report.lost + report.duplicates + report.corrupt, 0);
    assert.deepEqual(
      report.server?.parts?.map((p) => p.pid),
      [process.pid, redis.pid],
    );
    assert.ok(report.server?.parts?.every((p) => typeof p.cpuSeconds === 'number'));
  });
});
