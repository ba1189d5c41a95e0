import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatServer } from '../../src/server/chat-server.js';
import type { ChatConfigInput } from '../../src/server/config.js';
import { RawClient } from '../protocols/irc/client.js';
import { PostgresServer } from '../storage/postgres.js';
import { JsonClient } from '../protocols/web/helpers.js';
import { RedisServer } from './redis.js';
import { TestNodes } from './nodes.js';

// Three nodes on a real Redis: messages sent to one room at the same moment from every node are seen by
// every member, on every node, in one order (the senders' own echoes at their place in it).
const redis = new RedisServer();
const pg = new PostgresServer();
const nodes = new TestNodes(redis);
before(async () => {
  assert.ok(RedisServer.available(), 'redis-server is missing: run `bash scripts/setup-test-deps.sh` as root');
  await Promise.all([redis.start(), pg.start()]);
});
after(async () => {
  await nodes.close();
  await Promise.all([redis.dispose(), pg.dispose()]);
});

const port = (s: ChatServer) => s.address('irc')!.port;
const EACH = 40;

/** The room's messages as a client saw them, `sender:text`, from its PRIVMSG lines. */
function said(c: RawClient): string[] {
  return c.lines
    .map((l) => /^(?:@\S+ )?:([^!]+)!\S+ PRIVMSG #ordem :(.*)$/.exec(l))
    .filter((m) => m !== null)
    .map((m) => `${m[1]}:${m[2]}`);
}

async function until(c: RawClient, n: number): Promise<string[]> {
  const deadline = Date.now() + 15_000;
  while (said(c).length < n) {
    if (Date.now() > deadline) throw new Error(`${said(c).length} of ${n} messages:\n${c.lines.join('\n')}`);
    await c.expect(/PRIVMSG #ordem /, 15_000);
  }
  return said(c);
}

async function scenario(store: ChatConfigInput): Promise<void> {
  const network = nodes.network();
  // No history replayed on joining: with PostgreSQL it is read after the 366, and could hold the burst.
  const extra = { history: 0, ...store };
  const servers = [
    await nodes.start(network, { nodeName: 'a', ...extra }),
    await nodes.start(network, { nodeName: 'b', ...extra }),
    await nodes.start(network, { nodeName: 'c', http: { host: '127.0.0.1', port: 0 }, ...extra }),
  ];
  // On each node a sender with echo-message (s1 with labeled-response too) and a listener without it.
  const senders: RawClient[] = [];
  const listeners: RawClient[] = [];
  for (const [i, s] of servers.entries()) {
    const labeled = i === 1 ? ['labeled-response', 'batch'] : [];
    senders.push(await RawClient.register(port(s), `s${i}`, ['echo-message', 'message-tags', ...labeled]));
    listeners.push(await RawClient.register(port(s), `l${i}`));
  }
  const all = [...senders, ...listeners];
  for (const c of all) {
    c.send('JOIN #ordem');
    await c.expect(/ 366 \S+ #ordem /);
  }
  // And a web sender on node C, whose own messages come back with their `ref`.
  const web = await JsonClient.chat(`ws://127.0.0.1:${servers[2]!.address('http')!.port}`, 'w', '#ordem');
  // Everyone knows everyone before the burst: each sees the last joiner.
  for (const c of all) await c.expect(/^:w!\S+ JOIN #ordem$/);

  // The three bursts leave at the same moment.
  const burst = (i: number) => Array.from({ length: EACH }, (_, k) => `PRIVMSG #ordem :m${i}-${k}`);
  const label = (i: number, l: string, k: number) => (i === 1 ? `@label=L${k} ${l}` : l);
  for (const [i, c] of senders.entries())
    c.socket.write(
      burst(i)
        .map((l, k) => label(i, l, k))
        .join('\r\n') + '\r\n',
    );

  for (let k = 0; k < EACH; k++) web.send({ type: 'message', target: '#ordem', text: `w-${k}`, ref: `r${k}` });

  const total = EACH * (senders.length + 1);
  const order = await until(senders[0]!, total);
  for (const [i, c] of senders.entries()) {
    assert.deepEqual(await until(c, total), order, `s${i} sees another order`);
  }
  // Each sender's messages keep the order it sent them in.
  for (const i of [0, 1, 2]) {
    const own = order.filter((m) => m.startsWith(`s${i}:`));
    assert.deepEqual(
      own,
      burst(i).map((l) => `s${i}:${l.slice('PRIVMSG #ordem :'.length)}`),
    );
  }
  for (const [i, c] of listeners.entries()) {
    assert.deepEqual(await until(c, total), order, `l${i} sees another order`);
  }
  // The web sender: the same order, each of its own once, with its ref.
  const seen: string[] = [];
  while (seen.length < total) {
    const m = await web.next((j) => j.type === 'message', 15_000);
    const msg = m.message as { from: string; text: string };
    if (msg.from === 'w') assert.equal(m.ref, `r${msg.text.slice(2)}`);
    seen.push(`${msg.from}:${msg.text}`);
  }
  assert.deepEqual(seen, order, 'the web client sees another order');
  await web.close();
  for (const c of all) c.close();
}

describe('one order on every node', () => {
  it('simultaneous messages from three nodes are seen in the same order by every member (history in memory)', async () => {
    await scenario({});
  });

  it('the same with the history in PostgreSQL (committed, then ordered by the stream)', async () => {
    await scenario({ store: await pg.createDatabase() });
  });
});
