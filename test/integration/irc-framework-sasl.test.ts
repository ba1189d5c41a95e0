import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import selfsigned from 'selfsigned';
import { writeSelfSignedCert } from '../../src/cli/commands/cert.js';
import { MemoryAccountStore } from '../../src/core/account-store.js';
import { MemoryCertStore, normaliseFingerprint } from '../../src/core/cert-store.js';
import { hashPassword } from '../../src/core/passwords.js';
import { startChatServer, type ChatServer } from '../../src/server/chat-server.js';

/** The part of irc-framework's Client this test uses (the package ships no type declarations). */
interface IrcClient extends EventEmitter {
  connect(options: Record<string, unknown>): void;
  whois(nick: string, cb: (e: Record<string, unknown>) => void): void;
  quit(message?: string): void;
  network: { cap: { enabled: string[] } };
}

const require = createRequire(import.meta.url);
const { Client } = require('irc-framework') as { Client: new (options?: Record<string, unknown>) => IrcClient };

function once<T = Record<string, unknown>>(client: IrcClient, name: string, ms = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`irc-framework: no '${name}' in ${ms} ms`)), ms);
    client.once(name, (e: T) => {
      clearTimeout(timer);
      resolve(e);
    });
  });
}

const servers: ChatServer[] = [];
const clients: IrcClient[] = [];
after(async () => {
  for (const c of clients) c.quit('fim');
  for (const s of servers) await s.close();
});

/** An in-process server with only the IRC door and the account `name` (password `password`); closed after the file. */
async function ircServerWithAccount(name: string, password: string): Promise<ChatServer> {
  const store = new MemoryAccountStore();
  await store.create(name, await hashPassword(password));
  const server = await startChatServer(
    { line: null, irc: { host: '127.0.0.1', port: 0 }, http: null, dataDir: ':memory:' },
    { accountStore: store },
  );
  servers.push(server);
  return server;
}

/** A new irc-framework client that does not reconnect; it quits after the file. */
function newClient(): IrcClient {
  const client = new Client({ auto_reconnect: false });
  clients.push(client);
  return client;
}

/** Connects `client` to the IRC door of `server` as `nick`, logging in to the account `nick` with SASL PLAIN. */
function connectPlain(client: IrcClient, server: ChatServer, nick: string, password: string): void {
  client.connect({
    host: '127.0.0.1',
    port: server.address('irc')!.port,
    nick,
    username: nick,
    account: { account: nick, password },
  });
}

describe('irc-framework (npm) logs in with SASL PLAIN', () => {
  it('is logged in before the welcome, and WHOIS shows the account', async () => {
    const server = await ircServerWithAccount('ana', 's3nha-da-ana');
    const client = newClient();
    const loggedIn = once<{ account: string }>(client, 'loggedin');
    const registered = once(client, 'registered');
    connectPlain(client, server, 'ana', 's3nha-da-ana');
    assert.equal((await loggedIn).account, 'ana');
    await registered;
    assert.ok(client.network.cap.enabled.includes('sasl'));
    const info = await new Promise<Record<string, unknown>>((resolve) => client.whois('ana', resolve));
    assert.equal(info.account, 'ana');
  });

  it('a wrong password: irc-framework reports the SASL failure and still registers as a guest', async () => {
    const server = await ircServerWithAccount('bia', 's3nha-da-bia');
    const client = newClient();
    const failed = once<{ reason: string }>(client, 'sasl failed');
    const registered = once(client, 'registered');
    connectPlain(client, server, 'bia', 'errada');
    assert.equal((await failed).reason, 'fail');
    await registered;
    assert.equal(server.hub.findUser('bia')!.account, undefined);
  });
});

describe('irc-framework (npm) logs in with SASL EXTERNAL: a client certificate on --ircs', () => {
  it('the certificate added to an account logs in before the welcome; WHOIS shows the account', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tomada-ircfw-'));
    try {
      const tls = await writeSelfSignedCert({ out: dir, days: 1, hosts: ['127.0.0.1'] });
      const mine = await selfsigned.generate([{ name: 'commonName', value: 'ana' }], {
        keySize: 2048,
        algorithm: 'sha256',
        extensions: [{ name: 'extKeyUsage', clientAuth: true }],
      });
      const store = new MemoryAccountStore();
      await store.create('ana', await hashPassword('s3nha-da-ana'));
      const certs = new MemoryCertStore(async (a) => (await store.get(a))?.name);
      await certs.add('ana', normaliseFingerprint(new X509Certificate(mine.cert).fingerprint256)!);
      const server = await startChatServer(
        {
          line: null,
          irc: null,
          ircs: { host: '127.0.0.1', port: 0 },
          http: null,
          tlsCert: tls.cert,
          tlsKey: tls.key,
          dataDir: ':memory:',
        },
        { accountStore: store, certStore: certs },
      );
      servers.push(server);
      const client = newClient();
      const loggedIn = once<{ account: string }>(client, 'loggedin');
      const registered = once(client, 'registered');
      client.connect({
        host: '127.0.0.1',
        port: server.address('ircs')!.port,
        tls: true,
        rejectUnauthorized: false,
        client_certificate: { private_key: mine.private, certificate: mine.cert },
        sasl_mechanism: 'EXTERNAL',
        nick: 'qualquer',
        username: 'q',
      });
      assert.equal((await loggedIn).account, 'ana');
      await registered;
      const info = await new Promise<Record<string, unknown>>((resolve) => client.whois('qualquer', resolve));
      assert.equal(info.account, 'ana');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
