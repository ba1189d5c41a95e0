import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import net from 'node:net';
import { freePort } from './redis.js';

/** The configuration the README shows, which the tests run as it is. */
export const HAPROXY_CONFIG = fileURLToPath(new URL('../../deploy/haproxy.cfg', import.meta.url));

/** A node's doors as HAProxy's environment names them (`HOST:PORT` each; a door left out stays unused). */
export interface NodeDoors {
  line?: string;
  irc?: string;
  http?: string;
}

/**
 * A real `haproxy` running deploy/haproxy.cfg on free loopback ports, in front of three nodes given by
 * address (the same address twice is fine: two entries for one node). Its own messages (a server going
 * DOWN or UP after its health checks) are kept in `output`, to be waited for; `stop()` ends it by its PID.
 */
export class Haproxy {
  #child: ChildProcess | undefined;
  output = '';
  ports = { line: 0, irc: 0, http: 0 };
  #waiters: Array<() => void> = [];

  /** Whether the machine has `haproxy` (scripts/setup-test-deps.sh installs it). */
  static available(): boolean {
    return spawnSync('haproxy', ['-v'], { stdio: 'ignore' }).status === 0;
  }

  /** Starts it with the three nodes' doors; resolves once it has read the configuration and runs. */
  async start(nodes: [NodeDoors, NodeDoors, NodeDoors]): Promise<void> {
    this.ports = { line: await freePort(), irc: await freePort(), http: await freePort() };
    // A door nobody uses still needs an address: a port that nothing listens on (its server is DOWN).
    const unused = `127.0.0.1:${await freePort()}`;
    const env: Record<string, string> = {
      TOMADA_LB_HOST: '127.0.0.1',
      TOMADA_LB_LINE: String(this.ports.line),
      TOMADA_LB_IRC: String(this.ports.irc),
      TOMADA_LB_HTTP: String(this.ports.http),
    };
    nodes.forEach((n, i) => {
      env[`TOMADA_NODE${i + 1}_LINE`] = n.line ?? unused;
      env[`TOMADA_NODE${i + 1}_IRC`] = n.irc ?? unused;
      env[`TOMADA_NODE${i + 1}_HTTP`] = n.http ?? unused;
    });
    const child = spawn('haproxy', ['-db', '-f', HAPROXY_CONFIG], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    const onData = (d: Buffer) => {
      this.output += d.toString();
      const w = this.#waiters;
      this.#waiters = [];
      for (const f of w) f();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', () => onData(Buffer.alloc(0)));
    // It binds its ports after reading the configuration: listening is the sign that it runs.
    for (let i = 0; !(await accepts(this.ports.line)); i++) {
      if (child.exitCode !== null || i > 200) throw new Error(`haproxy did not start: ${this.output}`);
      await new Promise((r) => setTimeout(r, 50)); // not listening yet: nothing to wait on but the port
    }
  }

  /** Resolves on HAProxy's next words (or its exit), or after `ms`. */
  #next(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      this.#waiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  #exited(): boolean {
    const child = this.#child;
    return !child || child.exitCode !== null || child.signalCode !== null;
  }

  /**
   * Waits until HAProxy's last word on `server` of `backend` (after its health checks) is `state`.
   * A server it has said nothing about yet counts as UP (HAProxy starts with its servers up).
   */
  async waitServer(backend: string, server: string, state: 'UP' | 'DOWN', ms = 15_000): Promise<void> {
    const re = new RegExp(`Server ${backend}/${server} is (UP|DOWN)`, 'g');
    const last = () => [...this.output.matchAll(re)].at(-1)?.[1] ?? 'UP';
    const deadline = Date.now() + ms;
    while (last() !== state) {
      const left = deadline - Date.now();
      if (left <= 0 || this.#exited()) throw new Error(`haproxy: ${backend}/${server} is not ${state}: ${this.output}`);
      await this.#next(left);
    }
  }

  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await gone;
  }
}

/** Whether something accepts a connection on the loopback `port` now. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
