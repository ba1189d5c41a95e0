import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { Writable } from 'node:stream';
import { MemoryAccountStore } from '../../src/core/account-store.js';
import { hashPassword } from '../../src/core/passwords.js';
import { startChatServer, type ChatServer } from '../../src/server/chat-server.js';
import { RawClient } from '../protocols/irc/client.js';
import { RedisServer } from './redis.js';

// NickServ RECOVER of a nickname held by a guest on another node of the network: the ghost's node ends
// the session, and the asker gets the name in the same request (it used to fail once: "try again").
const redis = new RedisServer();
const servers: ChatServer[] = [];
const clients: RawClient[] = [];
const NS = ':NickServ!NickServ@services.tomada NOTICE';

before(async () => {
  assert.ok(RedisServer.available(), 'redis-server is missing: run `bash scripts/setup-test-deps.sh` as root');
  await redis.start();
});
after(async () => {
  for (const c of clients) c.close();
  await Promise.all(servers.map((s) => s.close()));
  await redis.dispose();
});

describe('NickServ RECOVER across nodes', () => {
  it('disconnects the ghost on the other node and gives the nickname at once', async () => {
    // One account store for both nodes, as PostgreSQL is in a real network.
    const accounts = new MemoryAccountStore();
    await accounts.create('ana', await hashPassword('s3nha-da-ana'));
    const quiet = pino({ level: 'silent' }, new Writable({ write: (_c, _e, done) => done() }));
    for (const nodeName of ['a', 'b']) {
      servers.push(
        await startChatServer(
          {
            line: null,
            irc: { host: '127.0.0.1', port: 0 },
            http: null,
            dataDir: ':memory:',
            network: `recover${process.pid}`,
            cluster: redis.url,
            nodeName,
          },
          { logger: quiet, accountStore: accounts },
        ),
      );
    }
    const [a, b] = servers as [ChatServer, ChatServer];
    const squatter = await RawClient.register(b.address('irc')!.port, 'ana');
    clients.push(squatter);
    const owner = await RawClient.register(a.address('irc')!.port, 'dona');
    clients.push(owner);
    // Node A learns of the squatter through the bus: WHOIS answers once it has.
    for (let tries = 0; ; tries++) {
      const from = owner.lines.length;
      owner.send('WHOIS ana');
      await owner.expect(/ 318 dona /);
      if (owner.since(from).some((l) => / 311 dona ana /.test(l))) break;
      assert.ok(tries < 500, 'node A never learned of ana on node B');
    }

    owner.send('PRIVMSG NickServ :RECOVER ana s3nha-da-ana');
    await owner.expect(/ 900 dona /);
    assert.equal(await owner.expect(/NOTICE/), `${NS} dona :ana has been disconnected.`);
    assert.match(
      await squatter.expect(/^ERROR/),
      /^ERROR :Closing Link: 127\.0\.0\.1 \(Disconnected by NickServ \(GHOST by dona\)\)$/,
    );
    assert.equal(await owner.expect(/ NICK /), ':dona!dona@127.0.0.1 NICK ana');
    assert.equal(await owner.expect(/NOTICE/), `${NS} ana :You have recovered the nickname ana.`);
    assert.equal(a.hub.findUser('ana')?.account, 'ana');
    // Node B sees the same person under the name now.
    const other = await RawClient.register(b.address('irc')!.port, 'bia');
    clients.push(other);
    for (let tries = 0; ; tries++) {
      const from = other.lines.length;
      other.send('WHOIS ana');
      await other.expect(/ 318 bia /);
      if (other.since(from).some((l) => / 311 bia ana dona /.test(l))) break;
      assert.ok(tries < 500, 'node B never learned that dona is now ana');
    }
  });
});
