import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CliProcess, ensureStopped } from '../helpers/cli.js';
import { lineUser, type WireClient } from '../helpers/wire.js';
import { freePort, RedisServer } from '../cluster/redis.js';
import { TestNodes } from '../cluster/nodes.js';
import { Haproxy } from '../cluster/haproxy.js';
import { PostgresServer } from '../storage/postgres.js';
import { numbered, shownNumbers, upTo } from '../helpers/failover.js';

// A node dies behind HAProxy (kill -9): the terminal client that was on it comes back through HAProxy to
// a node that lives, by itself, and shows the room's messages once each, none missing.
const redis = new RedisServer();
const pg = new PostgresServer();
const nodes = new TestNodes(redis);
const haproxy = new Haproxy();
const procs: CliProcess[] = [];
const clients: WireClient[] = [];
before(async () => {
  assert.ok(RedisServer.available(), 'redis-server is missing: run `bash scripts/setup-test-deps.sh` as root');
  assert.ok(PostgresServer.available(), 'PostgreSQL is missing: run `bash scripts/setup-test-deps.sh` as root');
  assert.ok(Haproxy.available(), 'haproxy is missing: run `bash scripts/setup-test-deps.sh`');
  await Promise.all([redis.start(), pg.start()]);
});
after(async () => {
  for (const c of clients) c.close();
  for (const p of procs) await ensureStopped(p);
  await haproxy.stop();
  await nodes.close();
  await Promise.all([redis.dispose(), pg.dispose()]);
});

const local = (port: number) => `127.0.0.1:${port}`;
/** More than the line door's page of history (200) and the client's memory of lines shown (1000). */
const BURST = 1100;

describe('a node killed behind HAProxy: the terminal client (--reconnect)', () => {
  it('comes back through HAProxy to a live node and shows 1..N once each', async () => {
    const store = await pg.createDatabase();
    const network = nodes.network();
    // The node that dies: a process of its own, the only one HAProxy finds up when ana comes.
    const doomed = new CliProcess([
      'chat',
      'serve',
      '--line',
      '127.0.0.1:0',
      '--irc',
      'off',
      '--http',
      'off',
      '--data-dir',
      ':memory:',
      '--network',
      network,
      '--cluster',
      redis.url,
      '--store',
      store,
      '--node-name',
      'doomed',
    ]);
    procs.push(doomed);
    const doomedLine = Number((await doomed.waitFor(/line door listening on [\d.]+:(\d+)/, 'stdout', 60_000))[1]);
    const survivorLine = await freePort();
    await haproxy.start([{ line: local(doomedLine) }, { line: local(survivorLine) }, { line: local(survivorLine) }]);
    await haproxy.waitServer('line_nodes', 'node2', 'DOWN');
    await haproxy.waitServer('line_nodes', 'node3', 'DOWN');

    const ana = new CliProcess(['chat', 'connect', local(haproxy.ports.line), '--nick', 'ana', '--reconnect']);
    procs.push(ana);
    await ana.waitFor(/^\* You are in #geral/m);

    // The node that lives, on the address HAProxy has for its two other servers.
    await nodes.start(network, {
      nodeName: 'survivor',
      line: { host: '127.0.0.1', port: survivorLine },
      store,
      limits: { floodRate: 5000, floodBurst: 5000, floodQueue: 5000 },
    });
    await haproxy.waitServer('line_nodes', 'node2', 'UP');
    const bia = await lineUser(survivorLine, 'bia');
    clients.push(bia);
    await ana.waitFor(/^bia entrou no chat!$/m);

    // bia says numbered messages: a burst first (more than one page of history since ana came in), then
    // one every 25 ms all along: before, while ana is away, after.
    const said = numbered((text) => bia.send(`${text}\n`), 25, BURST);
    try {
      await ana.waitFor(new RegExp(`^bia: mensagem ${BURST + 10}$`, 'm'), 'stdout', 10_000);
      doomed.child.kill('SIGKILL');
      await ana.waitFor(/connection to .* lost/);
      // Back in through HAProxy (once the network has freed her name), on the node that lives.
      await ana.waitFor(/Conectado ao servidor![^]*Conectado ao servidor!/, 'stdout', 20_000);
      await bia.waitFor(/ana entrou no chat!\n/);
      const back = said.count;
      await ana.waitFor(new RegExp(`^(\\[[\\d-]+ [\\d:]+\\] )?bia: mensagem ${back + 10}$`, 'm'), 'stdout', 10_000);
    } finally {
      said.stop();
    }
    const last = said.count;
    await ana.waitFor(new RegExp(`^(\\[[\\d-]+ [\\d:]+\\] )?bia: mensagem ${last}$`, 'm'));
    assert.deepEqual(shownNumbers(ana.stdout, 'bia: mensagem '), upTo(last), ana.stdout);
    ana.endInput();
    assert.equal(await ana.exited, 0);
  });
});
