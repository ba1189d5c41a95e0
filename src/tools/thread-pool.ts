import { Worker } from 'node:worker_threads';
import type { PoolJob, PoolResult } from './pool-worker.js';
import type { Request, ServiceSpec } from './service.js';

/**
 * A worker file next to this module, with this module's own extension: `.ts` when run from `src/`
 * through tsx, `.js` from the compiled `dist/`.
 */
export function siblingModule(base: string, name: string): URL {
  const ext = new URL(base).pathname.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./${name}${ext}`, base);
}

/**
 * Starts a worker thread on `file`. Node 20 does not pass the tsx loader on to worker threads, so a
 * `.ts` file is loaded through a small bootstrap that registers tsx first.
 */
export function startWorker(file: URL): Worker {
  if (!file.pathname.endsWith('.ts')) return new Worker(file);
  const api = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(file.href)}); })`;
  return new Worker(code, { eval: true });
}

interface Pending {
  job: PoolJob;
  resolve(reply: Buffer): void;
  reject(err: Error): void;
}

/** Hooks to observe when a job starts and ends on a worker (for the "served at once" statistic). */
export interface PoolHooks {
  onStart?(): void;
  onEnd?(): void;
}

/**
 * A fixed pool of worker threads running {@link handleRequest}: jobs beyond the pool size wait in a
 * queue until a worker is free.
 */
export class ThreadPool {
  readonly size: number;
  #idle: Worker[] = [];
  #all: Worker[] = [];
  #queue: Pending[] = [];
  #running = new Map<Worker, Pending>();
  #nextId = 1;
  #closed = false;
  #ready: Promise<unknown>;

  constructor(
    size: number,
    readonly hooks: PoolHooks = {},
  ) {
    this.size = size;
    const file = siblingModule(import.meta.url, 'pool-worker');
    const ready: Promise<void>[] = [];
    for (let i = 0; i < size; i++) {
      const w = startWorker(file);
      ready.push(
        new Promise((resolve, reject) => {
          w.on('message', (r: PoolResult | { ready: true }) => {
            if ('ready' in r) resolve();
            else this.#done(w, r);
          });
          w.once('error', reject);
        }),
      );
      w.on('error', (err) => this.#failed(w, err));
      this.#all.push(w);
      this.#idle.push(w);
    }
    this.#ready = Promise.all(ready);
  }

  /** Resolves once every worker has loaded its code (requests sent before then simply wait). */
  ready(): Promise<unknown> {
    return this.#ready;
  }

  /** Runs one request on a worker; resolves to its answer. */
  run(spec: ServiceSpec, request: Request, workMs: number): Promise<Buffer> {
    if (this.#closed) return Promise.reject(new Error('thread pool closed'));
    return new Promise((resolve, reject) => {
      this.#queue.push({ job: { id: this.#nextId++, spec, request, workMs }, resolve, reject });
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#idle.length > 0 && this.#queue.length > 0) {
      const w = this.#idle.pop()!;
      const p = this.#queue.shift()!;
      this.#running.set(w, p);
      this.hooks.onStart?.();
      w.postMessage(p.job);
    }
  }

  #done(w: Worker, r: PoolResult): void {
    const p = this.#running.get(w);
    this.#running.delete(w);
    this.hooks.onEnd?.();
    if (!this.#closed) this.#idle.push(w);
    p?.resolve(Buffer.from(r.reply.buffer, r.reply.byteOffset, r.reply.byteLength));
    this.#pump();
  }

  #failed(w: Worker, err: Error): void {
    const p = this.#running.get(w);
    this.#running.delete(w);
    if (p) {
      this.hooks.onEnd?.();
      p.reject(err);
    }
  }

  /** Stops every worker; queued jobs are rejected. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const p of this.#queue.splice(0)) p.reject(new Error('thread pool closed'));
    await Promise.all(this.#all.map((w) => w.terminate()));
  }
}
