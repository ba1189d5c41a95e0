import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatServer } from '../../src/server/chat-server.js';
import { PostgresAccountStore } from '../../src/storage/postgres-accounts.js';
import { addAccount, ircLogin, type IrcLogin } from '../helpers/irc-account.js';
import type { RawClient } from '../protocols/irc/client.js';
import { PostgresServer, rows } from '../storage/postgres.js';
import { RedisServer } from './redis.js';
import { TestNodes } from './nodes.js';

// Two nodes on a real Redis and one PostgreSQL: what is kept per account (read markers, metadata) and
// per room (registration) is the network's, not a node's.
const redis = new RedisServer();
const postgres = new PostgresServer();
const nodes = new TestNodes(redis);
const clients: RawClient[] = [];
before(async () => {
  assert.ok(RedisServer.available(), 'redis-server is missing: run `bash scripts/setup-test-deps.sh` as root');
  await Promise.all([redis.start(), postgres.start()]);
});
after(async () => {
  for (const c of clients) c.close();
  await nodes.close();
  await Promise.all([redis.dispose(), postgres.dispose()]);
});

const port = (s: ChatServer) => s.address('irc')!.port;
const CAPS = 'draft/read-marker draft/metadata-2 batch sasl';

/** A database with the account `ana` (password `s3nha-de-ana`), and a network of two nodes on it. */
async function network(): Promise<{ url: string; a: ChatServer; b: ChatServer; name: string }> {
  const url = await postgres.createDatabase();
  const accounts = await PostgresAccountStore.open(url);
  await addAccount(accounts, 'ana');
  await accounts.close();
  const name = nodes.network();
  const a = await nodes.start(name, { nodeName: 'a', store: url, history: 0 });
  const b = await nodes.start(name, { nodeName: 'b', store: url, history: 0 });
  return { url, a, b, name };
}

/** Registers `nick` on `server`, logged in to `account` with SASL PLAIN when given; the welcome lines. */
function connect(server: ChatServer, nick: string, account?: string): Promise<IrcLogin> {
  return ircLogin(port(server), nick, { caps: CAPS, account, keep: clients });
}

/** Waits (a NAMES round trip each time, no sleep) until `c` sees `nick` in `room`. */
async function seesIn(c: RawClient, me: string, room: string, nick: RegExp): Promise<void> {
  for (let tries = 0; ; tries++) {
    const from = c.lines.length;
    c.send(`NAMES ${room}`);
    await c.expect(new RegExp(` 366 ${me} ${room} `));
    if (c.since(from).some((l) => new RegExp(` 353 ${me} = ${room} :?`).test(l) && nick.test(l))) return;
    assert.ok(tries < 500, `${me} never saw ${nick} in ${room}`);
  }
}

const T1 = '2026-02-01T10:00:00.000Z';
const T2 = '2026-02-02T08:30:00.000Z';

