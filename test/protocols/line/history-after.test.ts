import { after, describe, it } from 'node:test';
import { lineServer } from '../../helpers/chat-server.js';
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
