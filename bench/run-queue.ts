/**
 * What the bench's processes waited for a CPU, beside what they ran on one (Linux's per-thread
 * `schedstat`: time on CPU, time runnable but waiting on a run queue, times run). Run it beside a bench
 * run; it finds the servers and the generator by their command lines, reads them `--after` seconds in
 * (the warm-up over) and again `--for` seconds later, and prints each one's share:
 *
 *   node --import tsx bench/run.ts --quick --duration 8 --only 1 --rates 400000 --reps 1 \
 *     --targets tomada-2nodes & node --import tsx bench/run-queue.ts --after 6 --for 2
 *
 * A chain of processes on one core (the two-node row: node A → PostgreSQL → A → Redis → A and B) waits
 * at each hop for the core the others hold: docs/bench.md, "seventh sitting".
 */
import { readdirSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface Times {
  cpuNs: number;
  waitNs: number;
  runs: number;
}

/** The bench's processes now, labelled by what they are. */
function benchProcesses(): Array<{ pid: string; label: string }> {
  const found: Array<{ pid: string; label: string }> = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let cmd: string;
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    } catch {
      continue; // gone meanwhile
    }
    let label: string | undefined;
    if (/ chat serve /.test(cmd)) {
      label = / --cluster /.test(cmd) ? `node ${/--node-name (\S+)/.exec(cmd)?.[1] ?? pid}` : 'single node';
    } else if (/ bench chat /.test(cmd)) label = 'generator';
    else if (cmd.startsWith('redis-server')) label = 'Redis';
    else if (/^postgres(:| )|\/postgres /.test(cmd)) label = 'PostgreSQL';
    if (label) found.push({ pid, label });
  }
  return found;
}

/** Every thread's times, summed by label. */
function read(processes: Array<{ pid: string; label: string }>): Map<string, Times> {
  const byLabel = new Map<string, Times>();
  for (const { pid, label } of processes) {
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    const sum = byLabel.get(label) ?? { cpuNs: 0, waitNs: 0, runs: 0 };
    for (const tid of tasks) {
      try {
        const [cpu, wait, runs] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'latin1').trim().split(' ');
        sum.cpuNs += Number(cpu);
        sum.waitNs += Number(wait);
        sum.runs += Number(runs);
      } catch {
        // the thread ended between the listing and the reading
      }
    }
    byLabel.set(label, sum);
  }
  return byLabel;
}

const { values } = parseArgs({
  options: { after: { type: 'string', default: '6' }, for: { type: 'string', default: '2' } },
});
const sleep = (s: number) => new Promise((r) => setTimeout(r, s * 1000));
await sleep(Number(values.after));
const processes = benchProcesses();
const before = read(processes);
const span = Number(values.for);
await sleep(span);
const after = read(processes);
console.log('| process | on CPU, ms/s | waiting for a CPU, ms/s | runs/s | wait per run, µs |');
console.log('|---|--:|--:|--:|--:|');
for (const [label, a] of after) {
  const b = before.get(label);
  if (!b) continue;
  const cpu = (a.cpuNs - b.cpuNs) / 1e6 / span;
  const wait = (a.waitNs - b.waitNs) / 1e6 / span;
  const runs = (a.runs - b.runs) / span;
  const perRun = runs > 0 ? (wait * 1000) / runs : 0;
  console.log(`| ${label} | ${cpu.toFixed(0)} | ${wait.toFixed(0)} | ${runs.toFixed(0)} | ${perRun.toFixed(0)} |`);
}
