import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ratios, summarise, verdicts, type Run, type RunFigures } from '../../bench/summary.js';
import type { TargetName } from '../../bench/peers.js';

const figures = (f: Partial<RunFigures>): RunFigures => ({
  rate: 1000,
  lossPct: 0,
  lost: 0,
  duplicates: 0,
  corrupt: 0,
  p50Ms: 1,
  p99Ms: 5,
  connected: 200,
  generatorSaturated: false,
  ...f,
});

const run = (
  scenario: number,
  step: string,
  offered: number,
  target: TargetName,
  rep: number,
  f: Partial<RunFigures>,
) => ({ scenario, step, offered, target, rep, figures: figures(f) }) satisfies Run;

/** Three reps of scenario 1 at two steps and of scenario 3, for tomada's doors and InspIRCd. */
function runs(over: {
  cpu?: Partial<Record<TargetName, number[]>>;
  idle?: Partial<Record<TargetName, number>>;
  kib?: Partial<Record<TargetName, number>>;
}): Run[] {
  const out: Run[] = [];
  const doors: TargetName[] = ['tomada-line', 'tomada-irc', 'tomada-ws', 'inspircd'];
  for (let rep = 0; rep < 3; rep++) {
    for (const t of doors) {
      out.push(run(1, '40k/s', 40_000, t, rep, { p99Ms: 4, cpuPerMillion: 5 }));
      out.push(run(1, '1.2M/s', 1_200_000, t, rep, { cpuPerMillion: over.cpu?.[t]?.[rep] ?? 0.2 }));
      out.push(
        run(3, '10,000 idle', 0, t, rep, {
          rssMiB: over.idle?.[t] ?? 140,
          kibPerConnection: over.kib?.[t] ?? 5.5,
          connected: 10_000,
        }),
      );
    }
  }
  return out;
}

const verdict = (rows: ReturnType<typeof summarise>, text: string) => {
  const v = verdicts(rows).find((x) => x.target.includes(text));
  assert.ok(v, `no verdict for ${text}`);
  return v;
};

describe('npm run bench: medians, ratios and the targets', () => {
  it('judges the CPU target by the medians at the top step, against InspIRCd', () => {
    const rows = summarise(
      runs({ cpu: { 'tomada-line': [0.1, 0.29, 0.9], 'tomada-irc': [0.33, 0.34, 0.1], inspircd: [0.4, 0.35, 0.5] } }),
    );
    // line: median 0.29 ≤ 0.8 × 0.40 = 0.32; IRC: median 0.33 > 0.32.
    assert.equal(verdict(rows, "InspIRCd's, tomada line").met, true);
    const irc = verdict(rows, "InspIRCd's, tomada IRC");
    assert.equal(irc.met, false);
    assert.match(irc.evidence, /^0\.33 vs 0\.40 CPU-s\/M \(×0\.82; limit 0\.32\)$/);
    const line = rows.find((r) => r.scenario === 1 && r.step === '1.2M/s' && r.target === 'tomada-line')!;
    assert.deepEqual(
      ratios(rows, line).map((x) => [x.peer, x.ratio.toFixed(3)]),
      [['inspircd', '0.725']],
    );
  });

  it('judges the latency target at 40k/s only: a run of other rates cannot tell', () => {
    const rows = summarise(
      ['tomada-line', 'tomada-irc', 'tomada-ws'].flatMap((t) =>
        [0, 1, 2].map((rep) => run(1, '400k/s', 400_000, t as TargetName, rep, { p99Ms: 15 })),
      ),
    );
    const v = verdict(rows, '200 clients, tomada line');
    assert.equal(v.met, undefined);
    assert.equal(v.evidence, 'not run at 40k/s');
    assert.match(v.target, /at 40k\/s/);
  });

  it('holds every door to the latency and idle-memory targets, and says which one missed', () => {
    const rows = summarise(runs({ idle: { 'tomada-ws': 170 } }));
    for (const door of ['tomada line', 'tomada IRC', 'tomada web']) {
      assert.equal(verdict(rows, `200 clients, ${door}`).met, true, door);
    }
    assert.equal(verdict(rows, 'RSS, tomada line').met, true);
    const web = verdict(rows, 'RSS, tomada web');
    assert.equal(web.met, false);
    assert.match(web.evidence, /^170\.0 MiB for 10000 connections/);
  });

  it('holds every door to 6 KiB per idle connection and the line echo to 0.9 × the bare echo', () => {
    const all = runs({ kib: { 'tomada-irc': 6.4 } });
    for (let rep = 0; rep < 3; rep++) {
      all.push(run(4, '10 conns', 0, 'tomada-echo', rep, { rate: [95_000, 88_000, 91_000][rep]! }));
      all.push(run(4, '10 conns', 0, 'node-echo', rep, { rate: 100_000 }));
    }
    const rows = summarise(all);
    assert.equal(verdict(rows, 'idle connection, tomada line').met, true);
    const irc = verdict(rows, 'idle connection, tomada IRC');
    assert.equal(irc.met, false);
    assert.equal(irc.evidence, '6.40 KiB');
    const echo = verdict(rows, 'bare Node echo');
    assert.equal(echo.met, true);
    assert.match(echo.evidence, /^91,000 vs 100,000 requests\/s \(×0\.91\)$/);
  });

  it('judges both two-node rows against the single node at 400k/s; nothing delivered is no latency met', () => {
    const all: Run[] = [];
    for (let rep = 0; rep < 3; rep++) {
      all.push(run(1, '400k/s', 400_000, 'tomada-line', rep, { cpuPerMillion: 1.0, p99Ms: 10 }));
      all.push(run(1, '400k/s', 400_000, 'tomada-2nodes', rep, { rate: 0, cpuPerMillion: 5, p99Ms: 0 }));
      all.push(
        run(1, '400k/s', 400_000, 'tomada-2nodes-spread', rep, {
          cpuPerMillion: 1.2,
          p99Ms: 15,
          redisCpuPerMillion: 0.04,
        }),
      );
    }
    const rows = summarise(all);
    assert.equal(verdict(rows, 'two nodes ≤ 1.3').met, false);
    const silent = verdict(rows, 'two nodes: p99');
    assert.equal(silent.met, false, 'a p99 of 0 ms because nothing came is not met');
    assert.match(silent.evidence, /nothing delivered/);
    assert.equal(verdict(rows, 'two nodes spread ≤ 1.3').met, true);
    assert.equal(verdict(rows, 'two nodes spread: p99').met, true);
    assert.equal(verdict(rows, 'Redis ≤ 0.05 CPU-seconds per million deliveries (two nodes spread)').met, true);
  });

  it('counts a fault in any run, not the median', () => {
    const all = runs({});
    all[0] = run(1, '40k/s', 40_000, 'tomada-line', 0, { lost: 3, p99Ms: 4, cpuPerMillion: 5 });
    const v = verdict(summarise(all), 'no loss');
    assert.equal(v.met, false);
    assert.match(v.evidence, /40k\/s tomada line: lost 3/);
  });
});
