import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryAccountStore } from '../../src/core/account-store.js';
import { hashPassword } from '../../src/core/passwords.js';
import { startChatServer, type ChatServer } from '../../src/server/chat-server.js';
import { lineUser, type WireClient } from '../helpers/wire.js';
import { RawClient } from './irc/client.js';
import { JsonClient } from './web/helpers.js';
import { api } from './web/sign-in-helpers.js';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

describe('nick protection (--nick-grace): a registered nickname without login becomes a guest name', () => {
  let server: ChatServer;
  const closers: Array<() => unknown> = [];
  before(async () => {
    const store = new MemoryAccountStore();
    for (const n of ['ana', 'bia', 'caio', 'dora', 'eva', 'fabi', 'gil'])
      await store.create(n, await hashPassword(`s3nha-${n}`));
    server = await startChatServer(
      {
        line: { host: '127.0.0.1', port: 0 },
        irc: { host: '127.0.0.1', port: 0 },
        http: { host: '127.0.0.1', port: 0 },
        dataDir: ':memory:',
        // Long enough for a password check (scrypt) on a loaded machine: the login must land inside it.
        nickGraceSecs: 2,
      },
      { accountStore: store },
    );
  });
  after(async () => {
    for (const c of closers) c();
    await server.close();
  });
  const irc = () => server.address('irc')!.port;

  it('IRC: warned by NOTICE, then renamed; the others see NICK, and the line door a line', async () => {
    const watcher: WireClient = await lineUser(server.address('line')!.port, 'vigia');
    closers.push(() => watcher.close());
    const c = await RawClient.register(irc(), 'ana');
    closers.push(() => c.close());
    assert.match(
      await c.expect(/ NOTICE /),
      /^:tomada\.local NOTICE ana :The nickname ana is registered: log in within 2 seconds/,
    );
    c.send('JOIN #geral');
    await c.expect(/ 366 /);
    const nick = await c.expect(/ NICK /);
    assert.match(nick, /^:ana!ana@127\.0\.0\.1 NICK Guest\d{5}$/);
    const guest = nick.split(' ')[2]!;
    await watcher.waitFor(`* ana is now ${guest}\n`);
    assert.equal(server.hub.findUser(guest)!.account, undefined);
  });

  it('IRC: logging in during the grace (SASL 3.2) keeps the name; a SASL login before registration is never warned', async () => {
    const c = await RawClient.register(irc(), 'bia', ['sasl']);
    closers.push(() => c.close());
    await c.expect(/ NOTICE bia :The nickname bia is registered/);
    c.send('AUTHENTICATE PLAIN');
    await c.expect(/^AUTHENTICATE \+$/);
    c.send(`AUTHENTICATE ${b64('\0bia\0s3nha-bia')}`);
    await c.expect(/ 903 /);
    const d = new RawClient(irc());
    closers.push(() => d.close());
    await d.ready;
    d.send('CAP REQ :sasl', 'NICK caio', 'USER caio 0 * :C', 'AUTHENTICATE PLAIN');
    await d.expect(/^AUTHENTICATE \+$/);
    d.send(`AUTHENTICATE ${b64('\0caio\0s3nha-caio')}`, 'CAP END');
    await d.expect(/ 376 /);
    // A guest who came in after both is renamed after both graces would have ended: they kept their names.
    const e = await RawClient.register(irc(), 'eva');
    closers.push(() => e.close());
    await e.expect(/ NICK Guest/);
    assert.equal(server.hub.findUser('bia')?.account, 'bia');
    assert.equal(server.hub.findUser('caio')?.account, 'caio');
    assert.ok(!d.lines.some((l) => / NOTICE caio /.test(l) || / NICK /.test(l)), d.lines.join('\n'));
    assert.ok(!c.lines.some((l) => / NICK /.test(l)));
  });

  it('web: warned with NICK_PROTECTED, then the rename event', async () => {
    const url = `ws://127.0.0.1:${server.address('http')!.port}`;
    const w = await JsonClient.chat(url, 'dora');
    closers.push(() => void w.close());
    const warn = await w.next((m) => m.type === 'error' && m.code === 'NICK_PROTECTED');
    assert.match(String(warn.text), /^The nickname dora is registered to someone else: in 2 seconds/);
    const rename = await w.next((m) => m.type === 'presence' && m.event === 'nick');
    assert.equal(rename.old, 'dora');
    assert.match(String(rename.nick), /^Guest\d{5}$/);
  });

  it('web: hello.password with a registered nickname logs in (no warning); a wrong one is refused', async () => {
    const url = `ws://127.0.0.1:${server.address('http')!.port}`;
    const bad = await JsonClient.open(url);
    closers.push(() => void bad.close());
    bad.send({ type: 'hello', nick: 'fabi', password: 'errada' });
    assert.equal((await bad.next((m) => m.type === 'error')).code, 'BAD_PASSWORD');
    const w = await JsonClient.open(url);
    closers.push(() => void w.close());
    w.send({ type: 'hello', nick: 'fabi', password: 's3nha-fabi' });
    await w.next((m) => m.type === 'welcome');
    assert.equal(server.hub.findUser('fabi')!.account, 'fabi');
    // A guest who came after is renamed first; fabi was never warned.
    const g = await RawClient.register(irc(), 'ana');
    closers.push(() => g.close());
    await g.expect(/ NICK Guest/);
    assert.ok(!w.received.some((m) => m.code === 'NICK_PROTECTED'));
  });

  it('web: signed in with the cookie, never warned; signing out while holding the name starts the grace', async () => {
    const port = server.address('http')!.port;
    const { cookie } = await api(`http://127.0.0.1:${port}/`, 'api/login', { name: 'gil', password: 's3nha-gil' });
    const w = await JsonClient.open(`ws://127.0.0.1:${port}`, { headers: { Cookie: `tomada_session=${cookie}` } });
    closers.push(() => void w.close());
    w.send({ type: 'hello', nick: 'gil' });
    assert.equal((await w.next((m) => m.type === 'welcome')).account, 'gil');
    assert.equal((await api(`http://127.0.0.1:${port}/`, 'api/logout', {}, { cookie })).status, 200);
    const warn = await w.next((m) => m.type === 'error' && m.code === 'NICK_PROTECTED');
    assert.equal(warn.nick, 'gil');
    const rename = await w.next((m) => m.type === 'presence' && m.event === 'nick');
    assert.match(String(rename.nick), /^Guest\d{5}$/);
  });
});
