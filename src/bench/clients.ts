/**
 * A group of bench chat clients living in one process: connects them (a bounded number at a time),
 * registers them through a protocol adapter, makes the senders send at a steady rate and counts what
 * every client receives. One group per process; `--procs` runs several groups in child processes
 * (worker.ts) and merges their {@link GroupStats}.
 */
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { Histogram } from './histogram.js';
import { PayloadScanner, PayloadWriter, type DeliverySink } from './payload.js';
import type { ChatProtocol, HandshakeIo } from './protocols.js';
import { chatProtocol, type ProtoName } from './protocols.js';
import { nowUs } from './clock.js';

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

const SEND_TICK_MS = 2;
const MAX_SEND_BUFFER = 1 << 20;
const QUOTE = 0x22;

/** `ws://HOST:PORT/ws` (an IPv6 address in brackets). */
export function wsUrl(host: string, port: number): string {
  return `ws://${host.includes(':') ? `[${host}]` : host}:${port}/ws`;
}

class Client implements DeliverySink, HandshakeIo {
  /** The TCP connection (`line`, `irc`) … */
  socket: net.Socket | null = null;
  /** … or the WebSocket (`ws`). */
  ws: WebSocket | null = null;
  registered = false;
  greeted = false;
  raw = '';
  closed = false;
  readonly noJoin: boolean;
  /** Copies of this client's own messages come back (and are not deliveries). */
  readonly echoesOwn: boolean;
  /** Per sender: the last seq seen, and a bitset of every seq seen. */
  readonly lastSeq: Int32Array;
  readonly seen: Array<Uint8Array | undefined>;
  onReady: (() => void) | null = null;
  onFail: ((reason: string) => void) | null = null;

  constructor(
    readonly group: ClientGroup,
    readonly index: number,
    readonly nick: string,
    readonly scanner: PayloadScanner,
    senders: number,
  ) {
    this.noJoin = group.opts.noJoin === true;
    this.echoesOwn = group.proto.echoesOwn;
    this.lastSeq = new Int32Array(senders).fill(-1);
    this.seen = new Array<Uint8Array | undefined>(senders);
  }

  send(text: string): void {
    if (this.ws) this.ws.send(text);
    else this.socket?.write(text);
  }

  /** Bytes written but not yet sent. */
  get writableLength(): number {
    return this.ws ? this.ws.bufferedAmount : (this.socket?.writableLength ?? 0);
  }

  destroy(): void {
    this.socket?.destroy();
    this.ws?.terminate();
  }

  ready(): void {
    if (this.registered) return;
    this.registered = true;
    this.onReady?.();
  }

  fail(reason: string): void {
    this.onFail?.(reason);
  }

  delivery(sender: number, seq: number, sentUs: number): void {
    if (sender === this.index && this.echoesOwn) return;
    const g = this.group;
    if (!g.counting || sender >= this.lastSeq.length || sentUs < g.countFromUs) {
      if (g.counting && sentUs >= g.startUs && sentUs < g.countFromUs) g.stats.warmup++;
      else g.stats.stale++;
      return;
    }
    let bits = this.seen[sender];
    const byte = seq >> 3;
    if (bits === undefined || byte >= bits.length) {
      const grown = new Uint8Array(Math.max(64, (byte + 1) * 2));
      if (bits) grown.set(bits);
      bits = grown;
      this.seen[sender] = bits;
    }
    const mask = 1 << (seq & 7);
    if ((bits[byte]! & mask) !== 0) {
      g.stats.duplicates++;
      return;
    }
    bits[byte] = bits[byte]! | mask;
    if (seq < this.lastSeq[sender]!) g.stats.reordered++;
    else this.lastSeq[sender] = seq;
    g.stats.received++;
    g.latency.record(g.readUs - sentUs);
  }

  corrupt(): void {
    if (this.group.counting) this.group.stats.corrupt++;
  }
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
  #sendTimer: NodeJS.Timeout | null = null;
  #beginTimer: NodeJS.Timeout | null = null;
  #measureTimer: NodeJS.Timeout | null = null;
  #sendStartMs = 0;
  #writer: PayloadWriter;
  readonly #readBuffer = Buffer.allocUnsafe(64 * 1024);
  #eluStart: ReturnType<typeof performance.eventLoopUtilization> | null = null;
  #cpuStart: NodeJS.CpuUsage | null = null;
  #elu = 0;
  #cpu = 0;

