import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Histogram } from '../../src/bench/histogram.js';
import { buildChatReport } from '../../src/bench/report.js';
import type { GroupStats } from '../../src/bench/clients.js';

function group(over: Partial<GroupStats>, latencies: number[] = []): GroupStats {
  const h = new Histogram();
  for (const l of latencies) h.record(l);
  return {
    connected: 0,
    failed: 0,
    failures: [],
    dropped: 0,
    sent: 0,
    received: 0,
    duplicates: 0,
    reordered: 0,
    corrupt: 0,
    stale: 0,
    warmup: 0,
    blockedTicks: 0,
    behind: 0,
    latency: h.toJSON(),
    elu: 0.1,
    cpuSeconds: 0,
    ...over,
  };
}

describe('bench histogram', () => {
  it('is exact below 128 µs', () => {
    const h = new Histogram();
    for (let v = 1; v <= 100; v++) h.record(v);
    assert.equal(h.percentile(50), 50);
    assert.equal(h.percentile(99), 99);
    assert.equal(h.percentile(100), 100);
    assert.equal(h.max, 100);
  });

  it('stays within 1.6 % of the true percentile, never under it (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 10_000_000 }), { minLength: 1, maxLength: 500 }),
        fc.integer({ min: 1, max: 100 }),
        (vals, p) => {
          const h = new Histogram();
          for (const v of vals) h.record(v);
          const sorted = [...vals].sort((a, b) => a - b);
          const truth = sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
          const got = h.percentile(p);
          assert.ok(got >= truth, `p${p}: ${got} < ${truth}`);
          assert.ok(got <= truth * 1.016 + 1, `p${p}: ${got} too far above ${truth}`);
        },
      ),
      { numRuns: 200, interruptAfterTimeLimit: 4000 },
    );
  });

  it('merges through JSON (what worker processes send)', () => {
    const a = new Histogram();
    const b = new Histogram();
    for (let v = 0; v < 1000; v++) (v % 2 ? a : b).record(v * 10);
    const m = Histogram.fromJSON(a.toJSON());
    m.merge(Histogram.fromJSON(JSON.parse(JSON.stringify(b.toJSON())) as ReturnType<Histogram['toJSON']>));
    assert.equal(m.count, 1000);
    assert.equal(m.max, 9990);
  });
});

describe('bench report', () => {
  it('expects each message at every other client and derives loss and rate', () => {
    const r = buildChatReport({
      proto: 'line',
      target: '127.0.0.1:1',
      clients: 10,
      senders: 2,
      ratePerSender: 5,
      size: 100,
      seconds: 2,
      groups: [
        group({ connected: 6, sent: 10, received: 50, duplicates: 1 }, [1000, 2000]),
        group({ connected: 4, sent: 10, received: 120, corrupt: 2, elu: 0.95 }, [3000]),
      ],
      server: { pid: 1, cpuSeconds: 0.017, rssBaseKiB: 1000, rssKiB: 2000, peakRssKiB: 2500 },
    });
    assert.equal(r.connected, 10);
    assert.equal(r.expected, 20 * 9);
    assert.equal(r.received, 170);
    assert.equal(r.lost, 10);
    assert.ok(Math.abs(r.lossPct - (100 * 10) / 180) < 1e-9);
    assert.equal(r.duplicates, 1);
    assert.equal(r.corrupt, 2);
    assert.equal(r.deliveriesPerSec, 85);
    // Percentiles report the top of a log bucket (within 1.6 %, never under the true value).
    assert.ok(r.latencyUs.p50 >= 2000 && r.latencyUs.p50 <= 2000 * 1.016, `p50 ${r.latencyUs.p50}`);
    assert.equal(r.latencyUs.max, 3000);
    assert.ok(Math.abs(r.server!.cpuPerMillion! - 100) < 1e-9);
    assert.equal(r.server!.rssPerConnectionKiB, 100);
    assert.equal(r.generator.saturated, true);
    assert.equal(r.generator.procs, 2);
  });

  it('reports no loss when everything arrived, and an idle run has no expectations', () => {
    const full = buildChatReport({
      proto: 'irc',
      target: 't',
      clients: 3,
      senders: 1,
      ratePerSender: 1,
      size: 64,
      seconds: 1,
      groups: [group({ connected: 3, sent: 4, received: 8 })],
    });
    assert.equal(full.lost, 0);
    assert.equal(full.lossPct, 0);
    assert.equal(full.generator.saturated, false);
    const idle = buildChatReport({
      proto: 'irc',
      target: 't',
      clients: 3,
      senders: 0,
      ratePerSender: 0,
      size: 64,
      seconds: 1,
      groups: [group({ connected: 3 })],
    });
    assert.equal(idle.expected, 0);
    assert.equal(idle.lossPct, 0);
  });
});
