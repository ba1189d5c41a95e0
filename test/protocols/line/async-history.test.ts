import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lineServer } from '../../helpers/chat-server.js';
import { GatedStore } from '../../helpers/gated-history.js';
import { lineUser } from '../../helpers/wire.js';
import type { ChatServer } from '../../../src/server/chat-server.js';

const servers: ChatServer[] = [];
after(async () => {
  for (const s of servers) await s.close();
});

describe('line door with a store that answers later (PostgreSQL)', () => {
  it('a person’s next messages go to the store while the first commits, delivered in order; a command waits for them', async () => {
    const store = new GatedStore();
    const { server, port } = await lineServer({ history: 0 }, { history: store });
    servers.push(server);
    const ana = await lineUser(port, 'ana');
    const bia = await lineUser(port, 'bia');
    bia.send('um\n');
    await store.asked(1);
    // The first is not committed yet: the next two go to the store all the same (before, they waited:
    // a person could send one message per round trip to the store), and the command waits for all three.
    bia.send('dois\ntrês\n/history after now\n');
    await store.asked(2);
    assert.deepEqual(
      store.commits[1]!.rows.map((m) => m.text),
      ['dois', 'três'],
    );
    const last = store.commits[1]!.rows[1]!.seq;
    store.commits[0]!.pass();
    await ana.waitFor('bia: um\n');
    store.commits[1]!.pass();
    await ana.waitFor('bia: três\n');
    assert.match(ana.received, /bia: um\n(?:.*\n)?bia: dois\nbia: três\n$/);
    // "now" is the newest id given to bia: her own last message, so the command ran after it was answered.
    const mark = await bia.waitFor(/up to id (\d+)\.\n/);
    assert.equal(Number(/up to id (\d+)/.exec(mark)![1]), last);
    for (const c of [ana, bia]) c.close();
  });
});
