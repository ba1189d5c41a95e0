/**
 * The senders' schedule: every sender sends `rate` messages a second, each one stamped with the time
 * and its sequence, in ticks of a few milliseconds; what falls too far behind is given up (counted), so
 * the rate stays honest, and a sender whose socket is not being read is skipped (counted).
 */
import { performance } from 'node:perf_hooks';
import type { Client } from './client.js';
import { nowUs } from './clock.js';
import { PayloadWriter } from './payload.js';
import { clientTextFrames } from './ws-wire.js';

const SEND_TICK_MS = 2;
const MAX_SEND_BUFFER = 1 << 20;

export interface SendCounters {
  sent: number;
  blockedTicks: number;
  behind: number;
}

export interface ScheduleOptions {
  /** Number of senders in the whole run (spreads their phases). */
  senders: number;
  /** Messages per second, per sender. */
  rate: number;
  size: number;
  sendPrefix: Buffer;
  sendSuffix: Buffer;
}

export class SendSchedule {
  #sendTimer: NodeJS.Timeout | null = null;
  #beginTimer: NodeJS.Timeout | null = null;
  #sendStartMs = 0;
  readonly #writer: PayloadWriter;

  constructor(
    readonly opts: ScheduleOptions,
    readonly senders: Client[],
    readonly stats: SendCounters,
  ) {
    this.#writer = new PayloadWriter(opts.size);
  }

  /**
   * Sends from `startUs` on (timers may fire a little early by the monotonic clock: a payload stamped
   * before the start is stale); only what is sent from `countFromUs` on is counted as sent.
   */
  begin(startUs: number, countFromUs: number): void {
    const waitMs = (startUs - nowUs()) / 1000;
    if (waitMs > 0) {
      this.#beginTimer = setTimeout(() => this.begin(startUs, countFromUs), Math.max(1, waitMs));
      return;
    }
    this.#beginTimer = null;
    this.#sendStartMs = performance.now();
    const senders = this.senders;
    const sent = new Float64Array(senders.length);
    const phase = Float64Array.from(senders, (c) => c.index / Math.max(1, this.opts.senders));
    const { rate, size, sendPrefix: prefix, sendSuffix: suffix } = this.opts;
    const msgLen = prefix.length + size + suffix.length;
    const maxBatch = Math.max(1, Math.ceil(rate / 10));
    const writer = this.#writer;
    const stats = this.stats;
    let buf = Buffer.allocUnsafe(msgLen * 64);
    const tick = () => {
      const elapsed = (performance.now() - this.#sendStartMs) / 1000;
      const t = nowUs();
      for (let s = 0; s < senders.length; s++) {
        const c = senders[s]!;
        // Each sender's schedule is shifted by its share of one interval, so the senders do not all
        // send in the same tick (a synchronised burst would measure queueing inside the burst).
        const due = Math.floor(elapsed * rate + phase[s]!) + 1;
        let owed = due - sent[s]!;
        if (owed <= 0 || !c.sendable) continue;
        if (c.writableLength > MAX_SEND_BUFFER) {
          stats.blockedTicks++;
          continue;
        }
        if (owed > maxBatch) {
          stats.behind += owed - maxBatch;
          sent[s]! += owed - maxBatch; // give up on what is too late: keep the rate honest
          owed = maxBatch;
        }
        if (buf.length < owed * msgLen) buf = Buffer.allocUnsafe(owed * msgLen * 2);
        let p = 0;
        let seq = sent[s]!;
        for (let k = 0; k < owed; k++) {
          p += prefix.copy(buf, p);
          p = writer.write(buf, p, c.index, seq++, t);
          p += suffix.copy(buf, p);
        }
        sent[s] = seq;
        if (t >= countFromUs) stats.sent += owed;
        // A new buffer (the socket keeps it until written, and ours is reused next tick): over a
        // WebSocket, each message its own masked text frame, the batch in one write.
        c.socket!.write(c.ws ? clientTextFrames(buf, p, msgLen) : Buffer.from(buf.subarray(0, p)));
      }
    };
    this.#sendTimer = setInterval(tick, SEND_TICK_MS);
    tick();
  }

  stop(): void {
    if (this.#beginTimer) clearTimeout(this.#beginTimer);
    this.#beginTimer = null;
    if (this.#sendTimer) clearInterval(this.#sendTimer);
    this.#sendTimer = null;
  }
}
