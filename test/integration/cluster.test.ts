import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CliProcess, ensureStopped, serveArgs } from '../helpers/cli.js';
import { lineUser, WireClient } from '../helpers/wire.js';
import { RedisServer } from '../cluster/redis.js';
import { PostgresServer } from '../storage/postgres.js';

// Three `tomada chat serve` processes, one network on a real Redis, one history in a real PostgreSQL.
const redis = new RedisServer();
const pgServer = new PostgresServer();
const procs: CliProcess[] = [];
const clients: WireClient[] = [];
before(async () => {
  assert.ok(RedisServer.available(), 'redis-server is missing: run `bash scripts/setup-test-deps.sh` as root');
  await Promise.all([redis.start(), pgServer.start()]);
});
after(async () => {
  for (const c of clients) c.close();
  for (const p of procs) await ensureStopped(p);
  await Promise.all([redis.dispose(), pgServer.dispose()]);
});

interface Node {
  proc: CliProcess;
  line: number;
  irc: number;
}

async function serve(name: string, store: string): Promise<Node> {
  const proc = new CliProcess(
    serveArgs(
      { line: true, irc: true },
      '--network',
      'rede',
      '--cluster',
      redis.url,
      '--node-name',
      name,
      '--store',
      store,
      '--flood-rate',
      '1000',
      '--flood-burst',
      '1000',
    ),
  );
  procs.push(proc);
  const line = Number((await proc.waitFor(/line door listening on [\d.]+:(\d+)/, 'stdout', 60_000))[1]);
  const irc = Number((await proc.waitFor(/irc door listening on [\d.]+:(\d+)/))[1]);
  return { proc, line, irc };
}

async function ircUser(port: number, nick: string): Promise<WireClient> {
  const c = await WireClient.connect(port);
  clients.push(c);
  c.send('CAP LS 302\r\nCAP REQ :batch draft/chathistory message-tags server-time\r\n');
  c.send(`NICK ${nick}\r\nUSER ${nick} 0 * :${nick}\r\n`);
  await c.waitFor(/CAP \S+ ACK/);
  c.send('CAP END\r\n');
  await c.waitFor(/ 001 /);
  return c;
}

const count = (text: string, what: string) => text.split(what).length - 1;

describe('three nodes on Redis and PostgreSQL, as processes', () => {
  it('one room across the nodes: NAMES, one delivery each, one history; one winner for a nick; kill -9 noticed', async () => {
    const store = await pgServer.createDatabase();
    const [n1, n2, n3] = await Promise.all([serve('n1', store), serve('n2', store), serve('n3', store)]);
    for (const [n, name] of [
      [n1, 'n1'],
      [n2, 'n2'],
      [n3, 'n3'],
    ] as const) {
      await n.proc.waitFor(
        new RegExp(`node ${name} \\(number \\d+\\) in the network rede through Redis at ${redis.url}`),
      );
    }

    const ana = await ircUser(n1.irc, 'ana');
    ana.send('JOIN #geral\r\n');
    await ana.waitFor(/ 366 ana #geral /);
    const bia = await ircUser(n2.irc, 'bia');
    bia.send('JOIN #geral\r\n');
    await bia.waitFor(/ 366 bia #geral /);
    const caio = await lineUser(n3.line, 'caio'); // the line door lands in #geral by itself
    clients.push(caio);
    await ana.waitFor(/:caio!\S+ JOIN #geral\r\n/);
    ana.send('NAMES #geral\r\n');
    const names = await ana.waitFor(/ 353 ana = #geral :?[^\r]*\r\n/);
    assert.deepEqual(/ #geral :?([^\r]*)/.exec(names)![1]!.trim().split(' ').sort(), ['@ana', 'bia', 'caio']);

    // A room message from each node reaches every member, once.
    ana.send('PRIVMSG #geral :do nó 1\r\n');
    const live = await bia.waitFor(/msgid=(\d+)[^\r]* PRIVMSG #geral :do nó 1\r\n/);
    await caio.waitFor('ana: do nó 1\n');
    caio.send('do nó 3\n');
    await ana.waitFor(/PRIVMSG #geral :do nó 3\r\n/);
    await bia.waitFor(/PRIVMSG #geral :do nó 3\r\n/);
    bia.send('PRIVMSG #geral :fim\r\n');
    await ana.waitFor(/PRIVMSG #geral :fim\r\n/);
    await caio.waitFor('bia: fim\n');
    assert.equal(count(bia.received, 'PRIVMSG #geral :do nó 1'), 1);
    assert.equal(count(caio.received, 'ana: do nó 1'), 1);
    assert.equal(count(ana.received, 'PRIVMSG #geral :do nó 3'), 1);
    assert.equal(count(bia.received, 'PRIVMSG #geral :do nó 3'), 1);
    // History is one, in PostgreSQL: read on node 2, the same id as the live message.
    const id = /msgid=(\d+)/.exec(live)![1]!;
    bia.send('CHATHISTORY LATEST #geral * 10\r\n');
    const batch = await bia.waitFor(/BATCH \+[^]*?BATCH -\S+\r\n/);
    assert.match(batch, new RegExp(`msgid=${id}[^\\r]* PRIVMSG #geral :do nó 1\\r\\n`));
    assert.match(batch, /PRIVMSG #geral :do nó 3\r\n[^]*PRIVMSG #geral :fim\r\n/);

    // The same free nick on two nodes at the same moment: exactly one gets it.
    const [x, y] = await Promise.all([WireClient.connect(n2.irc), WireClient.connect(n3.irc)]);
    clients.push(x, y);
    x.send('NICK duda\r\nUSER d 0 * :d\r\n');
    y.send('NICK duda\r\nUSER d 0 * :d\r\n');
    const outcome = await Promise.all([x, y].map((c) => c.waitFor(/ (001|433) \S+ /)));
    assert.deepEqual(outcome.map((l) => l.trim().split(' ')[0]).sort(), ['001', '433'], outcome.join(' | '));

    // kill -9 of node 3: its users quit on the others with a reason that says so, and caio is free.
    n3.proc.child.kill('SIGKILL');
    await ana.waitFor(/:caio!\S+ QUIT :Node lost: n3 stopped answering\r\n/, 15_000);
    await bia.waitFor(/:caio!\S+ QUIT :Node lost: n3 stopped answering\r\n/, 15_000);
    await n1.proc.waitFor(/node n3 lost \(its lease expired\): [12] of its users left/);
    ana.send('NAMES #geral\r\n');
    const after = await ana.waitFor(/ 353 ana = #geral :?[^\r]*\r\n/);
    assert.deepEqual(/ #geral :?([^\r]*)/.exec(after)![1]!.trim().split(' ').sort(), ['@ana', 'bia']);
    const again = await lineUser(n1.line, 'caio');
    clients.push(again);
    // In #geral again, on node 1, with the room's history from PostgreSQL and the network's count.
    assert.match(again.received, /\] ana: do nó 1\n[^]*\] caio: do nó 3\n[^]*\] bia: fim\n/);
    assert.match(again.received, /\* You are in #geral \(3 online\)/);
  });
});
