import dgram from 'node:dgram';
import net from 'node:net';
import { NoReplyError } from '../errors.js';
import { respondUdp, type EchoSpec } from './service.js';

/** Why the UDP server did not answer a datagram. */
export type UdpDropReason = 'privilegedPort' | 'rate';

export interface UdpServerOptions {
  host: string;
  port: number;
  spec: EchoSpec;
  /** Answers per source address per second (a token bucket with this capacity). */
  rate: number;
  onDatagram?(peer: string, data: Buffer): void;
  onDrop?(peer: string, reason: UdpDropReason): void;
  /** Injectable clock (ms), for tests of the rate limit. */
  now?: () => number;
}

export interface UdpServer {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Source ports below 1024 belong to system services (echo, chargen, DNS…): a datagram "from" one of them
 * is either a spoofed reflection attempt or another server's answer, and answering could start a loop.
 */
export function isPrivilegedSourcePort(port: number): boolean {
  return port < 1024;
}

/** `udp6` for IPv6 literals, else `udp4` (so `localhost` is 127.0.0.1, as the Python programs use). */
export function udpType(host: string): 'udp4' | 'udp6' {
  return net.isIPv6(host) ? 'udp6' : 'udp4';
}

/**
 * Per-source token buckets: each address may get `rate` answers per second (bursts up to `rate`).
 * Idle buckets are forgotten so memory stays bounded.
 */
export class SourceRateLimiter {
  #buckets = new Map<string, { tokens: number; at: number }>();
  constructor(
    readonly rate: number,
    readonly now: () => number = Date.now,
  ) {}

  /** Takes one token for `source`; false when it has none left. */
  take(source: string): boolean {
    const now = this.now();
    if (this.#buckets.size > 10_000) this.#sweep(now);
    const b = this.#buckets.get(source) ?? { tokens: this.rate, at: now };
    b.tokens = Math.min(this.rate, b.tokens + ((now - b.at) / 1000) * this.rate);
    b.at = now;
    this.#buckets.set(source, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  #sweep(now: number): void {
    for (const [k, b] of this.#buckets) if (now - b.at > 2000) this.#buckets.delete(k);
  }
}

/**
 * The UDP echo server (chapter 4's datagram sockets): binds and answers each datagram. It guards against
 * being used to attack others with spoofed sources: it never answers a source port below 1024 (system
 * services such as another echo or chargen server, which would loop), never sends more bytes than it
 * received (no amplification; see {@link respondUdp}), and answers each source address at most `rate`
 * times per second.
 */
export async function startUdpServer(options: UdpServerOptions): Promise<UdpServer> {
  const socket = dgram.createSocket({ type: udpType(options.host) });
  const limiter = new SourceRateLimiter(options.rate, options.now);
  socket.on('message', (msg, rinfo) => {
    const peer = rinfo.family === 'IPv6' ? `[${rinfo.address}]:${rinfo.port}` : `${rinfo.address}:${rinfo.port}`;
    options.onDatagram?.(peer, msg);
    if (isPrivilegedSourcePort(rinfo.port)) return options.onDrop?.(peer, 'privilegedPort');
    if (!limiter.take(rinfo.address)) return options.onDrop?.(peer, 'rate');
    socket.send(respondUdp(options.spec, msg), rinfo.port, rinfo.address, () => undefined);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(options.port, options.host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  // After binding, errors (e.g. ICMP-reported failures) must never crash the server.
  socket.on('error', () => undefined);
  let closing: Promise<void> | undefined;
  return {
    host: options.host,
    port: socket.address().port,
    close: () => (closing ??= new Promise<void>((resolve) => socket.close(() => resolve()))),
  };
}

/**
 * A UDP client socket that is never bound explicitly: the system picks its port on the first send
 * (the tutorial's note: only a receiver needs bind()).
 */
export class UdpClient {
  readonly socket: dgram.Socket;
  #inbox: Buffer[] = [];
  #wake: (() => void) | undefined;
  #error: Error | undefined;

  constructor(
    readonly host: string,
    readonly port: number,
  ) {
    this.socket = dgram.createSocket({ type: udpType(host) });
    this.socket.on('message', (msg, rinfo) => {
      if (rinfo.port !== port) return; // not from the server we asked
      this.#inbox.push(msg);
      this.#wake?.();
    });
    this.socket.on('error', (err) => {
      this.#error = err;
      this.#wake?.();
    });
  }

  /** Sends one datagram and waits for one answer; {@link NoReplyError} when none comes in `timeoutMs`. */
  async request(data: Buffer, timeoutMs: number): Promise<Buffer> {
    this.#inbox = [];
    await new Promise<void>((resolve, reject) =>
      this.socket.send(data, this.port, this.host, (err) => (err ? reject(err) : resolve())),
    );
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.#error) throw this.#error;
      const msg = this.#inbox.shift();
      if (msg) return msg;
      const left = deadline - Date.now();
      if (left <= 0) throw new NoReplyError(timeoutMs, this.host, this.port);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = undefined;
    }
  }

  close(): void {
    try {
      this.socket.close();
    } catch {
      // already closed
    }
  }
}
