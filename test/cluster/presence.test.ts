import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RedisBus } from '../../src/cluster/redis-bus.js';
import type { ChatServer } from '../../src/server/chat-server.js';
import { RawClient } from '../protocols/irc/client.js';
import { nodesOnRedis } from './nodes.js';

// One network of two nodes on a real Redis: what IRC clients on node A see of users on node B.
const { nodes } = nodesOnRedis();

const port = (s: ChatServer) => s.address('irc')!.port;

describe('presence across nodes', () => {
  it('NAMES, WHO, WHOIS, LIST and LUSERS on A show the users of B; joins, parts, nicks, away, topic, modes and kicks cross', async () => {
    const network = nodes.network();
    const a = await nodes.start(network, { nodeName: 'a' });
    const b = await nodes.start(network, { nodeName: 'b' });
    const ana = await RawClient.register(port(a), 'ana', ['away-notify']);
    const bia = await RawClient.register(port(b), 'bia');
    ana.send('JOIN #sala');
    await ana.expect(/ 366 ana #sala /);
    // ana's join reaches B through Redis a moment after A has answered her: bia joins once B shows ana
    // in #sala (a round trip each time, no sleep).
    for (let tries = 0; ; tries++) {
      const from = bia.lines.length;
      bia.send('NAMES #sala');
      await bia.expect(/ 366 bia #sala /);
      if (bia.since(from).some((l) => / 353 bia = #sala :?@ana$/.test(l))) break;
      assert.ok(tries < 500, 'node B never learned that ana is in #sala');
    }
    bia.send('JOIN #sala');
    // B learns that #sala exists with ana as its operator; A sees bia come in.
    assert.match(await bia.expect(/ 353 bia = #sala /), / :?(@ana bia|bia @ana)$/);
    await ana.expect(/^:bia!\S+ JOIN #sala$/);
    ana.send('NAMES #sala');
    assert.match(await ana.expect(/ 353 ana = #sala /), / :?(@ana bia|bia @ana)$/);
    ana.send('WHO #sala');
    await ana.expect(/ 352 ana #sala \S+ \S+ \S+ bia H :0 Real bia$/);
    ana.send('WHOIS bia');
    await ana.expect(/ 311 ana bia bia \S+ \* :Real bia$/);
    await ana.expect(/ 319 ana bia :?#sala$/);
    ana.send('LIST');
    await ana.expect(/ 322 ana #sala 2 /);
    ana.send('LUSERS');
    await ana.expect(/ 251 ana :There are 2 users and 0 invisible on 2 servers$/);

    // Changes made on one node reach the other, and the rules there follow them.
    bia.send('NICK bea');
    await ana.expect(/^:bia!\S+ NICK :?bea$/);
    ana.send('MODE #sala +o bea');
    await bia.expect(/^:ana!\S+ MODE #sala \+o bea$/);
    bia.send('TOPIC #sala :tema novo');
    await ana.expect(/^:bea!\S+ TOPIC #sala :tema novo$/);
    ana.send('TOPIC #sala');
    await ana.expect(/ 332 ana #sala :tema novo$/);
    bia.send('AWAY :almoço');
    await ana.expect(/^:bea!\S+ AWAY :almoço$/);
    ana.send('WHOIS bea');
    await ana.expect(/ 301 ana bea :?almoço$/);
    bia.send('KICK #sala ana :fora');
    await ana.expect(/^:bea!\S+ KICK #sala ana :fora$/);
    bia.send('NAMES #sala');
    assert.match(await bia.expect(/ 353 bea = #sala /), / :?@bea$/);
    ana.send('JOIN #sala');
    await ana.expect(/ 366 ana #sala /);
    bia.send('PART #sala :tchau');
    await ana.expect(/^:bea!\S+ PART #sala :tchau$/);
    ana.send('NAMES #sala');
    assert.match(await ana.expect(/ 353 ana = #sala /), / :?ana$/);
    bia.send('JOIN #sala');
    await ana.expect(/^:bea!\S+ JOIN #sala$/);
    bia.close();
    await ana.expect(/^:bea!\S+ QUIT :/);
    ana.send('WHOIS bea');
    await ana.expect(/ 401 ana bea /);
    ana.close();
  });

  it('a private message reaches a user on another node; a node that comes later learns who is there', async () => {
    const network = nodes.network();
    const a = await nodes.start(network, { nodeName: 'a' });
    const ana = await RawClient.register(port(a), 'ana');
    ana.send('JOIN #velha');
    await ana.expect(/ 366 ana #velha /);
    ana.send('MODE #velha +k chave');
    await ana.expect(/ MODE #velha \+k chave$/);
    // B starts after: it asks, A answers with its users, their rooms and the rooms' settings.
    const b = await nodes.start(network, { nodeName: 'b' });
    const bia = await RawClient.register(port(b), 'bia');
    bia.send('JOIN #velha');
    await bia.expect(/ 475 bia #velha /);
    bia.send('JOIN #velha chave');
    assert.match(await bia.expect(/ 353 bia = #velha /), / :?(@ana bia|bia @ana)$/);
    bia.send('PRIVMSG ana :oi, ana');
    await ana.expect(/^:bia!\S+ PRIVMSG ana :oi, ana$/);
    ana.send('PRIVMSG bia :oi, bia');
    await bia.expect(/^:ana!\S+ PRIVMSG bia :oi, bia$/);
    ana.close();
    bia.close();
  });

  it('a node that stops cleanly: its users quit on the others with its reason', async () => {
    const network = nodes.network();
    const a = await nodes.start(network, { nodeName: 'a' });
    const b = await nodes.start(network, { nodeName: 'b' });
    const ana = await RawClient.register(port(a), 'ana');
    const bia = await RawClient.register(port(b), 'bia');
    ana.send('JOIN #sala');
    await ana.expect(/ 366 ana #sala /);
    bia.send('JOIN #sala');
    await ana.expect(/^:bia!\S+ JOIN #sala$/);
    await b.close('Manutenção');
    await ana.expect(/^:bia!\S+ QUIT :Manutenção$/);
    ana.send('NAMES #sala');
    assert.match(await ana.expect(/ 353 ana = #sala /), / :?@ana$/);
    ana.close();
    bia.close();
  });

  it('an operator’s KILL of a user of another node ends that session there', async () => {
    const network = nodes.network();
    const a = await nodes.start(network, { nodeName: 'a', opers: ['ana:segredo'] });
    const b = await nodes.start(network, { nodeName: 'b' });
    const ana = await RawClient.register(port(a), 'ana');
    const bia = await RawClient.register(port(b), 'bia');
    ana.send('JOIN #sala');
    await ana.expect(/ 366 ana #sala /);
    bia.send('JOIN #sala');
    await ana.expect(/^:bia!\S+ JOIN #sala$/);
    ana.send('OPER ana segredo');
    await ana.expect(/ 381 /);
    ana.send('KILL bia :chega');
    await bia.expect(/^ERROR :Closing Link: .*Killed \(ana \(chega\)\)/);
    await ana.expect(/^:bia!\S+ QUIT :.*Killed \(ana \(chega\)\)/);
    ana.close();
    bia.close();
  });

  it('a message to a room of many users on two nodes is one publish, not one per recipient', async () => {
    const network = nodes.network();
    const a = await nodes.start(network, { nodeName: 'a' });
    const b = await nodes.start(network, { nodeName: 'b' });
    const onB = await Promise.all(Array.from({ length: 5 }, (_, i) => RawClient.register(port(b), `b${i}`)));
    const ana = await RawClient.register(port(a), 'ana');
    ana.send('JOIN #muitos');
    await ana.expect(/ 366 ana #muitos /);
    for (const c of onB) {
      c.send('JOIN #muitos');
      await c.expect(/ 366 \S+ #muitos /);
    }
    const busA = a.hub.bus as RedisBus;
    const before = busA.stats.published;
    ana.send('PRIVMSG #muitos :para todos');
    for (const c of onB) await c.expect(/ PRIVMSG #muitos :para todos$/);
    assert.equal(busA.stats.published - before, 1);
    for (const c of [ana, ...onB]) c.close();
  });
});
