import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { RedisBus, type RedisBusOptions } from '../../src/cluster/redis-bus.js';
import { RedisNicks } from '../../src/cluster/redis-nicks.js';
import { EVENT_VERSION, type HubEvent, type Sink } from '../../src/core/events.js';
import { HubError } from '../../src/core/errors.js';
import { ClusterUnavailableError } from '../../src/errors.js';
import { Hub } from '../../src/core/hub.js';
import { busContract } from '../core/bus-contract.js';
import { nicksContract } from '../core/nicks-contract.js';
import { RedisServer } from './redis.js';

// A real redis-server (scripts/setup-test-deps.sh installs it; `npm test` runs that script first).
const redis = new RedisServer();
const closing: Array<{ close(): Promise<void> }> = [];
let networks = 0;

before(async () => {
  assert.ok(RedisServer.available(), 'redis-server is missing: run `bash scripts/setup-test-deps.sh` as root');
  await redis.start();
});
after(async () => {
  await Promise.all(closing.splice(0).map((c) => c.close()));
  await redis.dispose();
});

/** The buses of `n` nodes of a fresh network on `server`. */
async function buses(n: number, server = redis, extra: Partial<RedisBusOptions> = {}): Promise<RedisBus[]> {
  const network = `t${++networks}`;
  const list = await Promise.all(
    Array.from({ length: n }, (_, node) => RedisBus.connect({ url: server.url, network, node, nodes: n, ...extra })),
  );
  closing.push(...list);
  return list;
}

async function nicks(network: string, node: number): Promise<RedisNicks> {
  const registry = await RedisNicks.connect({ url: redis.url, network, node });
  closing.push(registry);
  return registry;
}

busContract('RedisBus', (n) => buses(n));
nicksContract('RedisNicks', () => nicks(`n${++networks}`, 0));

/** A door that keeps what it is given; `until` resolves when an event it waits for has come. */
class Recorder implements Sink {
  readonly door = 'test';
  readonly events: HubEvent[] = [];
  #waiting: Array<{ test: (e: HubEvent) => boolean; resolve: () => void }> = [];
  deliver(e: HubEvent): void {
    this.events.push(e);
    this.#waiting = this.#waiting.filter((w) => (w.test(e) ? (w.resolve(), false) : true));
  }
  disconnect(): void {}
  texts(): string[] {
    return this.events.flatMap((e) => (e.type === 'message' ? [e.message.text] : []));
  }
  until(test: (e: HubEvent) => boolean, ms = 15_000): Promise<void> {
    if (this.events.some(test)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`not delivered in ${ms} ms; got ${this.texts().join(', ')}`)),
        ms,
      );
      this.#waiting.push({ test, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }
  message(text: string): Promise<void> {
    return this.until((e) => e.type === 'message' && e.message.text === text);
  }
}

/** Two hubs of one network, each with its user in #geral. */
async function twoHubs(server = redis) {
  const [busA, busB] = await buses(2, server);
  const network = `h${++networks}`;
  const a = new Hub({ bus: busA, nicks: await nicks(network, 0) });
  const b = new Hub({ bus: busB, nicks: await nicks(network, 1) });
  const onA = new Recorder();
  const onB = new Recorder();
  const ana = await a.register(onA, { nick: 'ana', host: 'h' });
  const bia = await b.register(onB, { nick: 'bia', host: 'h' });
  b.join(bia, '#geral');
  a.join(ana, '#geral');
  await onB.until((e) => e.type === 'join' && e.user.nick === 'ana');
  return { a, b, onA, onB, ana, bia, busA: busA!, busB: busB! };
}

