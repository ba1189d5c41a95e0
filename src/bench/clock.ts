/**
 * One clock for every bench process: microseconds on the system's monotonic clock (CLOCK_MONOTONIC,
 * shared by all processes of the machine), read through `performance.now()` so a reading costs no
 * allocation. Send times written by one process are compared with receive times in another.
 */
import { performance } from 'node:perf_hooks';

const offsetUs = Number(process.hrtime.bigint() / 1000n) - performance.now() * 1000;

/** Now, in µs on the monotonic clock. */
export function nowUs(): number {
  return offsetUs + performance.now() * 1000;
}
