import cluster from 'node:cluster';
import { once } from 'node:events';
import net from 'node:net';
import { peerOf, serveConnection, type ConnectionEvents } from './connection.js';
import { handleRequest, type Request, type ServiceSpec } from './service.js';
import { siblingModule, ThreadPool } from './thread-pool.js';

/** The concurrency models of chapter 4 ("Single Thread ≠ Multithread"). */
export const MODELS = ['evented', 'sequential', 'threads', 'processes'] as const;
export type Model = (typeof MODELS)[number];

export interface ToolServerOptions {
  host: string;
  port: number;
  spec: ServiceSpec;
  model: Model;
  /** Worker threads of the `threads` model. */
  threads: number;
  /** Processes of the `processes` model. */
  workers: number;
  /** Simulated blocking work per request, in ms. */
  workMs: number;
  maxLineLength: number;
  events?: ServerEvents;
  /** processes model: forward each request to the primary (only when someone logs them). */
  reportRequests?: boolean;
}

/** What a server reports, for its logs (the CLI translates them) and for `--once`. */
export interface ServerEvents extends ConnectionEvents {
  onConnection?(peer: string): void;
  /** A connection was closed after being served (hello: after its welcome). */
  onServed?(peer: string): void;
}

export interface ServerStats {
  /** Requests answered. */
  requests: number;
  /** Most requests being handled at the same moment (the "served at once" of `bench models`). */
  maxConcurrent: number;
}

export interface ToolServer {
  readonly host: string;
  readonly port: number;
  stats(): ServerStats;
  /** Stops accepting, closes every connection and worker; resolves when all is closed. */
  close(): Promise<void>;
}

/** Counts requests in progress and remembers the highest count. */
export class ConcurrencyMeter {
  requests = 0;
  inFlight = 0;
  maxConcurrent = 0;
  begin(): void {
    this.inFlight++;
    if (this.inFlight > this.maxConcurrent) this.maxConcurrent = this.inFlight;
  }
  end(): void {
    this.inFlight--;
    this.requests++;
  }
  stats(): ServerStats {
    return { requests: this.requests, maxConcurrent: this.maxConcurrent };
  }
}

/**
 * Starts the hello or echo server under one of the concurrency models:
 * - `evented`: one thread, non-blocking I/O; the handler runs on the event loop (a blocking handler
 *   stalls every connection, which is the lesson of `--work-ms`).
 * - `sequential`: one connection at a time; the others are accepted by the kernel but not read until the
 *   current one closes (the tutorial's single-thread loop: accept, handle, close, accept…).
 * - `threads`: the main thread does the I/O; each request is handled on a pool of worker threads.
 * - `processes`: `workers` processes (node:cluster) share the listening port.
 */
export async function startToolServer(options: ToolServerOptions): Promise<ToolServer> {
  if (options.model === 'processes') return startClusterServer(options);
  const meter = new ConcurrencyMeter();
  const ev = options.events ?? {};
  let pool: ThreadPool | undefined;
  let run: (r: Request) => Buffer | Promise<Buffer>;
  let syncRun: ((r: Request) => Buffer) | undefined;
  if (options.model === 'threads') {
    const p = new ThreadPool(options.threads, { onStart: () => meter.begin(), onEnd: () => meter.end() });
    pool = p;
    await p.ready();
    run = (r) => p.run(options.spec, r, options.workMs);
  } else {
    syncRun = (r) => {
      meter.begin();
      try {
        return handleRequest(options.spec, r, options.workMs);
      } finally {
        meter.end();
      }
    };
    run = syncRun;
  }

  const sockets = new Set<net.Socket>();
  const sequential = options.model === 'sequential';
  const waiting: net.Socket[] = [];
  let active: net.Socket | undefined;

  const serve = (socket: net.Socket) => {
    ev.onConnection?.(peerOf(socket));
    serveConnection(
      socket,
      options.spec,
      run,
      options.maxLineLength,
      {
        ...ev,
        onClose: (p) => {
          ev.onClose?.(p);
          ev.onServed?.(p);
        },
      },
      syncRun,
    );
    socket.resume();
  };
  const next = () => {
    active = undefined;
    while (!active && waiting.length > 0) {
      const s = waiting.shift()!;
      if (s.destroyed) continue;
      active = s;
      serve(s);
    }
  };

  const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true }, (socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      sockets.delete(socket);
      // After this connection's own 'close' listeners (its "disconnected" log comes before the next one's).
      if (sequential && socket === active) queueMicrotask(next);
    });
    if (!sequential) return serve(socket);
    if (active) waiting.push(socket);
    else {
      active = socket;
      serve(socket);
    }
  });
  server.on('error', () => undefined);
  try {
    await listen(server, options.host, options.port);
  } catch (err) {
    await pool?.close();
    throw err;
  }
  const addr = server.address() as net.AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    host: options.host,
    port: addr.port,
    stats: () => meter.stats(),
    close: () =>
      (closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const s of sockets) s.destroy();
        await closed;
        await pool?.close();
      })()),
  };
}