describe('what is kept per account and per room, across nodes', () => {
  it('read markers: a MARKREAD on A reaches the account on B, is in the table, and is read back on B and on a new node', async () => {
    const { url, a, b, name } = await network();
    const { c: onA } = await connect(a, 'ana', 'ana');
    const { c: onB } = await connect(b, 'ana_b', 'ana');
    const { c: guest } = await connect(b, 'visita');
    onA.send(`MARKREAD #geral timestamp=${T1}`);
    assert.equal(await onA.expect(/ MARKREAD /), `:tomada.local MARKREAD #geral timestamp=${T1}`);
    assert.equal(await onB.expect(/ MARKREAD /), `:tomada.local MARKREAD #geral timestamp=${T1}`);
    // Told once it is stored: the row is there.
    const kept = await rows<{ account_key: string; target: string; time: string }>(
      url,
      'SELECT account_key, target, time FROM read_markers',
    );
    assert.deepEqual(
      kept.map((r) => [r.account_key, r.target, Number(r.time)]),
      [['ana', '#geral', Date.parse(T1)]],
    );
    // And the other way; an earlier one moves nothing anywhere.
    onB.send(`MARKREAD #GERAL timestamp=${T2}`);
    assert.equal(await onB.expect(/ MARKREAD /), `:tomada.local MARKREAD #GERAL timestamp=${T2}`);
    assert.equal(await onA.expect(/ MARKREAD /), `:tomada.local MARKREAD #GERAL timestamp=${T2}`);
    onA.send(`MARKREAD #geral timestamp=${T1}`);
    assert.equal(await onA.expect(/ MARKREAD /), `:tomada.local MARKREAD #geral timestamp=${T2}`);
    guest.send('MARKREAD #geral');
    assert.equal(await guest.expect(/ MARKREAD /), ':tomada.local MARKREAD #geral *');

    // Reconnecting on B, and logging in on a node that came after: the marker is the account's.
    onB.close();
    const { c: again } = await connect(b, 'ana_b2', 'ana');
    again.send('MARKREAD #geral');
    assert.equal(await again.expect(/ MARKREAD /), `:tomada.local MARKREAD #geral timestamp=${T2}`);
    const c = await nodes.start(name, { nodeName: 'c', store: url, history: 0 });
    const { c: onC } = await connect(c, 'ana_c', 'ana');
    onC.send('JOIN #geral');
    assert.match(
      await onC.expect(/ MARKREAD #geral /),
      new RegExp(` MARKREAD #geral timestamp=${T2.replace(/\./g, '\\.')}$`),
    );
    assert.ok(!guest.lines.some((l) => / MARKREAD #geral timestamp/.test(l)), 'a guest is nobody’s account');
  });

  it('metadata: a key set on A is set on the account’s connection on B, shown to its room there, kept in the table', async () => {
    const { url, a, b } = await network();
    const { c: onA } = await connect(a, 'ana', 'ana');
    const { c: onB } = await connect(b, 'ana_b', 'ana');
    const { c: bia } = await connect(b, 'bia');
    for (const c of [onA, onB, bia]) {
      c.send('METADATA * SUB display-name');
      await c.expect(/ 770 /);
    }
    onA.send('JOIN #sala');
    await onA.expect(/ 366 ana #sala /);
    await seesIn(bia, 'bia', '#sala', /@ana\b/);
    for (const [c, nick] of [
      [onB, 'ana_b'],
      [bia, 'bia'],
    ] as const) {
      c.send('JOIN #sala');
      await c.expect(new RegExp(` 366 ${nick} #sala `));
    }
    onA.send('METADATA * SET display-name :Ana Lima');
    assert.equal(await onA.expect(/ 761 /), ':tomada.local 761 ana ana display-name * :Ana Lima');
    // The connection on B has it now, and is told; its neighbour on B sees both connections get it.
    assert.equal(await onB.expect(/ METADATA ana_b /), ':tomada.local METADATA ana_b display-name * :Ana Lima');
    await bia.expect(/^:tomada\.local METADATA ana display-name \* :Ana Lima$/);
    await bia.expect(/^:tomada\.local METADATA ana_b display-name \* :Ana Lima$/);
    bia.send('METADATA ana GET display-name');
    assert.match(await bia.expect(/ 761 /), / 761 bia ana display-name \* :Ana Lima$/);
    const kept = await rows<{ account_key: string; key: string; value: string }>(
      url,
      'SELECT account_key, key, value FROM account_metadata',
    );
    assert.deepEqual(
      kept.map((r) => [r.account_key, r.key, r.value]),
      [['ana', 'display-name', 'Ana Lima']],
    );
    // Removed on B: gone on A too, and from the table.
    onB.send('METADATA * SET display-name');
    assert.equal(await onB.expect(/ 761 /), ':tomada.local 761 ana_b ana_b display-name *');
    assert.equal(await onA.expect(/ METADATA ana /), ':tomada.local METADATA ana display-name :*');
    assert.deepEqual(await rows(url, 'SELECT * FROM account_metadata'), []);
    onB.close();
    // Set again on A; a new connection on B is given it on logging in.
    onA.send('METADATA * SET display-name :Ana L.');
    await onA.expect(/ 761 /);
    await bia.expect(/^:tomada\.local METADATA ana display-name \* :Ana L\.$/);
    // bia saw the change as it was made; A writes it behind: wait for the row (a query each time).
    for (let tries = 0; ; tries++) {
      const found = await rows<{ value: string }>(url, "SELECT value FROM account_metadata WHERE key = 'display-name'");
      if (found[0]?.value === 'Ana L.') break;
      assert.ok(tries < 500, 'A never wrote the new display name');
    }
    const { welcome } = await connect(b, 'ana_b2', 'ana');
    assert.ok(
      welcome.some((l) => /^@batch=\S+ :tomada\.local METADATA ana_b2 display-name \* :Ana L\.$/.test(l)),
      welcome.join('\n'),
    );
  });

  it('registered rooms: REGISTER on A, the founder gets op on B at once; settings kept from A make the room on B; after DROP on A, B lets her in as anyone', async () => {
    const { url, a, b } = await network();
    const { c: ana } = await connect(a, 'ana', 'ana');
    const { c: onB } = await connect(b, 'ana_b', 'ana');
    const { c: bia } = await connect(b, 'bia');
    ana.send('JOIN #clube');
    await ana.expect(/ 366 ana #clube /);
    await seesIn(bia, 'bia', '#clube', /@ana\b/);
    bia.send('JOIN #clube');
    await bia.expect(/ 366 bia #clube /);
    ana.send('MODE #clube +i');
    await bia.expect(/^:ana!\S+ MODE #clube \+i$/);
    ana.send('PRIVMSG ChanServ :REGISTER #clube');
    await ana.expect(/ NOTICE ana :#clube is now registered to ana/);
    const registered = await rows<{ key: string; founder: string }>(url, 'SELECT key, founder FROM registered_rooms');
    assert.deepEqual(registered, [{ key: '#clube', founder: 'ana' }]);
    // bia (on B) hears a message sent after the registration: B has heard of the registration too (one
    // stream, one order).
    ana.send('PRIVMSG #clube :registrada');
    await bia.expect(/ PRIVMSG #clube :registrada$/);
    // The founder on B: let in past +i, and made an operator by the server, seen on both nodes.
    onB.send('JOIN #clube');
    await onB.expect(/ 366 ana_b #clube /);
    assert.equal(await onB.expect(/ MODE #clube \+o/), ':tomada.local MODE #clube +o ana_b');
    await ana.expect(/^:tomada\.local MODE #clube \+o ana_b$/);

    // The topic set on A is kept: when everyone left, the room made again on B has it, and its +i.
    ana.send('TOPIC #clube :o clube da ana');
    await bia.expect(/ TOPIC #clube :o clube da ana$/);
    onB.send('PART #clube');
    await onB.expect(/ PART #clube/);
    ana.send('PART #clube');
    await bia.expect(/^:ana!\S+ PART #clube/);
    bia.send('PART #clube');
    await bia.expect(/^:bia!\S+ PART #clube/);
    onB.send('JOIN #clube');
    const made = await onB.collect(/ 366 ana_b #clube /);
    assert.ok(
      made.some((l) => / 332 ana_b #clube :o clube da ana$/.test(l)),
      made.join('\n'),
    );
    assert.equal(await onB.expect(/ MODE #clube \+o/), ':tomada.local MODE #clube +o ana_b');
    onB.send('MODE #clube');
    assert.match(await onB.expect(/ 324 /), / 324 ana_b #clube \+i/);
    // ana comes back on A: the room made on B is the network's, and A makes its founder an operator too.
    ana.send('JOIN #clube');
    await ana.expect(/ 366 ana #clube /);
    await ana.expect(/^:tomada\.local MODE #clube \+o ana$/);

    // DROP on A: B forgets it. The founder on B is refused by +i like anyone, and made no operator.
    onB.send('PART #clube');
    await ana.expect(/^:ana_b!\S+ PART #clube/);
    ana.send('PRIVMSG ChanServ :DROP #clube');
    await ana.expect(/ NOTICE ana :#clube is no longer registered\.$/);
    assert.deepEqual(await rows(url, 'SELECT * FROM registered_rooms'), []);
    // A private message sent after the drop reaches B after it (one stream, one order).
    ana.send('PRIVMSG bia :largou');
    await bia.expect(/ PRIVMSG bia :largou$/);
    onB.send('JOIN #clube');
    await onB.expect(/ 473 ana_b #clube /);
    ana.send('INVITE ana_b #clube');
    await onB.expect(/ INVITE ana_b :?#clube$/);
    const from = onB.lines.length;
    onB.send('JOIN #clube');
    const names = await onB.collect(/ 366 ana_b #clube /);
    assert.ok(
      names.some((l) => / 353 ana_b = #clube :?(@ana ana_b|ana_b @ana)$/.test(l)),
      names.join('\n'),
    );
    onB.send('PING :fim');
    await onB.expect(/ PONG .*fim/);
    ana.send('PING :fim');
    await ana.expect(/ PONG .*fim/);
    assert.ok(!onB.since(from).some((l) => / MODE #clube \+o ana_b$/.test(l)), onB.since(from).join('\n'));
  });
});
