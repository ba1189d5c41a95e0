import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { NodeLease, NETWORK_NODES } from '../../src/cluster/node-lease.js';
import { RedisServer } from './redis.js';

// The lease watcher on its own, with short timings: which changes of another number's lease are a lost node.
const redis = new RedisServer();
const leases: NodeLease[] = [];
before(async () => {
  assert.ok(RedisServer.available(), 'redis-server is missing: run `bash scripts/setup-test-deps.sh` as root');
  await redis.start();
});
after(async () => {
  await Promise.all(leases.map((l) => l.close()));
  await redis.dispose();
});

const FAST = { renewMs: 50, ttlMs: 1_000 };

async function lease(network: string, name: string, extra: Partial<Parameters<typeof NodeLease.acquire>[0]> = {}) {
  const l = await NodeLease.acquire({ url: redis.url, network, name, nodes: NETWORK_NODES, ...FAST, ...extra });
  leases.push(l);
  return l;
}

describe('the node lease watcher', () => {
  it('a number that expired is a lost node; one taken by a new process (a restart) is not: that process’s hello says so', async () => {
    const network = `lease${process.pid}`;
    const b = await lease(network, 'b', { onLost: () => undefined });
    const c = await lease(network, 'c');
    const d = await lease(network, 'd');
    const lost: string[] = [];
    const waiters: Array<{ name: string; resolve: () => void }> = [];
    let looked!: () => void;
    const firstLook = new Promise<void>((resolve) => (looked = resolve));
    await lease(network, 'a', {
      onNodeLost: (_node, name) => {
        lost.push(name);
        for (const w of waiters.filter((w) => w.name === name)) w.resolve();
      },
      onLook: () => looked(),
    });
    const lostOf = (name: string) =>
      lost.includes(name) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ name, resolve }));

    // Once the watcher has looked (b, c and d held), d stops cleanly (its lease deleted): a lost node.
    await firstLook;
    await d.close();
    await lostOf('d');

    // Another process takes b's number (a restart of b under its name), and c stops.
    const r = new Redis(redis.url);
    try {
      await r.set(`tomada:${network}:lease:${b.node}`, 'a-new-process', 'PX', 60_000);
    } finally {
      r.disconnect();
    }
    await c.close();
    // c is reported after two looks without it: by then the watcher has seen b's new holder twice.
    await lostOf('c');
    assert.deepEqual(lost, ['d', 'c'], 'b’s new process is not a lost node (its users would be dropped)');
  });

  it('a node heard of on the bus but gone before any look saw its lease (dead within a second) is lost too', async () => {
    const network = `lease${process.pid}b`;
    // x starts and is gone before the watcher's first look: no look ever sees its lease.
    const x = await lease(network, 'x');
    await x.close();
    const lost: Array<[number, string]> = [];
    let reported!: () => void;
    const wasLost = new Promise<void>((resolve) => (reported = resolve));
    let looks = 0;
    let looked!: () => void;
    const threeLooks = new Promise<void>((resolve) => (looked = resolve));
    const a = await lease(network, 'a', {
      onNodeLost: (node, name) => {
        lost.push([node, name]);
        reported();
      },
      onLook: () => {
        if (++looks === 3) looked();
      },
    });
    await threeLooks;
    assert.deepEqual(lost, [], 'not seen leased, not heard of: nothing to lose');
    // x's hello (or a user of its own) comes off the bus now: its users are in this node's rooms.
    a.heardFrom(x.node);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('x was never reported lost')), 5_000);
    });
    await Promise.race([wasLost, late]).finally(() => clearTimeout(timer));
    assert.deepEqual(lost, [[x.node, 'x']]);
  });
});
