import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryAccountStore } from '../../../src/core/account-store.js';
import { startChatServer, type ChatServer } from '../../../src/server/chat-server.js';
import { RawClient } from './client.js';

const servers: ChatServer[] = [];
const clients: RawClient[] = [];
after(async () => {
  for (const c of clients) c.close();
  for (const s of servers) await s.close();
});

async function serve(registration: 'open' | 'closed' = 'open') {
  const store = new MemoryAccountStore();
  const server = await startChatServer(
    { line: null, irc: { host: '127.0.0.1', port: 0 }, http: null, dataDir: ':memory:', registration },
    { accountStore: store },
  );
  servers.push(server);
  return { store, port: server.address('irc')!.port };
}

async function user(port: number, nick: string, caps = ['draft/account-registration', 'account-notify']) {
  const c = await RawClient.register(port, nick, caps);
  clients.push(c);
  return c;
}

describe('IRC draft/account-registration', () => {
  it('REGISTER * * PASSWORD registers the nickname and logs in (REGISTER SUCCESS, 900); FAIL codes of the spec', async () => {
    const { store, port } = await serve();
    const early = new RawClient(port);
    clients.push(early);
    await early.ready;
    early.send('CAP LS 302');
    assert.match(await early.expect(/ CAP \* LS /), / draft\/account-registration /);
    early.send('NICK cedo', 'REGISTER * * s3nha-boa');
    assert.equal(
      await early.expect(/FAIL/),
      ':tomada.local FAIL REGISTER COMPLETE_CONNECTION_REQUIRED :Register your account after connecting (after the welcome).',
    );

    const ana = await user(port, 'ana');
    ana.send('REGISTER bia * s3nha-boa');
    assert.equal(
      await ana.expect(/FAIL/),
      ':tomada.local FAIL REGISTER ACCOUNT_NAME_MUST_BE_NICK bia :The account name is your nickname: REGISTER ana (or *) EMAIL|* PASSWORD.',
    );
    ana.send('REGISTER * * abc');
    assert.equal(
      await ana.expect(/FAIL/),
      ':tomada.local FAIL REGISTER WEAK_PASSWORD ana :the password is too short (at least 4 characters)',
    );
    ana.send(`REGISTER ANA * ${'x'.repeat(300)}`);
    assert.equal(
      await ana.expect(/FAIL/),
      ':tomada.local FAIL REGISTER UNACCEPTABLE_PASSWORD ANA :the password is too long (at most 256 bytes)',
    );
    ana.send('REGISTER ana');
    assert.equal(
      await ana.expect(/FAIL/),
      ':tomada.local FAIL REGISTER NEED_MORE_PARAMS * :Usage: REGISTER ACCOUNT|* EMAIL|* PASSWORD',
    );
    assert.equal(await store.get('ana'), undefined);
    ana.send('REGISTER ana ana@example.org s3nha-boa');
    assert.equal(
      await ana.expect(/REGISTER SUCCESS/),
      ':tomada.local REGISTER SUCCESS ana :The nickname ana is now registered to you.',
    );
    assert.equal(
      await ana.expect(/ 900 /),
      ':tomada.local 900 ana ana!ana@127.0.0.1 ana :You are now logged in as ana',
    );
    assert.equal((await store.get('ana'))?.name, 'ana');
    ana.send('REGISTER * * outra-senha');
    assert.equal(
      await ana.expect(/FAIL/),
      ':tomada.local FAIL REGISTER ALREADY_AUTHENTICATED ana :You are already logged in as ana.',
    );
    ana.send('VERIFY ana 123456');
    assert.equal(
      await ana.expect(/FAIL/),
      ':tomada.local FAIL VERIFY ALREADY_AUTHENTICATED ana :You are already logged in as ana.',
    );

    // Someone else under a name registered meanwhile: ACCOUNT_EXISTS; VERIFY is never needed.
    const other = await user(port, 'bia');
    other.send('NICK ANA');
    await other.expect(/ 433 /);
    other.send('VERIFY bia 123456');
    assert.equal(
      await other.expect(/FAIL/),
      ':tomada.local FAIL VERIFY INVALID_CODE bia :No verification is needed on this server: REGISTER logs you in at once.',
    );
    ana.send('QUIT');
    await ana.waitClosed();
    other.send('NICK Ana');
    await other.expect(/ NICK :?Ana/);
    other.send('REGISTER * * s3nha-dela');
    assert.equal(
      await other.expect(/FAIL/),
      ':tomada.local FAIL REGISTER ACCOUNT_EXISTS Ana :The nickname Ana is already registered: /msg NickServ IDENTIFY PASSWORD',
    );
  });

  it('the per-address rate limit: TEMPORARILY_UNAVAILABLE after a few registrations', async () => {
    const { port } = await serve();
    for (const nick of ['um', 'dois', 'tres']) {
      const c = await user(port, nick);
      c.send('REGISTER * * s3nha-boa');
      await c.expect(/REGISTER SUCCESS/);
    }
    const c = await user(port, 'quatro');
    c.send('REGISTER * * s3nha-boa');
    assert.match(
      await c.expect(/FAIL/),
      /^:tomada\.local FAIL REGISTER TEMPORARILY_UNAVAILABLE quatro :! Too many registrations from your address; try again in \d+ s\.$/,
    );
  });

  it('--registration closed: the capability is not offered, REGISTER says TEMPORARILY_UNAVAILABLE', async () => {
    const { store, port } = await serve('closed');
    const c = new RawClient(port);
    clients.push(c);
    await c.ready;
    c.send('CAP LS 302', 'CAP REQ draft/account-registration');
    assert.doesNotMatch(await c.expect(/ CAP \* LS /), /account-registration/);
    assert.equal(await c.expect(/ CAP \* NAK /), ':tomada.local CAP * NAK :draft/account-registration');
    c.send('NICK ana', 'USER ana 0 * :Ana', 'CAP END');
    await c.expect(/ 376 /);
    c.send('REGISTER * * s3nha-boa');
    assert.equal(
      await c.expect(/FAIL/),
      ':tomada.local FAIL REGISTER TEMPORARILY_UNAVAILABLE ana :! Registration is closed on this server.',
    );
    assert.equal(await store.get('ana'), undefined);
  });
});
