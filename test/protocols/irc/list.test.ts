import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatServer } from '../../../src/server/chat-server.js';
import { RawClient, startTestServer } from './client.js';

describe('LIST filters (ELIST=CMNTU)', () => {
  let server: ChatServer;
  let port: number;
  let a: RawClient;
  let b: RawClient;
  before(async () => {
    ({ server, port } = await startTestServer({ serverName: 'irc.test', line: null }));
    a = await RawClient.register(port, 'lista');
    b = await RawClient.register(port, 'listb');
    a.send('JOIN #um,#dois,#teste-x', 'TOPIC #dois :com tópico');
    b.send('JOIN #dois');
    await b.expect(/ 366 listb #dois /);
    await a.expect(/TOPIC #dois/);
  });
  after(async () => {
    a.close();
    b.close();
    await server.close();
  });

  /** The rooms one LIST answers with, sorted. */
  const rooms = async (filter: string) => {
    a.send(filter === '' ? 'LIST' : `LIST ${filter}`);
    const lines = await a.collect(/ 323 /);
    return lines.flatMap((l) => / 322 lista (\S+) /.exec(l)?.[1] ?? []).sort();
  };

  it('filters by users, creation time, topic time, masks and non-masks', async () => {
    assert.deepEqual(await rooms(''), ['#dois', '#teste-x', '#um']);
    assert.deepEqual(await rooms('>1'), ['#dois']);
    assert.deepEqual(await rooms('<2'), ['#teste-x', '#um']);
    assert.deepEqual(await rooms('C<5'), ['#dois', '#teste-x', '#um']);
    assert.deepEqual(await rooms('C>5'), []);
    assert.deepEqual(await rooms('T<5'), ['#dois']);
    assert.deepEqual(await rooms('T>5'), []);
    assert.deepEqual(await rooms('#t*'), ['#teste-x']);
    assert.deepEqual(await rooms('!#t*'), ['#dois', '#um']);
    assert.deepEqual(await rooms('#um,#dois'), ['#dois', '#um']);
    assert.deepEqual(await rooms('!#t*,<2'), ['#um']);
    assert.deepEqual(await rooms('#*,>1,T<5'), ['#dois']);
  });

  it('advertises ELIST=CMNTU', () => {
    assert.ok(a.lines.some((l) => / 005 lista .*ELIST=CMNTU /.test(l)));
  });
});
