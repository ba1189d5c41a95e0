/**
 * A group of bench chat clients living in one process: connects them (a bounded number at a time),
 * registers them through a protocol adapter, makes the senders send at a steady rate and counts what
 * every client receives. One group per process; `--procs` runs several groups in child processes
 * (worker.ts) and merges their {@link GroupStats}.
 *
 * The parts: client.ts (one client and its delivery checks), connect.ts (TCP and hand-written WebSocket
 * connections over the group's shared read buffer), ws-link.ts (the WebSocket side), sender.ts (the
 * senders' schedule).
 */
import { performance } from 'node:perf_hooks';
import { Client } from './client.js';
import { nowUs } from './clock.js';
import { closeWithin, openTcp, openWs, type ConnectionEvents } from './connect.js';
import { Histogram } from './histogram.js';
import { PayloadScanner } from './payload.js';
import { chatProtocol, type ChatProtocol, type ProtoName } from './protocols.js';
import { SendSchedule } from './sender.js';
import { clientCloseFrame } from './ws-wire.js';

export interface GroupOptions {
  proto: ProtoName;
  host: string;
  port: number;
  /** Global indexes of the clients of this group (client i is nick `b<i>`; clients 0..senders-1 send). */
  clients: number[];
  /** Number of senders in the whole run (senders are clients 0..senders-1). */
  senders: number;
  /** Messages per second, per sender. */
  rate: number;
  size: number;
  /** Connects in flight at once (ngIRCd's listen backlog is 10). */
  connectConcurrency: number;
  /** How long registration of all clients may take. */
  connectTimeoutMs: number;
  /** Nick prefix (so two runs against one server do not collide). */
  nickPrefix?: string;
  /** Register only, join no room (idle connections: no quadratic join storm). */
  noJoin?: boolean;
  /** The room to talk in (default #bench; '' on a server without rooms). */
  room?: string;
  /**
   * A second node of the same network: the clients that do not send alternate between `port` and this
   * one (the senders all stay on `port`), so every message crosses from one node to the other.
   */
  alsoPort?: number;
}

export interface GroupStats {
  connected: number;
  failed: number;
  failures: string[];
  /** Connections that closed during the run. */
  dropped: number;
  sent: number;
  received: number;
  duplicates: number;
  reordered: number;
  corrupt: number;
  /** Payloads received before the start (history replay) or from unknown senders: not counted. */
  stale: number;
  /** Payloads sent during the warm-up: not counted. */
  warmup: number;
  /** Send ticks skipped because the socket's send buffer was full (the server was not reading). */
  blockedTicks: number;
  /** Messages the schedule asked for but the generator did not send in time. */
  behind: number;
  latency: ReturnType<Histogram['toJSON']>;
  /** Event-loop utilisation of this process while measuring (1 = saturated). */
  elu: number;
  /** CPU seconds this process used while measuring. */
  cpuSeconds: number;
}

export class ClientGroup {
  readonly opts: GroupOptions;
  readonly proto: ChatProtocol;
  readonly latency = new Histogram();
  readonly stats = {
    failed: 0,
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
  };
  readonly failures: string[] = [];
  counting = false;
  /** When sending starts (µs, shared clock). */
  startUs = 0;
  /** When the measurement starts: payloads stamped earlier are the warm-up's. */
  countFromUs = 0;
  /** Time of the read being scanned (one clock read per read, not per message). */
  readUs = 0;
  #clients: Client[] = [];
  #senders: Client[] = [];
  #schedule: SendSchedule | null = null;
  #measureTimer: NodeJS.Timeout | null = null;
  /** Every read of the group's connections lands here (scanned before the next read). */
  readonly readBuffer = Buffer.allocUnsafe(64 * 1024);
  #eluStart: ReturnType<typeof performance.eventLoopUtilization> | null = null;
  #cpuStart: NodeJS.CpuUsage | null = null;
  #elu = 0;
  #cpu = 0;

  constructor(opts: GroupOptions) {
    this.opts = opts;
    this.proto = chatProtocol(opts.proto, opts.room);
  }

  get connected(): number {
    let n = 0;
    for (const c of this.#clients) if (c.registered && !c.closed) n++;
    return n;
  }

  /** Connects and registers every client; resolves when all are in (or failed, or the timeout hit). */
  async connectAll(onProgress?: (done: number) => void): Promise<void> {
    const { clients, connectConcurrency, connectTimeoutMs } = this.opts;
    const deadline = Date.now() + connectTimeoutMs;
    let next = 0;
    let done = 0;
    const worker = async () => {
      while (next < clients.length) {
        const idx = clients[next++]!;
        const left = deadline - Date.now();
        if (left <= 0) {
          this.#failed(`b${idx}: timeout`);
        } else {
          try {
            await this.#connectOne(idx, left);
          } catch (e) {
            this.#failed((e as Error).message);
          }
        }
        done++;
        onProgress?.(done);
      }
    };
    const n = Math.max(1, Math.min(connectConcurrency, clients.length));
    await Promise.all(Array.from({ length: n }, worker));
  }

  #failed(reason: string): void {
    this.stats.failed++;
    if (this.failures.length < 5) this.failures.push(reason);
  }

