import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { formatTable, runModelsBench } from '../../tools/bench-models.js';
import { MODELS, type Model } from '../../tools/server.js';
import type { CliContext } from '../context.js';
import { intFlag, secondsFlag } from './hello.js';

interface BenchModelsFlags {
  models: string;
  connections: string;
  duration: string;
  workMs: string;
  threads: string;
  workers: string;
}

function parseModels(value: string): Model[] {
  const list = value
    .split(',')
    .map((m) => m.trim())
    .filter((m) => m !== '');
  for (const m of list) {
    if (!(MODELS as readonly string[]).includes(m)) {
      throw new UsageError('cli.usage.badChoice', { flag: '--models', value: m, choices: MODELS.join(', ') });
    }
  }
  if (list.length === 0)
    throw new UsageError('cli.usage.badChoice', { flag: '--models', value, choices: MODELS.join(', ') });
  return list as Model[];
}

/** `tomada bench models`: the same client load against each concurrency model, as a table. */
export function registerBenchModels(bench: Command, ctx: CliContext): void {
  const { tr } = ctx;
  bench
    .command('models')
    .description(tr('tools.bench.description'))
    .option('--models <list>', tr('tools.bench.opt.models'), MODELS.join(','))
    .option('--connections <n>', tr('tools.bench.opt.connections'), intFlag('--connections', 1, 1000), '8')
    .option('--duration <secs>', tr('tools.bench.opt.duration'), secondsFlag('--duration', 0.1, 600), '2.5')
    .option('--work-ms <ms>', tr('tools.opt.workMs'), intFlag('--work-ms', 0, 60_000), '20')
    .option('--threads <n>', tr('tools.opt.threads'), intFlag('--threads', 1, 256), '4')
    .option('--workers <n>', tr('tools.opt.workers'), intFlag('--workers', 1, 64), '4')
    .action(async (flags: BenchModelsFlags) => {
      const models = parseModels(flags.models);
      const connections = Number(flags.connections);
      // Seconds, as every --duration of tomada.
      const durationMs = Math.round(Number(flags.duration) * 1000);
      const workMs = Number(flags.workMs);
      const results = await runModelsBench({
        models,
        connections,
        durationMs,
        workMs,
        threads: Number(flags.threads),
        workers: Number(flags.workers),
        onModel: (model) => ctx.err(tr('tools.bench.running', { model, connections, ms: durationMs, work: workMs })),
      });
      const rows = [
        ['col.model', 'col.rps', 'col.p50', 'col.p99', 'col.atOnce', 'col.errors'].map((k) => tr(`tools.bench.${k}`)),
        ...results.map((r) => [
          r.model === 'threads'
            ? `threads (${flags.threads})`
            : r.model === 'processes'
              ? `processes (${flags.workers})`
              : r.model,
          r.requestsPerSecond.toFixed(1),
          r.p50Ms.toFixed(1),
          r.p99Ms.toFixed(1),
          String(r.maxConcurrent),
          String(r.errors),
        ]),
      ];
      for (const line of formatTable(rows)) ctx.out(line);
      ctx.out('');
      ctx.out(tr('tools.bench.note'));
    });
}
