/**
 * `tomada bench echo` as a library: C connections in a closed loop (send a request, wait for the whole
 * answer, send the next), for TCP or UDP. The request is `size` bytes ending in a line feed, so line
 * echo servers answer too; the first answer on each connection sets how long an answer is (a server
 * may add a prefix such as the tutorial's `Echo: `).
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { Histogram } from './histogram.js';
import { processCpuSeconds, processMemory } from './procstat.js';

export interface EchoBenchOptions {
  proto: 'tcp' | 'udp';
  host: string;
  port: number;
  connections: number;
  size: number;
  durationSec: number;
  /** UDP: how long to wait for an answer before counting the datagram lost. */
  timeoutMs: number;
  serverPid?: number;
}

export interface EchoReport {
  kind: 'echo';
  proto: 'tcp' | 'udp';
  target: string;
  connections: number;
  size: number;
  seconds: number;
  requests: number;
  lost: number;
  requestsPerSec: number;
  latencyUs: { p50: number; p99: number; max: number; mean: number };
  generator: { elu: number; saturated: boolean };
  server?: { pid: number; cpuSeconds?: number; cpuPerMillion?: number; peakRssKiB?: number };
}

export interface EchoProgress {
  requests: number;
  elapsedSec: number;
}

/** How long after the end a connection may wait for its last answer before it is cut. */
const CLOSE_GRACE_MS = 2000;

function request(size: number): Buffer {
  const b = Buffer.alloc(size, 0x78); // 'x'
  b[size - 1] = 0x0a;
  return b;
}

async function tcpLoop(o: EchoBenchOptions, h: Histogram, until: () => boolean, count: () => void): Promise<void> {
  const req = request(o.size);
  const socket = net.connect({ host: o.host, port: o.port, noDelay: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  await new Promise<void>((resolve) => {
    let answerLen = -1; // unknown until the first answer's line feed
    let got = 0;
    let sentAt = 0;
    const fire = () => {
      if (until()) {
        socket.end();
        return;
      }
      got = 0;
      sentAt = performance.now();
      socket.write(req);
    };
    socket.on('data', (d: Buffer) => {
      if (answerLen < 0) {
        const nl = d.indexOf(0x0a);
        if (nl === -1) {
          got += d.length;
          return;
        }
        answerLen = got + nl + 1;
        got += d.length;
      } else got += d.length;
      while (got >= answerLen) {
        h.record((performance.now() - sentAt) * 1000);
        count();
        got -= answerLen;
        if (got === 0) fire();
        else break; // the server sent more than one answer: resync on the next request
      }
    });
    // Hard cap: a server that stops answering must not keep the bench waiting.
    const cap = setTimeout(() => socket.destroy(), Math.max(0, o.durationSec * 1000 + CLOSE_GRACE_MS));
    const done = () => {
      clearTimeout(cap);
      resolve();
    };
    socket.on('error', done);
    socket.on('close', done);
    fire();
  });
}

async function udpLoop(
  o: EchoBenchOptions,
  h: Histogram,
  until: () => boolean,
  count: () => void,
  lose: () => void,
): Promise<void> {
  const req = request(o.size);
  const socket = dgram.createSocket(net.isIPv6(o.host) ? 'udp6' : 'udp4');
  await new Promise<void>((resolve) => {
    let sentAt = 0;
    let timer: NodeJS.Timeout | null = null;
    const fire = () => {
      if (timer) clearTimeout(timer);
      if (until()) {
        socket.close();
        resolve();
        return;
      }
      sentAt = performance.now();
      socket.send(req, o.port, o.host);
      timer = setTimeout(() => {
        lose();
        fire();
      }, o.timeoutMs);
    };
    socket.on('message', () => {
      h.record((performance.now() - sentAt) * 1000);
      count();
      fire();
    });
    socket.on('error', () => {
      if (timer) clearTimeout(timer);
      resolve();
    });
    fire();
  });
}

export async function runEchoBench(o: EchoBenchOptions, onProgress?: (p: EchoProgress) => void): Promise<EchoReport> {
  const h = new Histogram();
  let requests = 0;
  let lost = 0;
  // A first TCP connection that fails must be an error the user sees (ECONNREFUSED, …).
  if (o.proto === 'tcp') {
    await new Promise<void>((resolve, reject) => {
      const s = net.connect({ host: o.host, port: o.port }, () => {
        s.destroy();
        resolve();
      });
      s.once('error', reject);
    });
  }
  const cpu0 = o.serverPid !== undefined ? processCpuSeconds(o.serverPid) : undefined;
  const t0 = performance.now();
  const elu0 = performance.eventLoopUtilization();
  const endAt = t0 + o.durationSec * 1000;
  const until = () => performance.now() >= endAt;
  const count = () => requests++;
  const progress = setInterval(() => onProgress?.({ requests, elapsedSec: (performance.now() - t0) / 1000 }), 100);
  try {
    const loops = Array.from({ length: o.connections }, () =>
      o.proto === 'tcp'
        ? tcpLoop(o, h, until, count)
        : udpLoop(o, h, until, count, () => {
            lost++;
          }),
    );
    await Promise.all(loops);
  } finally {
    clearInterval(progress);
  }
  const seconds = (performance.now() - t0) / 1000;
  const elu = performance.eventLoopUtilization(elu0).utilization;
  const report: EchoReport = {
    kind: 'echo',
    proto: o.proto,
    target: `${o.host}:${o.port}`,
    connections: o.connections,
    size: o.size,
    seconds,
    requests,
    lost,
    requestsPerSec: requests / Math.min(seconds, o.durationSec),
    latencyUs: { p50: h.percentile(50), p99: h.percentile(99), max: h.max, mean: h.count ? h.sum / h.count : 0 },
    generator: { elu, saturated: elu >= 0.9 },
  };
  if (o.serverPid !== undefined) {
    const cpu1 = processCpuSeconds(o.serverPid);
    const cpuSeconds = cpu0 !== undefined && cpu1 !== undefined ? cpu1 - cpu0 : undefined;
    report.server = {
      pid: o.serverPid,
      cpuSeconds,
      cpuPerMillion: cpuSeconds !== undefined && requests > 0 ? cpuSeconds / (requests / 1e6) : undefined,
      peakRssKiB: processMemory(o.serverPid)?.peak,
    };
  }
  return report;
}
