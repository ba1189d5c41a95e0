import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChatServer, type ChatServer } from '../../../src/server/chat-server.js';
import { lineUser } from '../../helpers/wire.js';
import { RawClient } from './client.js';

const CS = ':ChanServ!ChanServ@services.tomada NOTICE';

describe('Rooms with an owner: ChanServ on IRC, /register #room on the line door, kept across a restart', () => {
  let dir: string;
  let server: ChatServer;
  const clients: Array<{ close(): void }> = [];
  const start = async () => {
    server = await startChatServer({
      line: { host: '127.0.0.1', port: 0 },
      irc: { host: '127.0.0.1', port: 0 },
      http: null,
      dataDir: dir,
      nickGraceSecs: 0,
    });
  };
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tomada-rooms-'));
    await start();
  });
  after(async () => {
    for (const c of clients) c.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const irc = async (nick: string) => {
    const c = await RawClient.register(server.address('irc')!.port, nick);
    clients.push(c);
    return c;
  };

  it('REGISTER needs a logged-in operator of the room; the founder is made operator on every join', async () => {
    const ana = await irc('ana');
    ana.send('PRIVMSG NickServ :REGISTER s3nha-da-ana');
    await ana.expect(/ 900 /);
    ana.send('JOIN #casa');
    await ana.expect(/ 366 /);
    const bia = await irc('bia');
    bia.send('JOIN #casa');
    await bia.expect(/ 366 /);
    bia.send('PRIVMSG ChanServ :REGISTER #casa');
    assert.equal(
      await bia.expect(/NOTICE/),
      `${CS} bia :Log in to your account first (SASL, or /msg NickServ IDENTIFY PASSWORD).`,
    );
    bia.send('PRIVMSG NickServ :REGISTER s3nha-da-bia');
    await bia.expect(/ 900 /);
    bia.send('PRIVMSG ChanServ :REGISTER #casa');
    assert.equal(await bia.expect(/NOTICE/), `${CS} bia :You are not an operator of #casa.`);
    bia.send('PRIVMSG ChanServ :REGISTER #outra');
    assert.equal(await bia.expect(/NOTICE/), `${CS} bia :You are not in #outra.`);
    bia.send('PRIVMSG ChanServ :INFO #casa');
    assert.equal(await bia.expect(/NOTICE/), `${CS} bia :#casa is not registered.`);

    ana.send('PRIVMSG chanserv :REGISTER #CASA');
    assert.equal(
      await ana.expect(/NOTICE/),
      `${CS} ana :#casa is now registered to ana: its topic and modes are kept, and you get operator status on every join.`,
    );
    ana.send('PRIVMSG ChanServ :REGISTER #casa');
    assert.equal(await ana.expect(/NOTICE/), `${CS} ana :#casa is already registered.`);
    bia.send('PRIVMSG ChanServ :INFO #casa');
    assert.match(
      await bia.expect(/NOTICE/),
      /^\S+ NOTICE bia :Room #casa: founder ana; registered \d{4}-\d\d-\d\dT\S+Z$/,
    );

    ana.send('TOPIC #casa :a casa da ana', 'MODE #casa +mk chave', 'MODE #casa +b troll!*@*');
    await ana.expect(/ MODE #casa \+b /);
    // The founder leaves and comes back: the server makes her an operator again, and everyone sees it.
    ana.send('PART #casa', 'JOIN #casa chave');
    assert.equal(await bia.expect(/ MODE #casa \+o/), ':tomada.local MODE #casa +o ana');
    assert.equal(await ana.expect(/ MODE #casa \+o/), ':tomada.local MODE #casa +o ana');
    bia.send('PRIVMSG ChanServ :DROP #casa');
    assert.equal(await bia.expect(/NOTICE/), `${CS} bia :Only the founder of #casa may do that.`);
  });

  it('the line door: /register #room by its operator, logged in', async () => {
    const caio = await lineUser(server.address('line')!.port, 'caio');
    clients.push(caio);
    caio.send('/join #linha\n');
    await caio.waitFor(/#linha.*\n/);
    caio.send('/register #linha\n');
    assert.equal(await caio.waitFor(/.*\n/), '* Log in first: /login PASSWORD\n');
    caio.send('/register senha-do-caio\n');
    await caio.waitFor('you are logged in.\n');
    caio.send('/register #linha\n');
    assert.equal(
      await caio.waitFor(/.*\n/),
      '* #linha is now registered to caio: its topic and modes are kept, and you get operator status on every join.\n',
    );
    caio.send('/topic o tópico da linha\n');
    await caio.waitFor('o tópico da linha');
  });

  it('after a restart on the same data directory: topic, key, modes and bans are back; only the founder is made operator', async () => {
    await server.close();
    await start();
    const zeca = await irc('zeca');
    zeca.send('JOIN #casa');
    assert.equal(await zeca.expect(/ 475 /), ':tomada.local 475 zeca #casa :Cannot join channel (+k)');
    zeca.send('JOIN #casa chave');
    assert.equal(await zeca.expect(/ 332 /), ':tomada.local 332 zeca #casa :a casa da ana');
    assert.equal(await zeca.expect(/ 353 /), ':tomada.local 353 zeca = #casa zeca', 'made by zeca, not his');
    zeca.send('MODE #casa', 'MODE #casa b');
    assert.equal(await zeca.expect(/ 324 /), ':tomada.local 324 zeca #casa +kmnt chave');
    assert.match(await zeca.expect(/ 367 /), /^:tomada\.local 367 zeca #casa troll!\*@\* ana \d+$/);
    zeca.send('TOPIC #casa :sou o dono agora');
    assert.equal(await zeca.expect(/ 482 /), ":tomada.local 482 zeca #casa :You're not channel operator");

    // The founder comes in without the key and is made operator.
    const ana = await irc('ana');
    ana.send('PRIVMSG NickServ :IDENTIFY s3nha-da-ana');
    await ana.expect(/ 900 /);
    ana.send('JOIN #casa');
    assert.equal(await zeca.expect(/ MODE #casa /), ':tomada.local MODE #casa +o ana');
    const linha = await irc('leitor');
    linha.send('JOIN #linha');
    assert.equal(await linha.expect(/ 332 /), ':tomada.local 332 leitor #linha :o tópico da linha');

    ana.send('PRIVMSG ChanServ :DROP #casa');
    assert.equal(await ana.expect(/NOTICE/), `${CS} ana :#casa is no longer registered.`);
    ana.send('PRIVMSG ChanServ :INFO #casa');
    assert.equal(await ana.expect(/NOTICE/), `${CS} ana :#casa is not registered.`);
  });
});
