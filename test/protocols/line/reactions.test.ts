import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatServer } from '../../../src/server/chat-server.js';
import { lineUser } from '../../helpers/wire.js';
import { RawClient, startTestServer } from '../irc/client.js';

// Issue 14, "every door": the line door shows a reaction as a plain text line, never the tag's raw bytes.
describe('line door: reactions as plain text lines', () => {
  let server: ChatServer;
  let port: number;
  const open: Array<{ close(): void }> = [];
  before(async () => {
    ({ server, port } = await startTestServer({ serverName: 'irc.test' }));
  });
  after(async () => {
    for (const c of open) c.close();
    await server.close();
  });

  it('a reaction in a room and one to a private message, with control characters removed; typing shows nothing', async () => {
    // The line door puts its users in the default room, #geral.
    const line = await lineUser(server.address('line')!.port, 'linha');
    open.push(line);
    const ana = await RawClient.register(port, 'ana', ['message-tags', 'echo-message']);
    open.push(ana);
    ana.send('JOIN #geral');
    await ana.expect(/ 366 ana #geral /);
    line.send('bom dia\n');
    const said = await ana.expect(/PRIVMSG #geral :bom dia$/);
    const id = /msgid=(\d+)/.exec(said)![1]!;
    // Typing first: nothing reaches the line door for it, so the next line it reads is the reaction's.
    ana.send(`@+typing=active TAGMSG #geral`);
    ana.send(`@+draft/react=\x1b[2K❤;+draft/reply=${id} TAGMSG #geral`);
    assert.equal(await line.waitFor(/\* ana .*\n/), '* ana reacted [2K❤ to a message in #geral.\n');
    ana.send(`@+draft/react=👍;+draft/reply=${id} TAGMSG linha`);
    assert.equal(await line.waitFor(/\* ana reacted 👍.*\n/), '* ana reacted 👍 to your message.\n');
    assert.ok(!line.received.includes('\x1b'), JSON.stringify(line.received));
  });
});
