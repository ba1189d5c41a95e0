/**
 * A latency histogram in microseconds with bounded relative error (log-linear buckets, like HdrHistogram
 * with 2 significant digits): values below 128 µs are exact, above that each power of two is split into
 * 64 buckets (error under 1.6 %). Fixed memory, O(1) record, mergeable across processes.
 */

const SUB_BITS = 6;
const SUB = 1 << SUB_BITS; // 64 buckets per power of two
const LINEAR = SUB * 2; // 0..127 exact
const MAX_POW = 40; // ~12.7 days in µs: more than any bench runs

function bucketOf(v: number): number {
  if (v < LINEAR) return v < 0 ? 0 : Math.floor(v);
  if (v < 2 ** 31) {
    // The hot path (once per delivery): integer bit tricks instead of log2 and divisions.
    const x = v >>> 0;
    const pow = 31 - Math.clz32(x); // >= 7
    return LINEAR + (pow - SUB_BITS - 1) * SUB + ((x >>> (pow - SUB_BITS)) - SUB);
  }
  const pow = Math.floor(Math.log2(v));
  const sub = Math.floor(v / 2 ** (pow - SUB_BITS)) - SUB; // 0..63
  return LINEAR + (pow - SUB_BITS - 1) * SUB + sub;
}

/** The largest value a bucket holds (what percentiles report: never under-states). */
function bucketTop(b: number): number {
  if (b < LINEAR) return b;
  const k = b - LINEAR;
  const pow = Math.floor(k / SUB) + SUB_BITS + 1;
  const sub = k % SUB;
  const unit = 2 ** (pow - SUB_BITS);
  return (SUB + sub + 1) * unit - 1;
}

export const HISTOGRAM_BUCKETS = LINEAR + (MAX_POW - SUB_BITS) * SUB;

export class Histogram {
  readonly counts: Float64Array;
  count = 0;
  max = 0;
  sum = 0;

  constructor(counts?: ArrayLike<number>) {
    this.counts = new Float64Array(HISTOGRAM_BUCKETS);
    if (counts) {
      for (let i = 0; i < this.counts.length && i < counts.length; i++) {
        const c = counts[i] ?? 0;
        this.counts[i] = c;
        this.count += c;
      }
    }
  }

  record(us: number): void {
    let b = bucketOf(us);
    if (b >= HISTOGRAM_BUCKETS) b = HISTOGRAM_BUCKETS - 1;
    this.counts[b]! += 1;
    this.count++;
    this.sum += us;
    if (us > this.max) this.max = us;
  }

  merge(other: Histogram): void {
    for (let i = 0; i < this.counts.length; i++) this.counts[i]! += other.counts[i] ?? 0;
    this.count += other.count;
    this.sum += other.sum;
    if (other.max > this.max) this.max = other.max;
  }

  /** The value at percentile `p` (0–100): the smallest bucket top with at least p % of values at or below. */
  percentile(p: number): number {
    if (this.count === 0) return 0;
    const rank = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(bucketTop(i), this.max);
    }
    return this.max;
  }

  /** Sparse form for JSON / IPC: `[bucket, count]` pairs. */
  toJSON(): { buckets: Array<[number, number]>; count: number; max: number; sum: number } {
    const buckets: Array<[number, number]> = [];
    for (let i = 0; i < this.counts.length; i++) if (this.counts[i]! > 0) buckets.push([i, this.counts[i]!]);
    return { buckets, count: this.count, max: this.max, sum: this.sum };
  }

  static fromJSON(j: { buckets: Array<[number, number]>; count: number; max: number; sum: number }): Histogram {
    const h = new Histogram();
    for (const [b, c] of j.buckets) h.counts[b] = c;
    h.count = j.count;
    h.max = j.max;
    h.sum = j.sum;
    return h;
  }
}