/** Listens, turning the first 'error' (EADDRINUSE, EACCES…) into a rejection. */
export function listen(server: net.Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen({ host, port }, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** Messages between the primary and its cluster workers. */
export type ClusterMessage =
  | { t: 'listening'; port: number }
  | { t: 'failed'; code?: string; message: string; port: number; address: string }
  | { t: 'begin' }
  | { t: 'end' }
  | { t: 'connection'; peer: string }
  | { t: 'close'; peer: string }
  | { t: 'request'; peer: string; request: string }
  | { t: 'lineTooLong'; peer: string; maxLength: number }
  | { t: 'stop' };

/** The environment variable that hands the server options to a cluster worker. */
export const CLUSTER_OPTIONS_ENV = 'TOMADA_TOOL_SERVER';

async function startClusterServer(options: ToolServerOptions): Promise<ToolServer> {
  const ev = options.events ?? {};
  const meter = new ConcurrencyMeter();
  const { events: _events, ...rest } = options;
  const plain: ToolServerOptions = { ...rest, reportRequests: ev.onRequest !== undefined };
  cluster.setupPrimary({
    exec: new URL(siblingModule(import.meta.url, 'cluster-worker')).pathname,
    // The test runner's own flags must not reach the workers; the tsx loader must.
    execArgv: process.execArgv.filter((a) => !a.startsWith('--test')),
    silent: false,
  });
  const env = { [CLUSTER_OPTIONS_ENV]: JSON.stringify(plain) };
  const workers = Array.from({ length: options.workers }, () => cluster.fork(env));
  const exited = workers.map((w) => once(w, 'exit').then(() => undefined));
  let port = options.port;
  try {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            w.on('message', (m: ClusterMessage) => {
              switch (m.t) {
                case 'listening':
                  port = m.port;
                  resolve();
                  break;
                case 'failed':
                  reject(Object.assign(new Error(m.message), { code: m.code, port: m.port, address: m.address }));
                  break;
                case 'begin':
                  meter.begin();
                  break;
                case 'end':
                  meter.end();
                  break;
                case 'connection':
                  ev.onConnection?.(m.peer);
                  break;
                case 'close':
                  ev.onClose?.(m.peer);
                  ev.onServed?.(m.peer);
                  break;
                case 'request':
                  ev.onRequest?.(m.peer, m.request);
                  break;
                case 'lineTooLong':
                  ev.onLineTooLong?.(m.peer, m.maxLength);
                  break;
              }
            });
            w.once('exit', () => reject(new Error('worker process exited before listening')));
          }),
      ),
    );
  } catch (err) {
    for (const w of workers) w.kill();
    await Promise.all(exited);
    throw err;
  }
  let closing: Promise<void> | undefined;
  return {
    host: options.host,
    port,
    stats: () => meter.stats(),
    close: () =>
      (closing ??= (async () => {
        for (const w of workers) {
          if (w.isConnected()) w.send({ t: 'stop' } satisfies ClusterMessage);
        }
        const timer = setTimeout(() => workers.forEach((w) => w.kill('SIGKILL')), 3000);
        await Promise.all(exited);
        clearTimeout(timer);
      })()),
  };
}
