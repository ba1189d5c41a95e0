import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatServer } from '../../../src/server/chat-server.js';
import { lineUser, type WireClient } from '../../helpers/wire.js';
import { JsonClient } from '../web/helpers.js';
import { RawClient, startTestServer } from './client.js';

describe('IRC draft/channel-rename (RENAME)', () => {
  let server: ChatServer;
  let port: number;
  const clients: Array<RawClient | WireClient> = [];
  const webs: JsonClient[] = [];
  const reg = async (nick: string, caps: string[] = [], room = '#velha') => {
    const c = await RawClient.register(port, nick, caps);
    clients.push(c);
    c.send(`JOIN ${room}`);
    await c.expect(new RegExp(` 366 ${nick} ${room} `, 'i'));
    return c;
  };
  before(async () => {
    ({ server, port } = await startTestServer({ http: { host: '127.0.0.1', port: 0 }, nickGraceSecs: 0 }));
  });
  after(async () => {
    for (const c of clients) c.close();
    for (const w of webs) await w.close();
    await server.close();
  });

  it('renames for everyone: RENAME with the capability, PART and JOIN without, the other doors told', async () => {
    const ana = await reg('ana', ['draft/channel-rename']);
    const bia = await reg('bia');
    const caio = await reg('caio', ['draft/channel-rename']);
    const line = await lineUser(server.address('line')!.port, 'terminal');
    clients.push(line);
    line.send('/join #velha\n');
    await line.waitFor(/#velha/);
    const web = await JsonClient.chat(`ws://127.0.0.1:${server.address('http')!.port}`, 'navegador', '#velha');
    webs.push(web);
    ana.send('TOPIC #velha :o tópico fica', 'MODE #velha +m');
    await bia.expect(/ MODE #velha \+m/);
    ana.send('RENAME #velha #nova :arrumando');
    assert.match(await ana.expect(/ RENAME /), /^:ana!\S+ RENAME #velha #nova :arrumando$/);
    assert.match(await caio.expect(/ RENAME /), /^:ana!\S+ RENAME #velha #nova :arrumando$/);
    // Without the capability: PART the old name (with the reason), JOIN the new one, its topic and names.
    assert.match(await bia.expect(/ PART /), /^:bia!\S+ PART #velha :arrumando$/);
    assert.match(await bia.expect(/ JOIN /), /^:bia!\S+ JOIN #nova$/);
    assert.match(await bia.expect(/ 332 /), / 332 bia #nova :o tópico fica$/);
    assert.match(await bia.expect(/ 353 /), / 353 bia = #nova :.*@ana/);
    await bia.expect(/ 366 bia #nova /);
    await line.waitFor('* ana renamed #velha to #nova (arrumando)\n');
    const renamed = await web.next((m) => m.type === 'rename');
    assert.deepEqual(
      { old: renamed.old, room: renamed.room, by: renamed.by, reason: renamed.reason },
      { old: '#velha', room: '#nova', by: 'ana', reason: 'arrumando' },
    );
    // The room is the same: its members, settings and topic; the old name is free.
    assert.equal(server.hub.findRoom('#velha'), undefined);
    const room = server.hub.findRoom('#NOVA')!;
    assert.equal(room.name, '#nova');
    assert.equal(room.members.size, 5);
    assert.equal(room.modes.moderated, true);
    ana.send('MODE #nova -m');
    await bia.expect(/ MODE #nova -m/);
    line.send('ainda aqui\n');
    assert.match(await bia.expect(/ PRIVMSG /), /^:terminal!\S+ PRIVMSG #nova :ainda aqui$/);
    // A change of case alone: RENAME to those with the capability, nothing to the others.
    ana.send('RENAME #nova #Nova');
    assert.match(await caio.expect(/ RENAME /), /^:ana!\S+ RENAME #nova #Nova :$/);
    bia.send('PING :depois');
    await bia.expect(/ PONG .*depois/);
    assert.ok(!bia.lines.some((l) => / (PART|JOIN) #Nova/i.test(l) && l.includes('#Nova')), bia.lines.join('\n'));
  });

  it('refuses: not an operator 482, name taken or not valid FAIL, no such channel 403, missing 461', async () => {
    const dono = await reg('dono', ['draft/channel-rename'], '#um');
    const outro = await reg('outro', [], '#um');
    await reg('terceiro', [], '#dois');
    outro.send('RENAME #um #tres');
    assert.match(await outro.expect(/ 482 /), / 482 outro #um :You're not channel operator$/);
    dono.send('RENAME #um #dois');
    assert.equal(
      await dono.expect(/ FAIL /),
      ':tomada.local FAIL RENAME CHANNEL_NAME_IN_USE #um #dois :The channel name is already taken',
    );
    dono.send('RENAME #um semcerquilha');
    assert.equal(
      await dono.expect(/ FAIL /),
      ':tomada.local FAIL RENAME CANNOT_RENAME #um semcerquilha :The channel cannot be renamed',
    );
    dono.send('RENAME #nenhuma #x');
    assert.match(await dono.expect(/ 403 /), / 403 dono #nenhuma :No such channel$/);
    dono.send('RENAME #um');
    assert.match(await dono.expect(/ 461 /), / 461 dono RENAME :Not enough parameters$/);
    assert.ok(server.hub.findRoom('#um'));
  });

  it('a registered room keeps its name, and a registered name is not taken by another room', async () => {
    const dona = await reg('fundadora', ['draft/channel-rename'], '#registrada');
    dona.send('PRIVMSG NickServ :REGISTER s3nha-da-fundadora');
    await dona.expect(/ 900 /);
    dona.send('PRIVMSG ChanServ :REGISTER #registrada');
    await dona.expect(/NOTICE fundadora :#registrada is now registered/);
    dona.send('RENAME #registrada #livre');
    assert.equal(
      await dona.expect(/ FAIL /),
      ':tomada.local FAIL RENAME CANNOT_RENAME #registrada #livre :A registered channel keeps its name',
    );
    // Emptied, the registered room is gone from the hub but keeps its name: no other room may take it.
    dona.send('PART #registrada');
    await dona.expect(/ PART #registrada/);
    dona.send('JOIN #outra');
    await dona.expect(/ 366 fundadora #outra /);
    dona.send('RENAME #outra #registrada');
    assert.equal(
      await dona.expect(/ FAIL /),
      ':tomada.local FAIL RENAME CANNOT_RENAME #outra #registrada :A registered channel keeps its name',
    );
    assert.ok(server.hub.findRoom('#outra'));
  });
});
