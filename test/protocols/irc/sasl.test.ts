import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryAccountStore } from '../../../src/core/account-store.js';
import { hashPassword } from '../../../src/core/passwords.js';
import { startChatServer, type ChatServer } from '../../../src/server/chat-server.js';
import { ScramClient } from '../scram-client.js';
import { RawClient } from './client.js';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const LONG = 'n'.repeat(30); // a 30-character account: its PLAIN payload is exactly 400 base64 bytes below

let server: ChatServer;
let port: number;
const clients: RawClient[] = [];
before(async () => {
  const store = new MemoryAccountStore();
  await store.create('ana', await hashPassword('s3nha-da-ana'));
  await store.create('bia', await hashPassword('s3nha-da-bia'));
  await store.create('lia', await hashPassword('s3nha-da-lia'));
  await store.create(LONG, await hashPassword('p'.repeat(238)));
  server = await startChatServer(
    { line: null, irc: { host: '127.0.0.1', port: 0 }, http: null, dataDir: ':memory:' },
    { accountStore: store },
  );
  port = server.address('irc')!.port;
});
after(async () => {
  for (const c of clients) c.close();
  await server.close();
});

async function connect(caps = 'sasl'): Promise<RawClient> {
  const c = new RawClient(port);
  clients.push(c);
  await c.ready;
  c.send('CAP LS 302', `CAP REQ :${caps}`);
  await c.expect(/ CAP \* ACK /);
  return c;
}

