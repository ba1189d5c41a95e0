import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CliProcess, ensureStopped, serveArgs } from '../helpers/cli.js';
import { lineUser, WireClient } from '../helpers/wire.js';
import { JsonClient } from '../protocols/web/helpers.js';
import { RedisServer } from '../cluster/redis.js';
import { TestNodes } from '../cluster/nodes.js';
import { Haproxy } from '../cluster/haproxy.js';

// HAProxy in front of three nodes, with the configuration the README shows (deploy/haproxy.cfg).
const redis = new RedisServer();
const nodes = new TestNodes(redis);
const procs: CliProcess[] = [];
const clients: Array<{ close(): void }> = [];
const haproxy = new Haproxy();

before(async () => {
  assert.ok(RedisServer.available(), 'redis-server is missing: run `bash scripts/setup-test-deps.sh` as root');
  assert.ok(Haproxy.available(), 'haproxy is missing: run `bash scripts/setup-test-deps.sh`');
  await redis.start();
});
after(async () => {
  for (const c of clients) c.close();
  await haproxy.stop();
  for (const p of procs) await ensureStopped(p);
  await nodes.close();
  await redis.dispose();
});

const local = (port: number) => `127.0.0.1:${port}`;

describe('HAProxy in front of three nodes (deploy/haproxy.cfg)', () => {
  it('the line, IRC and web doors through one address; a node killed, its people come back through it', async () => {
    const network = nodes.network();
    const doors = { line: { host: '127.0.0.1', port: 0 }, http: { host: '127.0.0.1', port: 0 } };
    const [n1, n2] = await Promise.all([
      nodes.start(network, { nodeName: 'n1', ...doors }),
      nodes.start(network, { nodeName: 'n2', ...doors }),
    ]);
    // The third is a process of its own, to be killed.
    const proc = new CliProcess(
      serveArgs(
        { line: true, irc: true, http: true },
        '--network',
        network,
        '--cluster',
        redis.url,
        '--node-name',
        'n3',
      ),
    );
    procs.push(proc);
    const n3 = {
      line: Number((await proc.waitFor(/line door listening on [\d.]+:(\d+)/, 'stdout', 60_000))[1]),
      irc: Number((await proc.waitFor(/irc door listening on [\d.]+:(\d+)/))[1]),
      http: Number((await proc.waitFor(/http door listening on [\d.]+:(\d+)/))[1]),
    };
    const addresses = (n: { line: number; irc: number; http: number }) => ({
      line: local(n.line),
      irc: local(n.irc),
      http: local(n.http),
    });
    const inProcess = (s: typeof n1) => ({
      line: s.address('line')!.port,
      irc: s.address('irc')!.port,
      http: s.address('http')!.port,
    });
    await haproxy.start([addresses(inProcess(n1)), addresses(inProcess(n2)), addresses(n3)]);
    const lb = haproxy.ports;

    // Three people through one address, spread over the nodes by HAProxy (least connections).
    const people = [];
    for (const nick of ['ana', 'bia', 'caio']) {
      const c = await lineUser(lb.line, nick);
      clients.push(c);
      people.push(c);
    }
    const [ana, bia, caio] = people as [WireClient, WireClient, WireClient];
    // Who is on node 3: a mirror on both the others.
    const onN3 = ['ana', 'bia', 'caio'].filter(
      (nick) => n1.hub.findUser(nick)?.remote !== undefined && n2.hub.findUser(nick)?.remote !== undefined,
    );
    assert.ok(onN3.length >= 1 && onN3.length < 3, `HAProxy spread them: ${onN3.join(',')} on node 3`);
    ana.send('oi, rede\n');
    await bia.waitFor('ana: oi, rede\n');
    await caio.waitFor('ana: oi, rede\n');

    const irc = await WireClient.connect(lb.irc);
    clients.push(irc);
    irc.send('NICK dani\r\nUSER dani 0 * :dani\r\nJOIN #geral\r\n');
    const names = await irc.waitFor(/ 353 dani = #geral :?[^\r]*\r\n/);
    assert.deepEqual(/ #geral :?([^\r]*)/.exec(names)![1]!.trim().split(' ').sort(), ['@ana', 'bia', 'caio', 'dani']);

    const web = await JsonClient.chat(`ws://${local(lb.http)}`, 'eva');
    clients.push({ close: () => web.ws.close() });
    bia.send('para a web também\n');
    await web.next((m) => m.type === 'message' && (m.message as { text: string }).text === 'para a web também');
    await irc.waitFor('PRIVMSG #geral :para a web também\r\n');

    // kill -9 of node 3: whoever was there is cut off; the others see them leave; they come back in.
    proc.child.kill('SIGKILL');
    const gone = onN3[0]!;
    await people[['ana', 'bia', 'caio'].indexOf(gone)]!.waitClosed();
    await irc.waitFor(new RegExp(`:${gone}!\\S+ QUIT :Node lost: n3 stopped answering\r\n`), 15_000);
    // Back through the same address, with the same nickname, on a node that is alive.
    const back = await lineUser(lb.line, gone);
    clients.push(back);
    await irc.waitFor(new RegExp(`:${gone}!\\S+ JOIN #geral\r\n`));
    assert.equal(n1.hub.findUser(gone)?.remote === undefined || n2.hub.findUser(gone)?.remote === undefined, true);
  });
});
