/**
 * A group of bench chat clients living in one process: connects them (a bounded number at a time),
 * registers them through a protocol adapter, makes the senders send at a steady rate and counts what
 * every client receives. One group per process; `--procs` runs several groups in child processes
 * (worker.ts) and merges their {@link GroupStats}.
 */
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { Histogram } from './histogram.js';
import { PayloadScanner, PayloadWriter, type DeliverySink } from './payload.js';
import type { ChatProtocol, HandshakeIo } from './protocols.js';
import { BENCH_CHANNEL, chatProtocol, type ProtoName } from './protocols.js';
import { nowUs } from './clock.js';
import {
  clientCloseFrame,
  clientPongFrame,
  clientTextFrame,
  clientTextFrames,
  handshakeRequest,
  HandshakeReader,
  newKey,
  WsFrameDecoder,
  type WsFrameSink,
} from './ws-wire.js';

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

/** The web door's JSON protocol endpoint. */
const WS_PATH = '/ws';

/**
 * The WebSocket side of a `ws` client (its TCP connection is the client's socket): the handshake, then
 * frames decoded in place from the group's shared read buffer. Each message is one protocol message: a
 * chat message's text is located with two byte searches and checked in place (no JSON.parse, no
 * string); other messages are parsed only while registering.
 */
class WsLink implements WsFrameSink {
  /** Reading the handshake response (null once open). */
  handshake: HandshakeReader | null;
  readonly decoder = new WsFrameDecoder();
  /** Open: the handshake is done and no close frame was sent. */
  open = false;

  constructor(
    readonly client: Client,
    readonly key: string,
  ) {
    this.handshake = new HandshakeReader(key);
  }

  wsMessage(buf: Buffer, start: number, end: number): void {
    const c = this.client;
    const proto = c.group.proto;
    const at = proto.messageText!(buf, start, end);
    if (at >= 0) {
      // The text ends at the next quote: right after the payload when it is whole.
      let stop = at + c.scanner.size;
      if (stop >= end || buf[stop] !== QUOTE) {
        stop = buf.indexOf(QUOTE, at);
        if (stop === -1 || stop > end) stop = end;
      }
      c.scanner.scanLine(buf, at, stop, c);
      return;
    }
    if (c.registered && !proto.wantsAfterRegistration(buf, start, end)) return;
    proto.line(buf.toString('utf8', start, end), c.nick, c, c.registered);
  }

  wsPing(buf: Buffer, start: number, end: number): void {
    if (this.open) this.client.socket?.write(clientPongFrame(buf, start, end));
  }

  wsClose(code: number, reason: string): void {
    const c = this.client;
    // Answer the close (the same code, §5.5.1) and let the connection end.
    if (this.open) {
      this.open = false;
      c.socket?.end(clientCloseFrame(code === 1005 ? 1000 : code));
    }
    if (!c.registered) c.fail(`closed by the server (${code}${reason ? ` ${reason}` : ''})`);
  }

  /** Bad frames from the server: a failure while registering, a dropped connection after. */
  protocolError(reason: string): void {
    this.open = false;
    const c = this.client;
    if (!c.registered) c.fail(reason);
    else c.socket?.destroy();
  }
}

class Client implements DeliverySink, HandshakeIo {
  /** The TCP connection (every protocol) … */
  socket: net.Socket | null = null;
  /** … and over it the WebSocket (`ws`). */
  ws: WsLink | null = null;
  registered = false;
  greeted = false;
  raw = '';
  closed = false;
  readonly noJoin: boolean;
  readonly room: string;
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
    this.room = group.opts.room ?? BENCH_CHANNEL;
    this.echoesOwn = group.proto.echoesOwn;
    this.lastSeq = new Int32Array(senders).fill(-1);
    this.seen = new Array<Uint8Array | undefined>(senders);
  }

  send(text: string): void {
    if (!this.ws) this.socket?.write(text);
    else if (this.ws.open) this.socket?.write(clientTextFrame(text));
  }

  /** Bytes written but not yet sent. */
  get writableLength(): number {
    return this.socket?.writableLength ?? 0;
  }

  /** Can take messages: connected (and the WebSocket open), not closed. */
  get sendable(): boolean {
    return !this.closed && this.socket !== null && (this.ws === null || this.ws.open);
  }

  destroy(): void {
    if (this.ws) this.ws.open = false;
    this.socket?.destroy();
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
    this.proto = chatProtocol(opts.proto, opts.room);
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
   * A WebSocket client of the web door's JSON protocol, written by hand over a TCP connection (RFC 6455):
   * reads land in the group's shared buffer like the TCP protocols' and frames are decoded in place, so
   * a message costs a header check and the payload check (the `ws` package costs several times that).
   */
  #openWs(client: Client, events: ConnectionEvents): void {
    const { proto } = this;
    const { nick } = client;
    const { host, port } = this.opts;
    const link = new WsLink(client, newKey());
    client.ws = link;
    const socket = net.connect({
      host,
      port,
      noDelay: true,
      onread: { buffer: this.#readBuffer, callback: (n: number, buf: Uint8Array) => (onRead(buf as Buffer, n), true) },
    });
    client.socket = socket;
    socket.on('connect', () => socket.write(handshakeRequest(host, port, WS_PATH, link.key)));
    const onRead = (buf: Buffer, n: number) => {
      this.readUs = nowUs();
      let p = 0;
      if (link.handshake) {
        const step = link.handshake.push(buf, 0, n);
        if (step.kind === 'more') return;
        if (step.kind === 'fail') {
          client.fail(step.reason);
          return;
        }
        // The server's first frames may share the read with the end of the handshake.
        link.handshake = null;
        link.open = true;
        proto.connected(nick, client);
        p = step.rest;
      }
      if (p >= n) return;
      const err = link.decoder.push(buf, p, n, link);
      if (err !== null) link.protocolError(err);
    };
    socket.on('error', events.error);
    socket.on('close', events.close);
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
        if (owed <= 0 || !c.sendable) continue;
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
        // A new buffer (the socket keeps it until written, and ours is reused next tick): over a
        // WebSocket, each message its own masked text frame, the batch in one write.
        c.socket!.write(c.ws ? clientTextFrames(buf, p, msgLen) : Buffer.from(buf.subarray(0, p)));
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
