/**
 * CPU time and memory of another process, from Linux's /proc (Linux only: elsewhere these return
 * undefined and the report leaves the columns empty).
 */
import { readdirSync, readFileSync } from 'node:fs';

const CLK_TCK = 100; // USER_HZ: 100 on every Linux architecture Node supports

/**
 * Whether the kernel keeps each thread's time on CPU in nanoseconds (`/proc/PID/task/TID/schedstat`):
 * decided once, so every reading of a run uses the same clock.
 */
const SCHEDSTAT = (() => {
  try {
    readFileSync(`/proc/${process.pid}/task/${process.pid}/schedstat`, 'latin1');
    return true;
  } catch {
    return false;
  }
})();

/**
 * The CPU time of `pid` (every thread), in seconds, or undefined when /proc cannot tell. From the
 * threads' `schedstat` (nanoseconds) where there is one: `stat`'s utime + stime come in clock ticks of
 * 10 ms, and a process that works in short bursts (Redis: 0.1 s in a 5-s run) would read to ±10 %.
 * A thread that ends during a run takes its time with it; the servers measured here keep theirs.
 */
export function processCpuSeconds(pid: number): number | undefined {
  if (SCHEDSTAT) return threadsCpuSeconds(pid);
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // Field 2 (comm) may hold spaces and parentheses: count fields after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // rest[0] is field 3 (state); utime is field 14, stime field 15.
    const utime = Number(rest[11]);
    const stime = Number(rest[12]);
    if (!Number.isFinite(utime) || !Number.isFinite(stime)) return undefined;
    return (utime + stime) / CLK_TCK;
  } catch {
    return undefined;
  }
}

/** The threads' time on CPU, summed (see processCpuSeconds). */
function threadsCpuSeconds(pid: number): number | undefined {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return undefined;
  }
  let ns = 0;
  for (const tid of tasks) {
    try {
      const line = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'latin1');
      ns += Number(line.slice(0, line.indexOf(' ')));
    } catch {
      // the thread ended between the listing and the reading
    }
  }
  return ns / 1e9;
}

/**
 * The CPU seconds of `pid` and of every process below it (PostgreSQL's backends are children of its
 * postmaster, forked as connections come): those that exist now. Undefined when /proc cannot tell.
 */
export function processTreeCpuSeconds(pid: number): number | undefined {
  const own = processCpuSeconds(pid);
  if (own === undefined) return undefined;
  let total = own;
  for (const child of childrenOf(pid)) total += processTreeCpuSeconds(child) ?? 0;
  return total;
}

function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, 'latin1')
        .split(' ')
        .filter((x) => x !== '')
        .map(Number),
    );
  } catch {
    return [];
  }
}

export interface MemoryKiB {
  /** Resident set now (VmRSS). */
  rss: number;
  /** Peak resident set since the process started (VmHWM). */
  peak: number;
}

/** Resident memory of `pid` in KiB, or undefined when /proc cannot tell. */
export function processMemory(pid: number): MemoryKiB | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'latin1');
    const rss = /^VmRSS:\s+(\d+) kB/m.exec(status);
    const hwm = /^VmHWM:\s+(\d+) kB/m.exec(status);
    if (!rss || !hwm) return undefined;
    return { rss: Number(rss[1]), peak: Number(hwm[1]) };
  } catch {
    return undefined;
  }
}

/** Whether `pid` names a live process. */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
