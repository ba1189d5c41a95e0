import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RawClient, startTestServer } from './client.js';

describe('IRC LUSERS counts what is there', () => {
  const clients: RawClient[] = [];
  let close: () => Promise<void> = () => Promise.resolve();
  after(async () => {
    for (const c of clients) c.close();
    await close();
  });

  it('users, invisible, operators, unknown connections, rooms, and the highest count seen', async () => {
    const { server, port } = await startTestServer({ line: null, opers: ['root:s3nha'] });
    close = () => server.close();
    const reg = async (nick: string) => {
      const c = await RawClient.register(port, nick);
      clients.push(c);
      return c;
    };
    const a = await reg('ana');
    const b = await reg('bia');
    const c = await reg('caio');
    a.send('MODE ana +i', 'OPER root s3nha', 'JOIN #um');
    await a.expect(/ 381 ana /);
    await a.expect(/ 366 ana #um /);
    c.send('QUIT');
    await c.waitClosed();
    // A connection that has not registered yet.
    const unknown = new RawClient(port);
    clients.push(unknown);
    await unknown.ready;
    unknown.send('NICK quase');
    b.send('LUSERS');
    const lines = await b.collect(/ 266 /);
    const body = lines.map((l) => l.replace(/^:\S+ (\d{3}) bia /, '$1 ')).join('\n');
    assert.match(body, /^251 :There are 1 users and 1 invisible on 1 server$/m);
    assert.match(body, /^252 1 :operator\(s\) online$/m);
    assert.match(body, /^253 1 :unknown connection\(s\)$/m);
    assert.match(body, /^254 1 :channels formed$/m);
    assert.match(body, /^265 2 3 :Current local users 2, max 3$/m);
    assert.match(body, /^266 2 3 :Current global users 2, max 3$/m);
  });
});
