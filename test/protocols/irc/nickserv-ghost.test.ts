import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryAccountStore } from '../../../src/core/account-store.js';
import { hashPassword } from '../../../src/core/passwords.js';
import { RawClient } from './client.js';
import { ircSuite } from './suite.js';

const NS = ':NickServ!NickServ@services.tomada NOTICE';

describe('IRC NickServ GHOST and RECOVER', () => {
  const srv = ircSuite({ line: null }, async () => {
    const store = new MemoryAccountStore();
    await store.create('ana', await hashPassword('s3nha-da-ana'));
    return { accountStore: store };
  });
  const client = async (nick: string) => {
    const c = await RawClient.register(srv.port, nick);
    srv.clients.push(c);
    return c;
  };

  it('GHOST disconnects a guest on one’s nickname; RECOVER with the password also takes it and logs in', async () => {
    const squatter = await client('ana');
    const owner = await client('dona');
    owner.send('PRIVMSG NickServ :GHOST ana');
    assert.equal(
      await owner.expect(/NOTICE/),
      `${NS} dona :ana is not registered to you: log in to its account, or give its password.`,
    );
    owner.send('PRIVMSG NickServ :GHOST ana errada');
    assert.equal(await owner.expect(/NOTICE/), `${NS} dona :! Wrong account or password.`);
    owner.send('PRIVMSG NickServ :GHOST ninguem x');
    assert.equal(await owner.expect(/NOTICE/), `${NS} dona :ninguem is not online.`);
    owner.send('PRIVMSG NickServ :GHOST dona');
    assert.equal(await owner.expect(/NOTICE/), `${NS} dona :dona is you.`);

    owner.send('PRIVMSG NickServ :RECOVER ana s3nha-da-ana');
    assert.equal(
      await owner.expect(/ 900 /),
      ':tomada.local 900 dona dona!dona@127.0.0.1 ana :You are now logged in as ana',
    );
    assert.equal(await owner.expect(/NOTICE/), `${NS} dona :ana has been disconnected.`);
    assert.equal(await owner.expect(/ NICK /), ':dona!dona@127.0.0.1 NICK ana');
    assert.equal(await owner.expect(/NOTICE/), `${NS} ana :You have recovered the nickname ana.`);
    assert.match(
      await squatter.expect(/^ERROR/),
      /^ERROR :Closing Link: 127\.0\.0\.1 \(Disconnected by NickServ \(GHOST by dona\)\)$/,
    );
    await squatter.waitClosed();
    const me = srv.server.hub.findUser('ana')!;
    assert.equal(me.account, 'ana');
  });

  it('a session logged in to the account is left alone; an owner logged in needs no password', async () => {
    // The first test left ana (logged in) on the nickname ana.
    const second = await client('segunda');
    second.send('PRIVMSG NickServ :IDENTIFY ana s3nha-da-ana');
    await second.expect(/ 900 /);
    second.send('PRIVMSG NickServ :GHOST ana');
    assert.equal(
      await second.expect(/NOTICE/),
      `${NS} segunda :ana is logged in to its account: that session is yours already.`,
    );
    const first = srv.server.hub.findUser('ana')!;
    await srv.server.hub.changeNick(first, 'ana_fora');
    const guest = await client('visita');
    guest.send('NICK ana');
    await guest.expect(/ NICK /);
    second.send('PRIVMSG NickServ :GHOST ana');
    assert.equal(await second.expect(/NOTICE/), `${NS} segunda :ana has been disconnected.`);
    await guest.waitClosed();
    assert.equal(srv.server.hub.findUser('ana'), undefined, 'GHOST leaves the nickname free');
  });
});