describe('IRC SASL (ircv3 sasl-3.1/3.2)', () => {
  it('offers sasl with its mechanisms to 302 clients, and the bare name to others', async () => {
    const c = new RawClient(port);
    clients.push(c);
    await c.ready;
    c.send('CAP LS 302');
    assert.match(await c.expect(/ CAP \* LS /), / sasl=PLAIN,SCRAM-SHA-256 account-tag account-notify extended-join /);
    c.send('CAP LS');
    assert.match(await c.expect(/ CAP \* LS /), / sasl account-tag/);
    assert.doesNotMatch(c.lines.at(-1)!, /sasl=/);
  });

  it('PLAIN before registration: AUTHENTICATE +, 900 and 903, then the welcome; the account is on the user', async () => {
    const c = await connect();
    c.send('NICK ana', 'USER ana 0 * :Ana', 'AUTHENTICATE PLAIN');
    assert.equal(await c.expect(/^AUTHENTICATE/), 'AUTHENTICATE +');
    c.send(`AUTHENTICATE ${b64('\0ana\0s3nha-da-ana')}`);
    assert.equal(await c.expect(/ 900 /), ':tomada.local 900 ana ana!ana@127.0.0.1 ana :You are now logged in as ana');
    assert.equal(await c.expect(/ 903 /), ':tomada.local 903 ana :SASL authentication successful');
    c.send('CAP END');
    await c.expect(/ 001 ana /);
    assert.equal(c.lines.filter((l) => / 900 /.test(l)).length, 1, 'one 900');
    assert.equal(server.hub.findUser('ana')!.account, 'ana');
    c.send('WHOIS ana');
    assert.equal(await c.expect(/ 330 /), ':tomada.local 330 ana ana ana :is logged in as');
    c.send('WHO ana %na');
    assert.equal(await c.expect(/ 354 /), ':tomada.local 354 ana ana ana');
  });

  it('the same 904 for a wrong password and an unknown account; 908 lists the mechanisms', async () => {
    const c = await connect();
    const attempt = async (payload: string) => {
      c.send('AUTHENTICATE PLAIN');
      await c.expect(/^AUTHENTICATE \+$/);
      c.send(`AUTHENTICATE ${payload}`);
      return c.expect(/ 90\d /);
    };
    assert.equal(await attempt(b64('ana\0ana\0errada')), ':tomada.local 904 * :SASL authentication failed');
    assert.equal(await attempt(b64('\0ninguem\0errada')), ':tomada.local 904 * :SASL authentication failed');
    assert.equal(await attempt('não é base64!'), ':tomada.local 904 * :SASL authentication failed');
    assert.equal(await attempt(b64('bia\0ana\0s3nha-da-ana')), ':tomada.local 904 * :SASL authentication failed');
    assert.equal(
      await attempt(Buffer.from([0, 0x61, 0, 0xff, 0xfe]).toString('base64')),
      ':tomada.local 904 * :SASL authentication failed',
    );
    c.send('AUTHENTICATE DIGEST-MD5');
    assert.equal(await c.expect(/ 908 /), ':tomada.local 908 * PLAIN,SCRAM-SHA-256 :are available SASL mechanisms');
    assert.equal(await c.expect(/ 904 /), ':tomada.local 904 * :SASL authentication failed');
  });

  it('gathers 400-byte chunks (an exact multiple ends with +); 905 for a longer line; 906 on abort', async () => {
    const c = await connect();
    const payload = b64(`${LONG}\0${LONG}\0${'p'.repeat(238)}`);
    assert.equal(payload.length, 400);
    c.send('AUTHENTICATE PLAIN');
    await c.expect(/^AUTHENTICATE \+$/);
    c.send(`AUTHENTICATE ${payload}`);
    c.send('AUTHENTICATE +');
    assert.match(await c.expect(/ 90[0-9] /), / 900 \* \*!\*@127\.0\.0\.1 n{30} :/);
    await c.expect(/ 903 /);
    c.send('AUTHENTICATE PLAIN');
    assert.equal(await c.expect(/ 907 /), ':tomada.local 907 * :You have already authenticated using SASL');

    const d = await connect();
    d.send('AUTHENTICATE PLAIN');
    await d.expect(/^AUTHENTICATE \+$/);
    d.send(`AUTHENTICATE ${'A'.repeat(401)}`);
    assert.equal(await d.expect(/ 90\d /), ':tomada.local 905 * :SASL message too long');
    d.send('AUTHENTICATE PLAIN');
    await d.expect(/^AUTHENTICATE \+$/);
    for (let i = 0; i < 5; i++) d.send(`AUTHENTICATE ${'A'.repeat(400)}`);
    assert.equal(await d.expect(/ 90\d /), ':tomada.local 905 * :SASL message too long');
    d.send('AUTHENTICATE PLAIN');
    await d.expect(/^AUTHENTICATE \+$/);
    d.send('AUTHENTICATE *');
    assert.equal(await d.expect(/ 906 /), ':tomada.local 906 * :SASL authentication aborted');
    // Registering while an exchange is under way aborts it, and the client comes in as a guest.
    d.send('AUTHENTICATE PLAIN');
    await d.expect(/^AUTHENTICATE \+$/);
    d.send('NICK dani', 'USER d 0 * :D', 'CAP END');
    assert.equal(await d.expect(/ 906 /), ':tomada.local 906 dani :SASL authentication aborted');
    await d.expect(/ 001 dani /);
    assert.equal(server.hub.findUser('dani')!.account, undefined);
  });

  it('SCRAM-SHA-256 (a client written from RFC 5802): the server proves itself, the account is logged in', async () => {
    const c = await connect();
    const scram = new ScramClient('bia', 's3nha-da-bia');
    c.send('AUTHENTICATE SCRAM-SHA-256');
    await c.expect(/^AUTHENTICATE \+$/);
    c.send(`AUTHENTICATE ${b64(scram.clientFirst)}`);
    const serverFirst = Buffer.from((await c.expect(/^AUTHENTICATE /)).slice(13), 'base64').toString();
    assert.match(serverFirst, /^r=[^,]+,s=[A-Za-z0-9+/=]+,i=4096$/);
    c.send(`AUTHENTICATE ${b64(scram.final(serverFirst))}`);
    const serverFinal = Buffer.from((await c.expect(/^AUTHENTICATE /)).slice(13), 'base64').toString();
    assert.equal(serverFinal, scram.expectedServerFinal());
    c.send('AUTHENTICATE +');
    assert.match(await c.expect(/ 900 /), / bia :You are now logged in as bia$/);
    await c.expect(/ 903 /);

    // A wrong password fails at the proof, like a name without an account.
    for (const [user, pass] of [
      ['bia', 'errada'],
      ['ninguem', 'errada'],
    ]) {
      const d = await connect();
      const bad = new ScramClient(user!, pass!);
      d.send('AUTHENTICATE SCRAM-SHA-256');
      await d.expect(/^AUTHENTICATE \+$/);
      d.send(`AUTHENTICATE ${b64(bad.clientFirst)}`);
      const first = Buffer.from((await d.expect(/^AUTHENTICATE /)).slice(13), 'base64').toString();
      d.send(`AUTHENTICATE ${b64(bad.final(first))}`);
      assert.equal(await d.expect(/ 90\d /), ':tomada.local 904 * :SASL authentication failed');
    }
  });

  it('after registration (3.2): others see ACCOUNT, extended-join and account-tag carry the account', async () => {
    const watcher = await connect('account-notify extended-join account-tag');
    watcher.send('NICK vigia', 'USER v 0 * :Vigia', 'CAP END');
    await watcher.expect(/ 376 /);
    watcher.send('JOIN #sala');
    await watcher.expect(/ 366 /);
    const lia = await connect('sasl');
    lia.send('NICK lia', 'USER lia 0 * :Lia Real', 'CAP END');
    await lia.expect(/ 376 /);
    lia.send('JOIN #sala');
    assert.equal(await watcher.expect(/ JOIN /), ':lia!lia@127.0.0.1 JOIN #sala * :Lia Real');
    lia.send('AUTHENTICATE PLAIN');
    await lia.expect(/^AUTHENTICATE \+$/);
    lia.send(`AUTHENTICATE ${b64('\0lia\0s3nha-da-lia')}`);
    assert.equal(
      await lia.expect(/ 900 /),
      ':tomada.local 900 lia lia!lia@127.0.0.1 lia :You are now logged in as lia',
    );
    assert.equal(await watcher.expect(/ ACCOUNT /), ':lia!lia@127.0.0.1 ACCOUNT lia');
    lia.send('PRIVMSG #sala :oi');
    assert.match(await watcher.expect(/ PRIVMSG /), /^@account=lia :lia!lia@127\.0\.0\.1 PRIVMSG #sala :oi$/);
    lia.send('PART #sala', 'JOIN #sala');
    assert.equal(await watcher.expect(/ JOIN /), ':lia!lia@127.0.0.1 JOIN #sala lia :Lia Real');
    // A client without the capabilities sees none of it.
    const plain = await connect('message-tags');
    plain.send('NICK simples', 'USER s 0 * :S', 'CAP END', 'JOIN #sala');
    await plain.expect(/ 366 /);
    lia.send('PRIVMSG #sala :de novo');
    assert.match(
      await plain.expect(/ PRIVMSG #sala :de novo/),
      /^@msgid=\d+ :lia!lia@127\.0\.0\.1 PRIVMSG #sala :de novo$/,
    );
    lia.send('PART #sala', 'JOIN #sala');
    assert.equal(await plain.expect(/ JOIN /), ':lia!lia@127.0.0.1 JOIN #sala');
  });
});

describe('IRC SASL throttling', () => {
  it('a few failures, then 902 (locked out for a while) even with the right password', async () => {
    const store = new MemoryAccountStore();
    await store.create('ana', await hashPassword('s3nha-da-ana'));
    const own = await startChatServer(
      { line: null, irc: { host: '127.0.0.1', port: 0 }, http: null, dataDir: ':memory:' },
      { accountStore: store },
    );
    after(() => own.close());
    const c = new RawClient(own.address('irc')!.port);
    clients.push(c);
    await c.ready;
    c.send('CAP REQ :sasl');
    await c.expect(/ ACK /);
    for (let i = 0; i < 3; i++) {
      c.send('AUTHENTICATE PLAIN');
      await c.expect(/^AUTHENTICATE \+$/);
      c.send(`AUTHENTICATE ${b64('\0ana\0errada')}`);
      await c.expect(/ 904 /);
    }
    c.send('AUTHENTICATE PLAIN');
    await c.expect(/^AUTHENTICATE \+$/);
    c.send(`AUTHENTICATE ${b64('\0ana\0s3nha-da-ana')}`);
    assert.equal(await c.expect(/ 90\d /), ':tomada.local 902 * :Too many failed logins; try again later');
  });
});
