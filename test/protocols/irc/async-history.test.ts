import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startChatServer, type ChatServer } from '../../../src/server/chat-server.js';
import { GatedStore } from '../../helpers/gated-history.js';
import { RawClient } from './client.js';

describe('IRC door with an asynchronous history store', () => {
  let server: ChatServer;
  let port: number;
  const store = new GatedStore();
  const clients: RawClient[] = [];
  before(async () => {
    server = await startChatServer(
      { line: null, irc: { host: '127.0.0.1', port: 0 }, http: null, serverName: 'irc.test', history: 0 },
      { history: store },
    );
    port = server.address('irc')!.port;
  });
  after(async () => {
    for (const c of clients) c.close();
    await server.close();
  });

  it('a labeled PRIVMSG is answered once stored; what others do meanwhile comes before (as everyone saw it), not inside, its response', async () => {
    const ana = await RawClient.register(port, 'ana', ['labeled-response', 'echo-message', 'batch']);
    const bia = await RawClient.register(port, 'bia');
    clients.push(ana, bia);
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
    const cai = await RawClient.register(port, 'cai', ['labeled-response']);
    clients.push(cai);
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
});
