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

describe('line door: /history after ID', () => {
  it('answers the messages after an id, then how many and the last id; "now" gives the newest id', async () => {
    const { server, port } = await lineServer();
    servers.push(server);
    const ana = await lineUser(port, 'ana');
    const bia = await lineUser(port, 'bia');
    bia.send('um\n');
    await ana.waitFor('bia: um\n');
    ana.send('/history after now\n');
    const mark = await ana.waitFor(/\* #geral: 0 message\(s\) after id now, up to id (\d+)\.\n/);
    const id = Number(/up to id (\d+)/.exec(mark)![1]);
    bia.send('dois\ntrês\n');
    await ana.waitFor('bia: três\n');
    ana.send(`/history after ${id}\n`);
    await ana.waitFor(
      new RegExp(
        `^\\[[\\d-]+ [\\d:]+\\] bia: dois\\n\\[[\\d-]+ [\\d:]+\\] bia: três\\n\\* #geral: 2 message\\(s\\) after id ${id}, up to id ${id + 2}\\.\\n`,
        'm',
      ),
    );
    ana.send('/history after x\n');
    await ana.waitFor('! Usage: /history [N] | /history after ID|now\n');
  });
});

describe('line door: /history after with a store that answers later (PostgreSQL)', () => {
  it('"now" is the newest id given to the person; what comes while the answer is read follows it; nothing comes twice', async () => {
    const store = new GatedStore();
    const { server, port } = await lineServer({ history: 0 }, { history: store });
    servers.push(server);
    const ana = await lineUser(port, 'ana');
    const bia = await lineUser(port, 'bia');
    bia.send('um\n');
    await store.asked(1);
    // Stored, not yet given to ana: "now" is not past it.
    ana.send('/history after now\n');
    const before = Number(/up to id (\d+)/.exec(await ana.waitFor(/up to id \d+\.\n/))![1]);
    store.commits[0]!.pass();
    await ana.waitFor('bia: um\n');
    ana.send('/history after now\n');
    const mark = Number(/up to id (\d+)/.exec(await ana.waitFor(/up to id \d+\.\n/))![1]);
    assert.ok(mark > before, `${mark} > ${before}`);

    // While the answer is being read, the room goes on: it reaches ana after the answer, once.
    store.holdReads = true;
    ana.send(`/history after ${mark}\n`);
    await store.askedRead(1);
    bia.send('dois\n');
    await store.asked(2);
    store.commits[1]!.pass();
    const caio = await lineUser(port, 'caio');
    await bia.waitFor('caio entrou no chat!\n');
    assert.equal(ana.unread, '', 'nothing before the answer');
    store.reads[0]!();
    await ana.waitFor('caio entrou no chat!\n');
    assert.match(
      ana.received,
      /\] bia: dois\n\* #geral: 1 message\(s\) after id \d+, up to id \d+\.\ncaio entrou no chat!\n$/,
    );

    // A message stored as the answer is read, and given live after it: shown once (in the answer).
    ana.send(`/history after ${mark}\n`);
    await store.askedRead(2);
    caio.send('três\n');
    await store.asked(3);
    store.commits[2]!.pass();
    store.reads[1]!();
    await ana.waitFor(/up to id \d+\.\n/);
    caio.send('quatro\n');
    await store.asked(4);
    store.commits[3]!.pass();
    await ana.waitFor('caio: quatro\n');
    assert.equal(ana.received.match(/caio: três/g)?.length, 1, ana.received);
    for (const c of [ana, bia, caio]) c.close();
  });
});