  constructor(opts: GroupOptions) {
    this.opts = opts;
    this.proto = chatProtocol(opts.proto);
    this.#writer = new PayloadWriter(opts.size);
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
      if (this.proto.transport === 'ws') this.#openWs(client, events);
      else this.#openTcp(client, events);
    });
  }

  /** A TCP client: lines in a byte stream, cut and checked by the payload scanner. */
  #openTcp(client: Client, events: ConnectionEvents): void {
    const { proto } = this;
    const { nick, scanner } = client;
    // Reads land in one buffer shared by the group (each read is scanned before the next one), so a
    // read costs no allocation and no stream bookkeeping: the generator must outrun the server.
    const socket = net.connect({
      host: this.opts.host,
      port: this.opts.port,
      noDelay: true,
      onread: { buffer: this.#readBuffer, callback: (n: number, buf: Uint8Array) => (onRead(buf as Buffer, n), true) },
    });
    client.socket = socket;
    const onOther = (buf: Buffer, start: number, end: number) => {
      if (client.registered && !proto.wantsAfterRegistration(buf, start, end)) return;
      proto.line(buf.toString('latin1', start, end), nick, client, client.registered);
    };
    socket.on('connect', () => proto.connected(nick, client));
    const onRead = (chunk: Buffer, n: number) => {
      this.readUs = nowUs();
      if (!client.greeted && proto.rawBeforeLines) {
        client.raw += chunk.toString('latin1', 0, n);
        if (!proto.rawBeforeLines(client.raw, nick, client)) return;
        client.greeted = true;
        const rest = client.raw.slice(client.raw.indexOf('APELIDO') + 'APELIDO'.length);
        client.raw = '';
        if (rest.length > 0) scanner.push(Buffer.from(rest, 'latin1'), client, onOther);
        return;
      }
      scanner.push(chunk, client, onOther, n);
    };
    socket.on('error', events.error);
    socket.on('close', events.close);
  }

  /**
   * A WebSocket client of the web door's JSON protocol: each WebSocket message is one protocol message.
   * A chat message's text is located with two byte searches and checked in place (no JSON.parse, no
   * string); other messages are parsed only while registering.
   */
  #openWs(client: Client, events: ConnectionEvents): void {
    const { proto } = this;
    const { nick, scanner } = client;
    const { size } = this.opts;
    const ws = new WebSocket(wsUrl(this.opts.host, this.opts.port), {
      perMessageDeflate: false,
      // The payload check looks at every byte of a payload; the rest is the server's business.
      skipUTF8Validation: true,
    });
    client.ws = ws;
    ws.on('open', () => proto.connected(nick, client));
    ws.on('message', (data: Buffer) => {
      // One clock read per WebSocket message: ws emits the messages of one read back to back, so this
      // is as cheap as per read and right even when it does not.
      this.readUs = nowUs();
      const at = proto.messageText!(data);
      if (at >= 0) {
        // The text ends at the next quote: right after the payload when it is whole.
        let end = at + size;
        if (data[end] !== QUOTE) {
          end = data.indexOf(QUOTE, at);
          if (end === -1) end = data.length;
        }
        scanner.scanLine(data, at, end, client);
        return;
      }
      if (client.registered && !proto.wantsAfterRegistration(data, 0, data.length)) return;
      proto.line(data.toString('utf8'), nick, client, client.registered);
    });
    ws.on('error', events.error);
    ws.on('close', events.close);
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
    this.#beginSending();
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

  #beginSending(): void {
    // Timers may fire a little early by the monotonic clock: a payload stamped before the start is stale.
    const waitMs = (this.startUs - nowUs()) / 1000;
    if (waitMs > 0) {
      this.#beginTimer = setTimeout(() => this.#beginSending(), Math.max(1, waitMs));
      return;
    }
    this.#beginTimer = null;
    this.#sendStartMs = performance.now();
    const sent = new Float64Array(this.#senders.length);
    const phase = Float64Array.from(this.#senders, (c) => c.index / Math.max(1, this.opts.senders));
    const { rate, size } = this.opts;
    const prefix = this.proto.sendPrefix;
    const suffix = this.proto.sendSuffix;
    const msgLen = prefix.length + size + suffix.length;
    const maxBatch = Math.max(1, Math.ceil(rate / 10));
    let buf = Buffer.allocUnsafe(msgLen * 64);
    const tick = () => {
      const elapsed = (performance.now() - this.#sendStartMs) / 1000;
      const t = nowUs();
      for (let s = 0; s < this.#senders.length; s++) {
        const c = this.#senders[s]!;
        // Each sender's schedule is shifted by its share of one interval, so the senders do not all
        // send in the same tick (a synchronised burst would measure queueing inside the burst).
        const due = Math.floor(elapsed * rate + phase[s]!) + 1;
        let owed = due - sent[s]!;
        if (owed <= 0 || c.closed || !(c.ws ? c.ws.readyState === WebSocket.OPEN : c.socket)) continue;
        if (c.writableLength > MAX_SEND_BUFFER) {
          this.stats.blockedTicks++;
          continue;
        }
        if (owed > maxBatch) {
          this.stats.behind += owed - maxBatch;
          sent[s]! += owed - maxBatch; // give up on what is too late: keep the rate honest
          owed = maxBatch;
        }
        if (buf.length < owed * msgLen) buf = Buffer.allocUnsafe(owed * msgLen * 2);
        let p = 0;
        let seq = sent[s]!;
        for (let k = 0; k < owed; k++) {
          p += prefix.copy(buf, p);
          p = this.#writer.write(buf, p, c.index, seq++, t);
          p += suffix.copy(buf, p);
        }
        sent[s] = seq;
        if (t >= this.countFromUs) this.stats.sent += owed;
        // Copy: the socket keeps the buffer until written, and ours is reused next tick.
        const out = Buffer.from(buf.subarray(0, p));
        if (c.ws) sendWsMessages(c.ws, out, msgLen);
        else c.socket!.write(out);
      }
    };
    this.#sendTimer = setInterval(tick, SEND_TICK_MS);
    tick();
  }

  /** Stops sending (receiving goes on so in-flight messages still count). */
  stopSending(): void {
    if (this.#beginTimer) clearTimeout(this.#beginTimer);
    this.#beginTimer = null;
    if (this.#measureTimer) clearTimeout(this.#measureTimer);
    this.#measureTimer = null;
    if (this.#sendTimer) clearInterval(this.#sendTimer);
    this.#sendTimer = null;
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

  /** Closes every connection (QUIT first on IRC so the server does not wait for a timeout). */
  async close(): Promise<void> {
    this.stopSending();
    this.counting = false;
    const closing: Array<Promise<void>> = [];
    for (const c of this.#clients) {
      const ws = c.ws;
      if (ws) {
        if (ws.readyState !== WebSocket.CLOSED)
          closing.push(
            closeWithin(
              ws,
              () => ws.close(1000),
              () => ws.terminate(),
            ),
          );
        continue;
      }
      const s = c.socket;
      if (!s || s.destroyed) continue;
      const bye = this.proto.name === 'irc' && c.registered ? 'QUIT :bench done\r\n' : '';
      closing.push(
        closeWithin(
          s,
          () => s.end(bye),
          () => s.destroy(),
        ),
      );
    }
    await Promise.all(closing);
  }
}

/** Closes politely, and cuts the connection if it has not closed within a second. */
function closeWithin(conn: { once(event: 'close', fn: () => void): unknown }, close: () => void, kill: () => void) {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      kill();
      resolve();
    }, 1000);
    conn.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    close();
  });
}

interface ConnectionEvents {
  error: (e: Error) => void;
  close: () => void;
}

/**
 * Sends `out` (whole messages of `msgLen` bytes each) as one WebSocket text message per message, with
 * the TCP socket corked so the batch leaves in one write.
 */
function sendWsMessages(ws: WebSocket, out: Buffer, msgLen: number): void {
  const socket = (ws as unknown as { _socket?: net.Socket })._socket;
  socket?.cork();
  for (let q = 0; q < out.length; q += msgLen) ws.send(out.subarray(q, q + msgLen), { binary: false });
  socket?.uncork();
}
