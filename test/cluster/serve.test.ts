import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import type { ChatConfigInput } from '../../src/server/config.js';
import { hostname } from 'node:os';
import { NETWORK_NODES } from '../../src/cluster/node-lease.js';
import { runCli, serveArgs } from '../helpers/cli.js';
import { RawClient } from '../protocols/irc/client.js';
import { freePort, RedisServer } from './redis.js';
import { TestNodes } from './nodes.js';

// `--cluster` wired into the server: a node number per name, held by a lease, the bus and the names on it.
const redis = new RedisServer();
let networks = 0;

before(async () => {
  assert.ok(RedisServer.available(), 'redis-server is missing: run `bash scripts/setup-test-deps.sh` as root');
  await redis.start();
});
after(async () => {
  await nodes.close();
  await redis.dispose();
});

const nodes = new TestNodes(redis);
const node = (network: string, extra: ChatConfigInput = {}, log: string[] = []) => nodes.start(network, extra, log);

describe('tomada chat serve --cluster', () => {
  it('two nodes get two node numbers; the log names the URL, the node and its number', async () => {
    const network = `s${++networks}`;
    const logA: string[] = [];
    const a = await node(network, { nodeName: 'alpha' }, logA);
    const b = await node(network, { nodeName: 'beta' });
    assert.notEqual(a.hub.bus.node, b.hub.bus.node);
    assert.equal(a.hub.bus.nodes, NETWORK_NODES);
    assert.match(
      logA.join(''),
      new RegExp(
        `node alpha \\(number ${a.hub.bus.node}\\) in the network ${network} through Redis at redis://127\\.0\\.0\\.1:${redis.port}`,
      ),
    );
    // The number is the name's: in Redis, under the network's keys.
    const r = new Redis(redis.url);
    try {
      assert.equal(await r.hget(`tomada:${network}:nodes`, String(a.hub.bus.node)), 'alpha');
      assert.ok(await r.get(`tomada:${network}:lease:${a.hub.bus.node}`));
    } finally {
      r.disconnect();
    }
  });

  it('without --node-name, the node is named after the host and its first door’s port', async () => {
    const network = `s${++networks}`;
    const log: string[] = [];
    const port = await freePort();
    const a = await node(network, { irc: { host: '127.0.0.1', port } }, log);
    const name = `${hostname().replace(/[^\w.:-]/g, '-')}:${port}`;
    assert.ok(log.join('').includes(`node ${name} (number ${a.hub.bus.node})`), log.join(''));
  });

  it('a name held by a live node is refused; once that node stops, the name gets its number back', async () => {
    const network = `s${++networks}`;
    const a = await node(network, { nodeName: 'alpha' });
    const number = a.hub.bus.node;
    await assert.rejects(node(network, { nodeName: 'alpha' }), (err: Error & { key?: string }) => {
      assert.equal(err.key, 'cluster.nameInUse');
      return true;
    });
    await a.close();
    const again = await node(network, { nodeName: 'alpha' });
    assert.equal(again.hub.bus.node, number);
  });

  it('a nickname is one across the nodes, and message ids are the node’s (≡ node mod the network size)', async () => {
    const network = `s${++networks}`;
    const a = await node(network, { nodeName: 'alpha' });
    const b = await node(network, { nodeName: 'beta' });
    const ana = await RawClient.register(a.address('irc')!.port, 'ana', ['message-tags']);
    const c = new RawClient(b.address('irc')!.port);
    await c.ready;
    c.send('NICK ANA', 'USER x 0 * :x');
    await c.expect(/ 433 \S+ ANA :Nickname is already in use/);
    c.close();
    const bia = await RawClient.register(b.address('irc')!.port, 'bia', ['message-tags']);
    ana.send('JOIN #sala');
    bia.send('JOIN #sala');
    await ana.expect(/ 366 ana #sala /);
    await bia.expect(/ 366 bia #sala /);
    ana.send('PRIVMSG #sala :oi');
    const got = await bia.expect(/PRIVMSG #sala :oi$/);
    const id = Number(/msgid=(\d+)/.exec(got)![1]);
    assert.equal(id % NETWORK_NODES, a.hub.bus.node);
    ana.close();
    bia.close();
  });
});

describe('tomada chat serve --cluster refuses what cannot work, in one line', () => {
  it('Redis unreachable at start: one line with the URL without its password, exit 1', async () => {
    const port = await freePort();
    const r = await runCli(serveArgs({ line: true }, '--cluster', `redis://:s3cret@127.0.0.1:${port}/2`));
    assert.equal(r.code, 1, r.stderr + r.stdout);
    assert.match(
      r.stderr,
      new RegExp(
        `^tomada: error: cannot reach the cluster’s Redis redis://127\\.0\\.0\\.1:${port}/2: .*ECONNREFUSED.*\\n$`,
      ),
    );
    assert.doesNotMatch(r.stdout + r.stderr, /s3cret/);
  });

  it('a URL that is not Redis’, and a bad node name: exit 2', async () => {
    const base = ['chat', 'serve', '--line', '127.0.0.1:0', '--irc', 'off', '--http', 'off', '--data-dir', ':memory:'];
    const url = await runCli([...base, '--cluster', 'http://:pw@x:1']);
    assert.equal(url.code, 2, url.stderr);
    assert.match(url.stderr, /cluster: not a Redis URL: http:\/\/x:1\//);
    assert.doesNotMatch(url.stderr, /pw/);
    const name = await runCli([...base, '--cluster', 'redis://x:1', '--node-name', 'a b']);
    assert.equal(name.code, 2, name.stderr);
    assert.match(name.stderr, /nodeName: invalid node name a b/);
  });

  it('--help says it, in English and in Portuguese', async () => {
    const en = await runCli(['chat', 'serve', '--help']);
    assert.match(en.stdout, /--cluster <url> +join a network of nodes through Redis/);
    assert.match(en.stdout, /--node-name <name>/);
    const pt = await runCli(['--lang', 'pt-BR', 'chat', 'serve', '--help']);
    assert.match(pt.stdout, /--cluster <url> +entrar numa rede de nós pelo Redis/);
  });
});
