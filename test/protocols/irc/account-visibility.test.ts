import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryAccountStore } from '../../../src/core/account-store.js';
import { hashPassword } from '../../../src/core/passwords.js';
import { RawClient } from './client.js';
import { ircSuite } from './suite.js';

describe('IRC: who is logged in, as others see it (WHOIS 330, WHOX %a, account-notify, extended-join, $a: bans)', () => {
  const srv = ircSuite({ line: null, nickGraceSecs: 0 }, async () => {
    const store = new MemoryAccountStore();
    await store.create('ana', await hashPassword('s3nha-da-ana'));
    return { accountStore: store };
  });
  const client = async (nick: string, caps: string[] = []) => {
    const c = await RawClient.register(srv.port, nick, caps);
    srv.clients.push(c);
    return c;
  };

  it('login and logout are seen in WHOIS, WHOX, ACCOUNT, the join line and the account tag', async () => {
    const w = await client('vigia', ['account-notify', 'extended-join', 'account-tag']);
    w.send('JOIN #sala');
    await w.expect(/ 366 /);
    const ana = await client('disfarce');
    ana.send('JOIN #sala');
    assert.equal(await w.expect(/ JOIN /), ':disfarce!disfarce@127.0.0.1 JOIN #sala * :Real disfarce');
    w.send('WHO #sala %tna,42');
    const guests = await w.collect(/ 315 /);
    assert.ok(guests.includes(':tomada.local 354 vigia 42 disfarce 0'), guests.join('\n'));
    w.send('WHOIS disfarce');
    assert.ok(!(await w.collect(/ 318 /)).some((l) => / 330 /.test(l)), 'no 330 for a guest');

    ana.send('PRIVMSG NickServ :IDENTIFY ana s3nha-da-ana');
    await ana.expect(/ 900 /);
    assert.equal(await w.expect(/ ACCOUNT /), ':disfarce!disfarce@127.0.0.1 ACCOUNT ana');
    w.send('WHO disfarce %tna,7');
    assert.equal(await w.expect(/ 354 /), ':tomada.local 354 vigia 7 disfarce ana');
    w.send('WHOIS disfarce');
    assert.equal(await w.expect(/ 330 /), ':tomada.local 330 vigia disfarce ana :is logged in as');
    ana.send('PRIVMSG #sala :sou eu');
    assert.match(await w.expect(/ PRIVMSG /), /^@account=ana :disfarce!disfarce@127\.0\.0\.1 PRIVMSG #sala :sou eu$/);
    ana.send('PART #sala', 'JOIN #sala');
    assert.equal(await w.expect(/ JOIN /), ':disfarce!disfarce@127.0.0.1 JOIN #sala ana :Real disfarce');

    ana.send('PRIVMSG NickServ :LOGOUT');
    await ana.expect(/ 901 /);
    assert.equal(await w.expect(/ ACCOUNT /), ':disfarce!disfarce@127.0.0.1 ACCOUNT *');
    ana.send('PRIVMSG #sala :de novo');
    assert.match(await w.expect(/ PRIVMSG /), /^:disfarce!disfarce@127\.0\.0\.1 PRIVMSG #sala :de novo$/);
  });

  it('+b $a:account bans whoever is logged in to it, under any nick; listed as set; $m: mutes like m:', async () => {
    const op = await client('dono');
    op.send('JOIN #fechada');
    await op.expect(/ 366 /);
    op.send('MODE #fechada +b $a:ANA');
    assert.equal(await op.expect(/ MODE #fechada/), ':dono!dono@127.0.0.1 MODE #fechada +b $a:ANA');
    op.send('MODE #fechada +b $m:calado!*@*', 'MODE #fechada b');
    assert.equal(await op.expect(/ MODE #fechada/), ':dono!dono@127.0.0.1 MODE #fechada +b m:calado!*@*');
    const bans = await op.collect(/ 368 /);
    assert.match(bans[0]!, /^:tomada\.local 367 dono #fechada \$a:ANA dono \d+$/);
    assert.match(bans[1]!, /^:tomada\.local 367 dono #fechada m:calado!\*@\* dono \d+$/);

    const x = await client('qualquer');
    x.send('JOIN #fechada');
    await x.expect(/ 366 qualquer #fechada /);
    x.send('PART #fechada', 'PRIVMSG NickServ :IDENTIFY ana s3nha-da-ana');
    await x.expect(/ 900 /);
    x.send('JOIN #fechada');
    assert.equal(await x.expect(/ 474 /), ':tomada.local 474 qualquer #fechada :Cannot join channel (+b)');
    x.send('PRIVMSG NickServ :LOGOUT', 'JOIN #fechada');
    await x.expect(/ 366 qualquer #fechada /);
    // Logged in again while inside: the ban keeps the account from speaking.
    x.send('PRIVMSG NickServ :IDENTIFY ana s3nha-da-ana');
    await x.expect(/ 900 /);
    x.send('PRIVMSG #fechada :posso?');
    assert.match(await x.expect(/ 404 /), /^:tomada\.local 404 qualquer #fechada :/);
  });
});
