/**
 * The concurrency models of chapter 4 ("Single Thread ≠ Multithread") end to end: `--model sequential`
 * really serialises connections, `threads` and `processes` really overlap blocking work, `evented` (the
 * default) stalls on it; and `tomada bench models` prints its table. Timing asserts use wide margins: the
 * machine has 2 cores and may be busy.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CliProcess, ensureStopped, runCli } from '../helpers/cli.js';
import { WireClient } from '../helpers/wire.js';
import { connect, readBytes, readToEnd } from '../tools/net-helpers.js';

const WORK = 300;
const procs: CliProcess[] = [];
after(async () => {
  for (const p of procs) await ensureStopped(p);
});

async function serve(args: string[]): Promise<{ proc: CliProcess; port: number }> {
  const proc = new CliProcess([...args, '--host', '127.0.0.1', '--port', '0']);
  procs.push(proc);
  return { proc, port: await proc.listeningPort() };
}

/**
 * Two clients, each already connected, send one request at the same moment and half-close, as the
 * tutorial's single-thread loop expects (request, response, close); resolves with the time until both
 * answers arrived and the server closed both connections (connection set-up excluded).
 */
async function twoAtOnce(port: number, expect: string): Promise<number> {
  const [a, b] = await Promise.all([connect(port), connect(port)]);
  const t0 = performance.now();
  a.end('a');
  b.end('b');
  const answers = await Promise.all([readToEnd(a), readToEnd(b)]);
  const elapsed = performance.now() - t0;
  assert.deepEqual(
    answers.map((x) => x.toString()),
    [`${expect}a`, `${expect}b`],
  );
  return elapsed;
}

describe('concurrency models (--model, --work-ms)', () => {
  it('sequential: a second client is not served until the first one closes', async () => {
    const { proc, port } = await serve(['echo', 'serve', '--model', 'sequential']);
    const first = await WireClient.connect(port);
    first.socket.write('primeiro');
    await first.waitFor('Echo: primeiro');
    const second = await WireClient.connect(port); // accepted by the kernel, not yet by the server
    second.socket.write('segundo');
    // The first client goes on being served (it sent after the second did)...
    first.socket.write('de novo');
    await first.waitFor('Echo: de novo');
    // ...while the second has had nothing, and the server has not even looked at it.
    assert.equal(second.received, '');
    assert.equal(proc.stdout.match(/connection from/g)?.length, 1);
    first.socket.end();
    await second.waitFor('Echo: segundo');
    second.socket.destroy();
    assert.equal(await proc.stop(), 0);
  });

  it(`sequential and evented (the default) take two work times for two requests; threads and processes one`, async (t) => {
    const measured: Record<string, number> = {};
    for (const model of ['sequential', 'evented', 'threads', 'processes'] as const) {
      const args = ['echo', 'serve', '--work-ms', String(WORK), '--stats'];
      if (model !== 'evented') args.push('--model', model);
      if (model === 'threads') args.push('--threads', '2');
      if (model === 'processes') args.push('--workers', '2');
      const { proc, port } = await serve(args);
      assert.match(proc.stdout, new RegExp(`\\(model ${model}\\)`));
      measured[model] = await twoAtOnce(port, 'Echo: ');
      assert.equal(await proc.stop('SIGTERM'), 0);
      const stats = /served (\d+) requests, at most (\d+) at once/.exec(proc.stdout);
      assert.ok(stats, proc.stdout);
      assert.equal(stats[1], '2');
      assert.equal(stats[2], model === 'threads' || model === 'processes' ? '2' : '1', `${model}: most at once`);
    }
    const report = JSON.stringify(measured);
    t.diagnostic(`two requests of ${WORK} ms, ms until both answered: ${report}`);
    assert.ok(measured.sequential! >= 1.8 * WORK, `sequential serialises: ${report}`);
    assert.ok(measured.evented! >= 1.8 * WORK, `a blocking handler stalls the event loop: ${report}`);
    assert.ok(measured.threads! < 1.8 * WORK, `threads overlap: ${report}`);
    assert.ok(measured.processes! < 1.8 * WORK, `processes overlap: ${report}`);
  });

  it('the hello server runs under the models too (threads overlap its welcomes)', async () => {
    const { proc, port } = await serve(['hello', 'serve', '--model', 'threads', '--work-ms', String(WORK)]);
    const [a, b] = await Promise.all([connect(port), connect(port)]);
    const t0 = performance.now();
    const answers = await Promise.all([readBytes(a, 1e9), readBytes(b, 1e9)]); // until each closes
    const elapsed = performance.now() - t0;
    assert.deepEqual(
      answers.map((x) => x.toString()),
      ['Bem-vindo ao servidor!', 'Bem-vindo ao servidor!'],
    );
    assert.ok(elapsed < 1.8 * WORK, `two welcomes in ${elapsed} ms`);
    assert.equal(await proc.stop(), 0);
  });

  it('processes: every worker process serves on the one port the system chose', async () => {
    const args = ['echo', 'serve', '--model', 'processes', '--workers', '3', '--work-ms', String(WORK), '--stats'];
    const { proc, port } = await serve(args);
    const clients = await Promise.all([0, 1, 2].map(() => connect(port)));
    const t0 = performance.now();
    for (const [i, c] of clients.entries()) c.end(`c${i}`);
    const answers = await Promise.all(clients.map((c) => readToEnd(c)));
    const elapsed = performance.now() - t0;
    assert.deepEqual(
      answers.map((a) => a.toString()),
      ['Echo: c0', 'Echo: c1', 'Echo: c2'],
    );
    assert.ok(elapsed < 1.8 * WORK, `three requests in ${elapsed} ms`);
    assert.equal(await proc.stop(), 0);
    assert.match(proc.stdout, /served 3 requests, at most 3 at once/);
  });
});

describe('tomada bench models', () => {
  it('runs each model against the same load and prints the table', async () => {
    const r = await runCli(
      [
        'bench',
        'models',
        '--duration',
        '0.4',
        '--connections',
        '3',
        '--work-ms',
        '20',
        '--threads',
        '3',
        '--workers',
        '3',
      ],
      { timeoutMs: 90_000 },
    );
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.match(lines[0]!, /^model\s+requests\/s\s+p50 ms\s+p99 ms\s+most at once\s+errors$/);
    const rows = new Map(
      lines.slice(1, 5).map((l) => {
        const cells = l.split(/\s{2,}/);
        return [cells[0]!, cells.slice(1).map(Number)];
      }),
    );
    assert.deepEqual([...rows.keys()], ['evented', 'sequential', 'threads (3)', 'processes (3)']);
    for (const [model, [rps, p50, p99, atOnce, errors]] of rows) {
      assert.ok(rps! > 0 && p50! > 0 && p99! >= p50!, `${model}: ${lines.join('\n')}`);
      assert.equal(errors, 0, model);
      if (model === 'evented' || model === 'sequential') assert.equal(atOnce, 1, model);
      else assert.ok(atOnce! >= 2, `${model} overlaps: ${r.stdout}`);
    }
    assert.match(r.stdout, /"most at once": the most requests the server was handling/);
    assert.match(r.stderr, /measuring sequential: 3 clients for 400 ms, 20 ms of blocking work per request/);
  });
});
