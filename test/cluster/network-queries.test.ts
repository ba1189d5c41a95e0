import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatServer } from '../../src/server/chat-server.js';
import { RawClient } from '../protocols/irc/client.js';
import { nodesOnRedis } from './nodes.js';

// MONITOR, LINKS and LUSERS on a network of two nodes on a real Redis.
const clients: RawClient[] = [];
const { nodes } = nodesOnRedis(() => {
  for (const c of clients) c.close();
});

const port = (s: ChatServer) => s.address('irc')!.port;
const client = async (s: ChatServer, nick: string, caps: string[] = []) => {
  const c = await RawClient.register(port(s), nick, caps);
  clients.push(c);
  return c;
};

describe('network-wide queries', () => {
  it('MONITOR on node A sees a user of node B sign on, go away, change realname and nick, and sign off', async () => {
    const network = nodes.network();
    const a = await nodes.start(network, { nodeName: 'a' });
    const b = await nodes.start(network, { nodeName: 'b' });
    const ana = await client(a, 'ana', ['extended-monitor', 'away-notify', 'setname']);
    ana.send('MONITOR + bia,bea');
    assert.match(await ana.expect(/ 731 /), / 731 ana :?bia,bea$/);
    const bia = await client(b, 'bia', ['setname']);
    assert.match(await ana.expect(/ 730 /), / 730 ana :?bia!bia@127\.0\.0\.1$/);
    ana.send('MONITOR S');
    assert.match(await ana.expect(/ 730 /), / 730 ana :?bia!bia@127\.0\.0\.1$/);
    await ana.expect(/ 731 ana :?bea$/);
    // extended-monitor: no room shared, yet ana hears of bia's away and realname.
    bia.send('AWAY :no almoço');
    assert.equal(await ana.expect(/ AWAY /), ':bia!bia@127.0.0.1 AWAY :no almoço');
    bia.send('SETNAME :Bia Souza');
    assert.equal(await ana.expect(/ SETNAME /), ':bia!bia@127.0.0.1 SETNAME :Bia Souza');
    bia.send('NICK bea');
    assert.match(await ana.expect(/ 731 /), / 731 ana :?bia$/);
    assert.match(await ana.expect(/ 730 /), / 730 ana :?bea!bia@127\.0\.0\.1$/);
    bia.send('QUIT :tchau');
    assert.match(await ana.expect(/ 731 /), / 731 ana :?bea$/);
  });

  it('LINKS lists the nodes and LUSERS counts them, users or not; a node that stops leaves both', async () => {
    const network = nodes.network();
    const a = await nodes.start(network, { nodeName: 'a' });
    const b = await nodes.start(network, { nodeName: 'b:6667' });
    const ana = await client(a, 'ana');
    ana.send('LINKS');
    assert.deepEqual(await ana.collect(/ 365 /), [
      `:tomada.local 364 ana tomada.local tomada.local :0 tomada chat server (${network})`,
      `:tomada.local 364 ana b:6667 tomada.local :1 tomada node b:6667 (${network})`,
      ':tomada.local 365 ana * :End of /LINKS list',
    ]);
    // No one on B yet: it is a server of the network all the same.
    ana.send('LUSERS');
    const lusers = (await ana.collect(/ 266 /)).join('\n');
    assert.match(lusers, / 251 ana :There are 1 users and 0 invisible on 2 servers$/m);
    assert.match(lusers, / 255 ana :I have 1 clients and 1 servers$/m);
    // B, which came second, heard of A from A's answer to its hello.
    const bia = await client(b, 'bia');
    bia.send('LINKS');
    const links = await bia.collect(/ 365 /);
    assert.equal(links[1], `:tomada.local 364 bia a tomada.local :1 tomada node a (${network})`);

    // A node that stops says so (a node lost without a word is counted out when its lease ends): A reads
    // that word from the bus some time after B is gone, which no client sees, so LUSERS is asked again.
    await b.close('fim');
    const deadline = Date.now() + 5_000;
    for (;;) {
      ana.send('LUSERS');
      const line = await ana.expect(/ 251 /);
      await ana.expect(/ 266 /);
      if (line.endsWith(' on 1 server')) break;
      assert.ok(Date.now() < deadline, `still: ${line}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    ana.send('LINKS');
    assert.deepEqual(await ana.collect(/ 365 /), [
      `:tomada.local 364 ana tomada.local tomada.local :0 tomada chat server (${network})`,
      ':tomada.local 365 ana * :End of /LINKS list',
    ]);
  });
});
