/**
 * A token bucket: `burst` tokens, refilled at `rate` per second. Pure: the caller passes the time.
 * Doors use it for flood control (excess lines are delayed, a sustained flood disconnects).
 */
export class TokenBucket {
  #tokens: number;
  #last: number;

  constructor(
    readonly rate: number,
    readonly burst: number,
    now: number,
  ) {
    this.#tokens = burst;
    this.#last = now;
  }

  #refill(now: number): void {
    if (now > this.#last) {
      this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#last) / 1000) * this.rate);
      this.#last = now;
    }
  }

  /** Takes one token if there is one. */
  take(now: number): boolean {
    this.#refill(now);
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return true;
    }
    return false;
  }

  /** Milliseconds until a token is available (0 when one is). */
  waitMs(now: number): number {
    this.#refill(now);
    return this.#tokens >= 1 ? 0 : Math.ceil(((1 - this.#tokens) / this.rate) * 1000);
  }

  get tokens(): number {
    return this.#tokens;
  }
}

/** Counts connections in total and per address, shared by every door. */
export class ConnectionGate {
  readonly #perIp = new Map<string, number>();
  #total = 0;
  #refused = 0;
  #loggedAt = -Infinity;

  constructor(
    readonly maxTotal: number,
    readonly maxPerIp: number,
    /** Refusals are logged at most once per this many ms, so a flood cannot flood the log too. */
    readonly refusalLogMs = 10_000,
  ) {}

  /** Counts a refusal; returns how many to log now (since the last line), or undefined to stay quiet. */
  noteRefusal(now: number): number | undefined {
    this.#refused++;
    if (now - this.#loggedAt < this.refusalLogMs) return undefined;
    const n = this.#refused;
    this.#refused = 0;
    this.#loggedAt = now;
    return n;
  }

  /** Takes a slot for `ip`, or says which limit is reached. */
  acquire(ip: string): 'ok' | 'total' | 'perIp' {
    if (this.#total >= this.maxTotal) return 'total';
    const n = this.#perIp.get(ip) ?? 0;
    if (n >= this.maxPerIp) return 'perIp';
    this.#perIp.set(ip, n + 1);
    this.#total++;
    return 'ok';
  }

  release(ip: string): void {
    const n = this.#perIp.get(ip);
    if (n === undefined) return;
    if (n <= 1) this.#perIp.delete(ip);
    else this.#perIp.set(ip, n - 1);
    this.#total--;
  }

  get total(): number {
    return this.#total;
  }
}