  #connectOne(idx: number, timeoutMs: number): Promise<void> {
    const nick = `${this.opts.nickPrefix ?? 'b'}${idx}`;
    const scanner = new PayloadScanner(this.opts.size, Math.max(4096, this.opts.size * 2 + 512));
    const client = new Client(this, idx, nick, scanner, this.opts.senders);
    this.#clients.push(client);
    if (idx < this.opts.senders) this.#senders.push(client);
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const settle = (err?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (!err) {
          resolve();
          return;
        }
        client.destroy();
        reject(err);
      };
      const timer = setTimeout(
        () => settle(new Error(`${nick}: registration timed out after ${timeoutMs} ms`)),
        timeoutMs,
      );
      client.onReady = () => settle();
      client.onFail = (reason) => settle(new Error(`${nick}: ${reason}`));
      const events: ConnectionEvents = {
        error: (e) => settle(new Error(`${nick}: ${(e as NodeJS.ErrnoException).code ?? e.message}`)),
        close: () => {
          client.closed = true;
          if (client.registered && this.counting) this.stats.dropped++;
          settle(new Error(`${nick}: connection closed during registration`));
        },
      };
      if (this.proto.transport === 'ws') openWs(this, client, events);
      else openTcp(this, client, events);
    });
  }

  /**
   * Starts listening now, sending at `startUs` (the shared start time: payloads sent before it are
   * stale) and measuring at `countFromUs` (what is sent before it is the warm-up: both sides' code gets
   * compiled and their buffers grown, and none of it is counted). The coordinator sets the start a
   * little in the future, so that with `--procs` every process listens before any process sends,
   * however late the start message reaches it.
   */
  start(startUs: number, countFromUs = startUs): void {
    this.startUs = startUs;
    this.countFromUs = Math.max(startUs, countFromUs);
    this.counting = true;
    this.#beginMeasure();
    if (this.#senders.length === 0 || this.opts.rate <= 0) return;
    const { senders, rate, size } = this.opts;
    const { sendPrefix, sendSuffix } = this.proto;
    this.#schedule = new SendSchedule({ senders, rate, size, sendPrefix, sendSuffix }, this.#senders, this.stats);
    this.#schedule.begin(this.startUs, this.countFromUs);
  }

  #beginMeasure(): void {
    const waitMs = (this.countFromUs - nowUs()) / 1000;
    if (waitMs > 0) {
      this.#measureTimer = setTimeout(() => this.#beginMeasure(), Math.max(1, waitMs));
      return;
    }
    this.#measureTimer = null;
    this.#eluStart = performance.eventLoopUtilization();
    this.#cpuStart = process.cpuUsage();
  }

  /** Stops sending (receiving goes on so in-flight messages still count). */
  stopSending(): void {
    this.#schedule?.stop();
    if (this.#measureTimer) clearTimeout(this.#measureTimer);
    this.#measureTimer = null;
  }

  /** Ends the measurement window (for ELU and CPU). */
  endMeasure(): void {
    if (this.#eluStart) this.#elu = performance.eventLoopUtilization(this.#eluStart).utilization;
    if (this.#cpuStart) {
      const u = process.cpuUsage(this.#cpuStart);
      this.#cpu = (u.user + u.system) / 1e6;
    }
  }

  snapshot(): GroupStats {
    return {
      connected: this.connected,
      failed: this.stats.failed,
      failures: [...this.failures],
      dropped: this.stats.dropped,
      sent: this.stats.sent,
      received: this.stats.received,
      duplicates: this.stats.duplicates,
      reordered: this.stats.reordered,
      corrupt: this.stats.corrupt,
      stale: this.stats.stale,
      warmup: this.stats.warmup,
      blockedTicks: this.stats.blockedTicks,
      behind: this.stats.behind,
      latency: this.latency.toJSON(),
      elu: this.#elu,
      cpuSeconds: this.#cpu,
    };
  }

  /**
   * Closes every connection (QUIT first on IRC so the server does not wait for a timeout; a close frame
   * first on a WebSocket).
   */
  async close(): Promise<void> {
    this.stopSending();
    this.counting = false;
    const closing: Array<Promise<void>> = [];
    for (const c of this.#clients) {
      const s = c.socket;
      if (!s || s.destroyed) continue;
      const ws = c.ws;
      let bye: string | Buffer = '';
      if (ws) {
        if (ws.open) bye = clientCloseFrame(1000);
        ws.open = false;
      } else if (this.proto.name === 'irc' && c.registered) bye = 'QUIT :bench done\r\n';
      closing.push(
        closeWithin(
          s,
          // Nothing to say: a bare end (ending an already ending socket, e.g. closed by the server, is no error).
          () => (bye.length > 0 ? s.end(bye) : s.end()),
          () => s.destroy(),
        ),
      );
    }
    await Promise.all(closing);
  }
}
