import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GatedStore } from '../../helpers/gated-history.js';
import { RawClient } from './client.js';
import { ircSuite } from './suite.js';

describe('IRC door with an asynchronous history store', () => {
  const store = new GatedStore();
  const srv = ircSuite({ line: null, serverName: 'irc.test', history: 0 }, () => ({ history: store }));

  it('a labeled PRIVMSG is answered once stored; what others do meanwhile comes before (as everyone saw it), not inside, its response', async () => {
    const ana = await RawClient.register(srv.port, 'ana', ['labeled-response', 'echo-message', 'batch']);
    const bia = await RawClient.register(srv.port, 'bia');
    srv.clients.push(ana, bia);
    ana.send('JOIN #geral');
    await ana.expect(/ 366 ana #geral /);
    bia.send('JOIN #geral');
    await ana.expect(/:bia!\S+ JOIN #geral/);
    const from = ana.lines.length;
    ana.send('@label=a1 PRIVMSG #geral :oi');
    await store.asked(1);
    bia.send('NICK bea');
    await bia.expect(/:bia!\S+ NICK :?bea/);
    assert.deepEqual(ana.since(from), [], 'nothing before the commit');
    store.commits[0]!.pass();
    await ana.expect(/label=a1 /);
    assert.deepEqual(
      ana.since(from).map((l) => l.replace(/![^ ]+/, '')),
      [':bia NICK bea', '@label=a1 :ana PRIVMSG #geral :oi'],
    );
    await bia.expect(/:ana!\S+ PRIVMSG #geral :oi/);
    bia.send('NICK bia');
  });

  it('a refused PRIVMSG is a 404 with the reason, and the channel gets nothing', async () => {
    const cai = await RawClient.register(srv.port, 'cai', ['labeled-response']);
    srv.clients.push(cai);
    cai.send('JOIN #geral');
    await cai.expect(/ 366 cai #geral /);
    const n = store.commits.length;
    cai.send('@label=c1 PRIVMSG #geral :perdida');
    await store.asked(n + 1);
    store.commits[n]!.fail();
    assert.equal(
      await cai.expect(/ 404 /),
      '@label=c1 :irc.test 404 cai #geral :Cannot send to channel: the message could not be stored, try again',
    );
  });

  it('plain PRIVMSGs go to the store while earlier ones commit, and reach the channel in order; a command waits for them', async () => {
    const dan = await RawClient.register(srv.port, 'dan');
    const eva = await RawClient.register(srv.port, 'eva');
    srv.clients.push(dan, eva);
    for (const c of [dan, eva]) {
      c.send('JOIN #fila');
      await c.expect(/ 366 \S+ #fila /);
    }
    const n = store.commits.length;
    dan.send('PRIVMSG #fila :um');
    await store.asked(n + 1);
    // Not committed yet: the next one is handled all the same (before, it waited for the commit).
    dan.send('PRIVMSG #fila :dois');
    dan.send('TOPIC #fila :depois');
    await store.asked(n + 2);
    assert.deepEqual(
      store.commits[n + 1]!.rows.map((m) => m.text),
      ['dois'],
    );
    store.commits[n]!.pass();
    store.commits[n + 1]!.pass();
    await eva.expect(/ TOPIC #fila :depois/);
    assert.deepEqual(
      eva.lines.slice(-3).map((l) => l.replace(/![^ ]+/, '')),
      [':dan PRIVMSG #fila :um', ':dan PRIVMSG #fila :dois', ':dan TOPIC #fila :depois'],
    );
  });
});

describe('IRC door: a JOIN whose history replay waits (asynchronous store)', () => {
  const store = new GatedStore();
  const srv = ircSuite({ line: null, serverName: 'irc.test', history: 10 }, () => ({ history: store }));

  it('what the room says while the replay is read follows it, and a message the replay shows is not shown twice', async () => {
    const ana = await RawClient.register(srv.port, 'ana');
    const bia = await RawClient.register(srv.port, 'bia');
    srv.clients.push(ana, bia);
    ana.send('JOIN #geral');
    await ana.expect(/ 366 ana #geral /);
    ana.send('PRIVMSG #geral :um');
    await store.asked(1);
    store.commits[0]!.pass();
    store.holdReads = true;
    bia.send('JOIN #geral');
    await store.askedRead(1);
    await bia.expect(/ 366 bia #geral /);
    // Said and stored while bia's replay is being read: the replay will have it, and so does the live feed.
    ana.send('PRIVMSG #geral :dois');
    await store.asked(2);
    store.commits[1]!.pass();
    await ana.expect(/:bia!\S+ JOIN #geral/);
    store.holdReads = false;
    store.reads[0]!();
    ana.send('PRIVMSG #geral :três');
    await store.asked(3);
    store.commits[2]!.pass();
    await bia.expect(/PRIVMSG #geral :três$/);
    const said = bia.lines.filter((l) => / PRIVMSG #geral :/.test(l)).map((l) => l.replace(/^.* PRIVMSG #geral :/, ''));
    assert.deepEqual(said, ['um', 'dois', 'três']);
  });
});
