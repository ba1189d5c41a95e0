import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LocalNetwork } from '../../src/core/bus.js';
import { MemoryHistory } from '../../src/core/history.js';
import { startChatServer, type ChatServer } from '../../src/server/chat-server.js';
import { lineUser, type WireClient } from '../helpers/wire.js';

describe('startChatServer(config, { history, bus, accounts, logger })', () => {
  const servers: ChatServer[] = [];
  const clients: WireClient[] = [];
  after(async () => {
    for (const c of clients) c.close();
    for (const s of servers) await s.close();
  });
  const lineOnly = { line: { host: '127.0.0.1', port: 0 }, irc: null, http: null, dataDir: ':memory:' } as const;

  it('two servers on one bus: a room message and the join notice reach the other server’s line users; history is the given store', async () => {
    const net = new LocalNetwork(2);
    const history = new MemoryHistory();
    const a = await startChatServer(lineOnly, { bus: net.bus(), history });
    const b = await startChatServer(lineOnly, { bus: net.bus(), history: new MemoryHistory() });
    servers.push(a, b);
    const bia = await lineUser(b.address('line')!.port, 'bia');
    clients.push(bia);
    const ana = await lineUser(a.address('line')!.port, 'ana');
    clients.push(ana);
    await bia.waitFor('ana entrou no chat!\n');
    ana.send('olá, outro nó\n');
    await bia.waitFor('ana: olá, outro nó\n');
    assert.deepEqual(
      history.query('#geral', { limit: 5 }).map((m) => m.text),
      ['olá, outro nó'],
    );
    assert.equal(a.hub.history, history);
  });
});
