/**
 * One bench chat client: its connection, its registration state, and the bookkeeping of what it
 * receives (every delivery checked against a per-sender bitset: duplicates, reordering, latency).
 */
import type net from 'node:net';
import type { ClientGroup } from './clients.js';
import type { DeliverySink, PayloadScanner } from './payload.js';
import { BENCH_CHANNEL, type HandshakeIo } from './protocols.js';
import type { WsLink } from './ws-link.js';
import { clientTextFrame } from './ws-wire.js';

export class Client implements DeliverySink, HandshakeIo {
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