describe('two hubs on RedisBus and RedisNicks', () => {
  it('a room message on one node reaches the member on the other once, with the same id', async () => {
    const { a, b, onA, onB, ana, bia } = await twoHubs();
    const m = await a.message(ana, '#geral', 'olá do nó a');
    await onB.message('olá do nó a');
    const got = onB.events.find((e) => e.type === 'message');
    assert.equal(got?.type === 'message' && got.message.id, m.id);
    b.message(bia, '#geral', 'oi');
    await onA.message('oi');
    // A's next message comes after any copy of the first in the stream: once B has it, a copy would be in.
    a.message(ana, '#geral', 'fim');
    await onB.message('fim');
    assert.deepEqual(onB.texts(), ['olá do nó a', 'fim']);
    assert.deepEqual(onA.texts(), ['oi']);
  });

  it('the same free nick claimed on both nodes at once (case-folded): exactly one wins', async () => {
    const network = `h${++networks}`;
    const [busA, busB] = await buses(2);
    const a = new Hub({ bus: busA, nicks: await nicks(network, 0) });
    const b = new Hub({ bus: busB, nicks: await nicks(network, 1) });
    for (let round = 0; round < 10; round++) {
      const nick = `caio${round}`;
      const results = await Promise.allSettled([
        a.register(new Recorder(), { nick, host: 'h' }),
        b.register(new Recorder(), { nick: nick.toUpperCase(), host: 'h' }),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      assert.equal(won.length, 1, `round ${round}: ${results.map((r) => r.status).join(', ')}`);
      const lost = results.find((r) => r.status === 'rejected');
      assert.ok(lost?.reason instanceof HubError && lost.reason.reason === 'NICK_IN_USE');
    }
  });

  it('Redis killed and started again on its port: the buses reconnect by themselves and lose nothing', async () => {
    const own = new RedisServer();
    await own.start();
    try {
      const { a, b, onA, onB, ana, bia, busA, busB } = await twoHubs(own);
      a.message(ana, '#geral', 'antes');
      await onB.message('antes');
      await own.stop(); // SIGKILL by PID: nothing saved, the stream is gone
      a.message(ana, '#geral', 'durante'); // waits in A's offline queue
      await own.start();
      a.message(ana, '#geral', 'depois');
      await onB.message('depois');
      assert.deepEqual(onB.texts(), ['antes', 'durante', 'depois']);
      b.message(bia, '#geral', 'de volta');
      await onA.message('de volta');
      assert.deepEqual(onA.texts(), ['de volta']);
      assert.equal(busB.stats.duplicates + busB.stats.gaps + busA.stats.duplicates + busA.stats.gaps, 0);
      assert.ok(busA.connected && busB.connected);
      assert.ok(busB.stats.reconnects >= 1, 'a real fault: the connections were lost');
    } finally {
      await Promise.all(closing.splice(0).map((c) => c.close()));
      await own.dispose();
    }
  });
});

describe('RedisNicks while Redis is away', () => {
  it('refuses a claim with a clear error, and once back claims its users’ names again', async () => {
    const own = new RedisServer();
    await own.start();
    const raw = new Redis(own.url);
    try {
      let seen!: (up: boolean) => void;
      const status = (want: boolean) =>
        new Promise<void>((resolve) => (seen = (up) => void (up === want && resolve())));
      const network = `o${++networks}`;
      const registry = await RedisNicks.connect({ url: own.url, network, node: 0, onStatus: (up) => seen?.(up) });
      closing.push(registry);
      const hub = new Hub({ nicks: registry });
      const ana = await hub.register(new Recorder(), { nick: 'Ana', host: 'h' });
      assert.equal(await raw.get(`tomada:${network}:nick:ana`), `0:${ana.id}`);
      const down = status(false);
      await own.stop(); // SIGKILL: Redis forgets every claim
      await down;
      await assert.rejects(
        hub.register(new Recorder(), { nick: 'bia', host: 'h' }),
        // The registry's ClusterUnavailableError reaches the doors as a rule's refusal they can word.
        (err) => err instanceof HubError && err.reason === 'CLUSTER_UNAVAILABLE' && err.params.nick === 'bia',
      );
      await assert.rejects(registry.claim('bia', ana), ClusterUnavailableError);
      const up = status(true);
      await own.start();
      await up;
      // A claim after the reconnect goes behind the node's claims of its own users, on one connection.
      await hub.register(new Recorder(), { nick: 'bia', host: 'h' });
      assert.equal(await raw.get(`tomada:${network}:nick:ana`), `0:${ana.id}`, 'ana is held again');
      assert.equal(hub.findUser('ANA'), ana);
    } finally {
      raw.disconnect();
      await Promise.all(closing.splice(0).map((c) => c.close()));
      await own.dispose();
    }
  });
});

describe('RedisBus with bad entries in its stream', () => {
  it('drops a re-sent entry, counts a missing one, survives garbage, and goes on delivering', async () => {
    const network = `g${++networks}`;
    const options = { url: redis.url, network, nodes: 2 };
    const bus = await RedisBus.connect({ ...options, node: 1, onError: () => undefined });
    closing.push(bus);
    const got: string[] = [];
    const waiters = new Map<string, () => void>();
    const arrival = (text: string) => new Promise<void>((r) => waiters.set(text, r));
    const um = arrival('um');
    const seis = arrival('seis');
    bus.subscribe((e) => {
      if ('control' in e) return;
      got.push(e.event.type === 'message' ? e.event.message.text : e.event.type);
      waiters.get(got.at(-1)!)?.();
    });
    const raw = new Redis(redis.url);
    try {
      const key = `tomada:${network}:events`;
      const channel = `tomada:${network}:live:1`;
      let prev = '0-0'; // the stream is empty: the first entry follows "0-0"
      const envelope = (seq: number, text: string) =>
        JSON.stringify({
          v: EVENT_VERSION,
          origin: 0,
          scope: { kind: 'room', room: '#geral' },
          event: {
            v: EVENT_VERSION,
            type: 'message',
            time: 1,
            message: { seq, id: String(seq), time: 1, target: '#geral', private: false, from: 'ana', text },
          },
        });
      // As a node writes: the entry into the stream, then sent on node 1's channel as a header (its id,
      // the one before it, publisher and sequence) and its envelopes; or noise in their place.
      const write = async (fields: string[], noise?: string) => {
        const id = (await raw.xadd(key, '*', ...fields))!;
        if (noise !== undefined) await raw.publish(channel, noise);
        else {
          await raw.publish(channel, `${id}\n${prev}\n${fields[1]}\n${fields[3]}`);
          await raw.publish(channel, fields[5]!);
        }
        prev = id;
      };
      const entry = (seq: number, text: string) => ['p', '0.test', 's', String(seq), 'e', envelope(seq, text)];
      await write(entry(1, 'um'));
      await um; // from here on the bus is subscribed and caught up
      await write(entry(1, 'um')); // re-sent after a reconnect
      await write(['p', '0.test', 's', '2', 'e', '{not json']);
      await write(['just', 'noise'], 'just noise');
      await write(entry(5, 'cinco')); // 3 and 4 never came
      await write(entry(6, 'seis'));
      await seis;
      // An entry in the stream whose announcement never came: the next one heard waits for it, and the
      // bus reads it from the stream (a link of the chain missing for 250 ms), then goes on in order.
      const oito = arrival('oito');
      prev = (await raw.xadd(key, '*', ...entry(7, 'sete')))!;
      await write(entry(8, 'oito'));
      await oito;
      assert.deepEqual(got, ['um', 'cinco', 'seis', 'sete', 'oito']);
      assert.deepEqual(
        { duplicates: bus.stats.duplicates, gaps: bus.stats.gaps, malformed: bus.stats.malformed },
        { duplicates: 1, gaps: 2, malformed: 2 },
      );
    } finally {
      raw.disconnect();
    }
  });
});

describe('RedisBus when its subscription is cut', () => {
  it('catches up from the stream what was said meanwhile: nothing lost, nothing twice, in order', async () => {
    const [a, b] = await buses(2);
    const got: string[] = [];
    const waiters = new Map<string, () => void>();
    const arrival = (name: string) => new Promise<void>((r) => waiters.set(name, r));
    b!.subscribe((e) => {
      const name = (e as { control: { name: string } }).control.name;
      got.push(name);
      waiters.get(name)?.();
    });
    a!.subscribe(() => undefined);
    const say = (name: string) => a!.publish({ v: EVENT_VERSION, origin: 0, control: { kind: 'hello', name } });
    const first = arrival('0');
    say('0');
    await first;
    // Redis resets B's subscriber connection (a real reset of its socket); A goes on publishing.
    const raw = new Redis(redis.url);
    try {
      const killed = await raw.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
      assert.ok(Number(killed) >= 1, 'a subscriber was cut');
    } finally {
      raw.disconnect();
    }
    const last = arrival('40');
    for (let k = 1; k <= 40; k++) {
      say(String(k));
      await new Promise((r) => setImmediate(r)); // an entry each
    }
    await last;
    assert.deepEqual(
      got,
      Array.from({ length: 41 }, (_, k) => String(k)),
    );
    assert.ok(b!.stats.reconnects >= 1, 'B reconnected');
    assert.equal(b!.stats.duplicates + b!.stats.gaps + b!.stats.malformed, 0);
  });
});

describe('RedisBus read-back (one order for every node)', () => {
  it('calls a publisher back once when it reads its own entry, at its place among the others’', async () => {
    const [a, b, c] = await buses(3);
    const seenByA: string[] = [];
    const seenByC: string[] = [];
    const word = (e: { origin: number; control?: unknown }) =>
      `${e.origin}:${(e as { control: { name: string } }).control.name}`;
    a!.subscribe((e) => seenByA.push(word(e)));
    b!.subscribe(() => undefined);
    let done!: () => void;
    const all = new Promise<void>((r) => (done = r));
    c!.subscribe((e) => {
      seenByC.push(word(e));
      if (seenByC.length === 6) done();
    });
    // Published at the same moment from A and B, interleaved by Redis as it pleases.
    for (let k = 0; k < 3; k++) {
      a!.publish({ v: EVENT_VERSION, origin: 0, control: { kind: 'hello', name: `a${k}` } }, () =>
        seenByA.push(`0:a${k}`),
      );
      b!.publish({ v: EVENT_VERSION, origin: 1, control: { kind: 'hello', name: `b${k}` } });
    }
    await all;
    const deadline = Date.now() + 5_000;
    while (seenByA.length < 6 && Date.now() < deadline) await new Promise((r) => setImmediate(r));
    assert.deepEqual(seenByA, seenByC);
    assert.equal(a!.stats.received, 3, 'its own entries are not handed to its handler');
  });
});

describe('RedisBus batches', () => {
  it('sends the envelopes of one tick as one stream entry, read back one by one and in order', async () => {
    const [a, b] = await buses(2);
    const got: string[] = [];
    let done!: () => void;
    const all = new Promise<void>((r) => (done = r));
    b!.subscribe((e) => {
      got.push((e as { control: { name: string } }).control.name);
      if (got.length === 4) done();
    });
    a!.subscribe(() => undefined);
    const backs: number[] = [];
    // A line feed inside an envelope's text must not cut it: envelopes are joined by line feeds.
    for (const name of ['um', 'dois\nlinhas', 'três']) {
      a!.publish({ v: EVENT_VERSION, origin: 0, control: { kind: 'hello', name } }, () => backs.push(backs.length));
    }
    await new Promise((r) => setImmediate(r)); // the next tick's publish is another entry
    a!.publish({ v: EVENT_VERSION, origin: 0, control: { kind: 'hello', name: 'quatro' } });
    await all;
    assert.deepEqual(got, ['um', 'dois\nlinhas', 'três', 'quatro']);
    const raw = new Redis(redis.url);
    try {
      const entries = await raw.xrange(`tomada:t${networks}:events`, '-', '+');
      assert.equal(entries.length, 2, 'one entry for the first tick, one for the second');
      assert.deepEqual(entries[0]![1].slice(0, 4), ['p', entries[0]![1][1], 's', '1']);
      assert.equal(entries[1]![1][3], '4', 'the second entry starts at the fourth envelope');
    } finally {
      raw.disconnect();
    }
    const deadline = Date.now() + 5_000;
    while (backs.length < 3 && Date.now() < deadline) await new Promise((r) => setImmediate(r));
    assert.deepEqual(backs, [0, 1, 2], 'each of its own envelopes called back once, in order');
    assert.equal(b!.stats.duplicates + b!.stats.gaps + b!.stats.malformed, 0);
  });
});

describe('RedisBus trimming', () => {
  it('keeps about maxLen events, however many each entry holds (Redis memory does not grow with the batches)', async () => {
    const [a] = await buses(1, redis, { maxLen: 2_000 });
    // 400 ticks of 20 envelopes: 8,000 events in 400 entries; about 2,000 events is about 100 entries.
    for (let tick = 0; tick < 400; tick++) {
      for (let k = 0; k < 20; k++)
        a!.publish({ v: EVENT_VERSION, origin: 0, control: { kind: 'hello', name: `n${k}` } });
      await new Promise((r) => setImmediate(r));
    }
    const raw = new Redis(redis.url);
    try {
      // Wait until the last entry (envelopes 7,981 to 8,000) is in: the XADD that brought it trimmed too.
      const key = `tomada:t${networks}:events`;
      for (let tries = 0; tries < 200; tries++) {
        const last = await raw.xrevrange(key, '+', '-', 'COUNT', 1);
        if (last[0]?.[1][3] === String(399 * 20 + 1)) break;
        await new Promise((r) => setImmediate(r));
      }
      const len = await raw.xlen(key);
      // Trimming with `~` removes whole nodes of 100 entries: about 100, at most a node more.
      assert.ok(len <= 250, `the stream holds ${len} entries`);
    } finally {
      raw.disconnect();
    }
  });
});
