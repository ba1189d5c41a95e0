import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryAccountStore } from '../../../src/core/account-store.js';
import { startChatServer, type ChatServer } from '../../../src/server/chat-server.js';
import { lineUser } from '../../helpers/wire.js';
import { RawClient } from './client.js';

const NS = ':NickServ!NickServ@services.tomada NOTICE';

describe('IRC: the built-in NickServ', () => {
  let server: ChatServer;
  let store: MemoryAccountStore;
  const closers: Array<() => void> = [];
  before(async () => {
    store = new MemoryAccountStore();
    server = await startChatServer(
      { line: { host: '127.0.0.1', port: 0 }, irc: { host: '127.0.0.1', port: 0 }, http: null, dataDir: ':memory:' },
      { accountStore: store },
    );
  });
  after(async () => {
    for (const c of closers) c();
    await server.close();
  });
  const client = async (nick: string, caps: string[] = []) => {
    const c = await RawClient.register(server.address('irc')!.port, nick, caps);
    closers.push(() => c.close());
    return c;
  };

  it('REGISTER, IDENTIFY, INFO, SET PASSWORD, LOGOUT and DROP, with 900/901; passwords never reach the hub', async () => {
    // Someone on the line door who took the name NickServ gets nothing of what is sent to the service.
    const impostor = await lineUser(server.address('line')!.port, 'NickServ');
    closers.push(() => impostor.close());
    const ana = await client('ana');
    ana.send('PRIVMSG NickServ :REGISTER abc');
    assert.equal(await ana.expect(/NOTICE/), `${NS} ana :the password is too short (at least 4 characters)`);
    ana.send('PRIVMSG NickServ :REGISTER s3nha-da-ana');
    assert.equal(await ana.expect(/NOTICE/), `${NS} ana :The nickname ana is now registered to you.`);
    assert.equal(
      await ana.expect(/ 900 /),
      ':tomada.local 900 ana ana!ana@127.0.0.1 ana :You are now logged in as ana',
    );
    assert.ok(await store.get('ana'));

    const other = await client('outro', ['account-notify']);
    other.send('PRIVMSG nickserv :IDENTIFY ana errada');
    assert.equal(await other.expect(/NOTICE/), `${NS} outro :! Wrong account or password.`);
    other.send('PRIVMSG NickServ :INFO ana');
    assert.match(await other.expect(/NOTICE/), /:Account ana: registered \S+Z; logged in now: yes$/);
    other.send('PRIVMSG NickServ :IDENTIFY ana s3nha-da-ana');
    assert.match(await other.expect(/ 900 /), / outro outro!outro@127\.0\.0\.1 ana :/);
    other.send('PRIVMSG NickServ :SET PASSWORD nova-senha');
    assert.equal(await other.expect(/NOTICE/), `${NS} outro :The password of ana is changed.`);
    other.send('PRIVMSG NickServ :LOGOUT');
    assert.equal(await other.expect(/ 901 /), ':tomada.local 901 outro outro!outro@127.0.0.1 :You are now logged out');

    ana.send('PRIVMSG NickServ :DROP s3nha-da-ana');
    assert.equal(await ana.expect(/NOTICE/), `${NS} ana :! Wrong account or password.`);
    ana.send('PRIVMSG NickServ :DROP nova-senha');
    assert.equal(await ana.expect(/NOTICE/), `${NS} ana :The account ana is deleted.`);
    await ana.expect(/ 901 /);
    assert.equal(await store.get('ana'), undefined);
    ana.send('PRIVMSG NickServ :FOO');
    assert.equal(await ana.expect(/NOTICE/), `${NS} ana :Unknown command FOO: /msg NickServ HELP`);
    ana.send('PING :fim');
    await ana.expect(/PONG/);
    assert.ok(!impostor.received.includes('s3nha') && !impostor.received.includes('REGISTER'), impostor.received);
  });
});
