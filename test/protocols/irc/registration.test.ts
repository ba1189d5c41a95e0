import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChatServer } from '../../../src/server/chat-server.js';
import { RawClient, startTestServer } from './client.js';
import { tempDirs } from '../../helpers/temp-dirs.js';

const tempDir = tempDirs('tomada-irc-');

describe('IRC registration', () => {
  let server: ChatServer;
  let port: number;
  const clients: RawClient[] = [];
  const client = async () => {
    const c = new RawClient(port);
    clients.push(c);
    await c.ready;
    return c;
  };
  before(async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'motd.txt'), 'Olá, mundo!\nSecond line\n');
    ({ server, port } = await startTestServer({
      motdFile: join(dir, 'motd.txt'),
      network: 'TestNet',
      serverName: 'irc.test',
      opers: ['root:s3cret'],
    }));
  });
  after(async () => {
    for (const c of clients) c.close();
    await server.close();
  });

  it('welcomes with 001-005, LUSERS and the MOTD file', async () => {
    const c = await client();
    c.send('NICK ana', 'USER ana 0 * :Ana Silva');
    const lines = await c.collect(/ 376 /);
    const codes = lines.map((l) => l.split(' ')[1]);
    for (const code of ['001', '002', '003', '004', '005', '251', '252', '254', '255', '375', '372', '376']) {
      assert.ok(codes.includes(code), `missing ${code}`);
    }
    assert.equal(lines[0], ':irc.test 001 ana :Welcome to the TestNet IRC Network ana!ana@127.0.0.1');
    const isupport = lines.filter((l) => l.includes(' 005 ')).join(' ');
    for (const token of [
      'CASEMAPPING=rfc1459',
      'CHANTYPES=#',
      'CHANMODES=Ib,k,l,Cimnst',
      'STATUSMSG=@+',
      'INVEX',
      'EXTBAN=$,am',
      'ELIST=CMNTU',
      'PREFIX=(ov)@+',
      'NICKLEN=30',
      'CHANNELLEN=50',
      'TOPICLEN=390',
      'NETWORK=TestNet',
    ]) {
      assert.ok(isupport.includes(token), token);
    }
    assert.ok(lines.includes(':irc.test 372 ana :- Olá, mundo!'));
  });

  it('waits for CAP END, acks known caps and naks unknown ones', async () => {
    const c = await client();
    c.send('CAP LS 302', 'NICK capper', 'USER c 0 * :c');
    const ls = await c.expect(/ CAP \* LS /);
    for (const cap of [
      'message-tags',
      'server-time',
      'echo-message',
      'batch',
      'labeled-response',
      'draft/chathistory',
    ]) {
      assert.ok(ls.includes(cap), cap);
    }
    c.send('CAP REQ :server-time bogus');
    await c.expect(/^:irc\.test CAP capper NAK :server-time bogus$/);
    c.send('CAP REQ :server-time echo-message');
    await c.expect(/^:irc\.test CAP capper ACK :server-time echo-message$/);
    c.send('CAP LIST');
    const list = await c.expect(/ CAP capper LIST /);
    assert.match(list, /server-time/);
    assert.ok(!c.lines.some((l) => / 001 /.test(l)), 'registered before CAP END');
    c.send('CAP END');
    await c.expect(/ 001 capper /);
    c.send('CAP FOO');
    await c.expect(/ 410 capper FOO :Invalid CAP command/);
  });

  it('answers the registration errors: 431, 432, 433, 451, 461, 462', async () => {
    const c = await client();
    c.send('JOIN #x');
    await c.expect(/^:irc\.test 451 \* :You have not registered$/);
    c.send('NICK');
    await c.expect(/ 431 \* :No nickname given/);
    c.send('NICK 9lives');
    await c.expect(/ 432 \* 9lives :Erroneous nickname/);
    c.send('NICK ANA');
    await c.expect(/ 433 \* ANA :Nickname is already in use/);
    c.send('USER x');
    await c.expect(/ 461 \* USER :Not enough parameters/);
    c.send('NICK bia', 'USER bia 0 * :Bia');
    await c.expect(/ 001 bia /);
    c.send('USER bia 0 * :Bia');
    await c.expect(/ 462 bia :You may not reregister/);
    c.send('PASS x');
    await c.expect(/ 462 bia /);
    c.send('FROBNICATE');
    await c.expect(/ 421 bia FROBNICATE :Unknown command/);
    c.send('PING');
    await c.expect(/ 409 bia /);
    c.send('PING :abc def');
    await c.expect(/^:irc\.test PONG irc\.test :abc def$/);
  });

  it('compares nicks by rfc1459 casemapping', async () => {
    const c = await client();
    c.send('NICK a[b]', 'USER a 0 * :a');
    await c.expect(/ 001 /);
    const d = await client();
    d.send('NICK A{B}');
    await d.expect(/ 433 \* A\{B\} /);
  });

  it('changes nick after registration and frees the old one', async () => {
    const c = await RawClient.register(port, 'old');
    clients.push(c);
    c.send('NICK new');
    await c.expect(/^:old!old@127\.0\.0\.1 NICK new$/);
    const d = await RawClient.register(port, 'old');
    clients.push(d);
  });

  it('OPER and KILL, with 464, 491, 481 and 401', async () => {
    const op = await RawClient.register(port, 'boss');
    const victim = await RawClient.register(port, 'victim');
    clients.push(op, victim);
    op.send('KILL victim :bye');
    await op.expect(/ 481 boss /);
    op.send('OPER nobody x');
    await op.expect(/ 491 boss /);
    op.send('OPER root wrong');
    await op.expect(/ 464 boss /);
    op.send('OPER root');
    await op.expect(/ 461 boss OPER /);
    op.send('OPER root s3cret');
    await op.expect(/ 381 boss :You are now an IRC operator/);
    op.send('KILL ghost :x');
    await op.expect(/ 401 boss ghost /);
    op.send('KILL victim :bye now');
    await victim.expect(/^ERROR :Closing Link: 127\.0\.0\.1 \(Killed \(boss \(bye now\)\)\)$/);
    await victim.waitClosed();
  });

  it('QUIT closes with ERROR and others see the QUIT', async () => {
    const a = await RawClient.register(port, 'stay');
    const b = await RawClient.register(port, 'leave');
    clients.push(a, b);
    a.send('JOIN #q');
    await a.expect(/ 366 /);
    b.send('JOIN #q');
    await a.expect(/leave!leave@127\.0\.0\.1 JOIN #q/);
    b.send('QUIT :see you');
    await b.expect(/^ERROR :Closing Link: 127\.0\.0\.1 \(Quit: see you\)$/);
    await a.expect(/^:leave!leave@127\.0\.0\.1 QUIT :Quit: see you$/);
    await b.waitClosed();
  });

  it('checks the connection password (464)', async () => {
    const { server: s2, port: p2 } = await startTestServer({ password: 'pw', line: null });
    try {
      const bad = new RawClient(p2);
      await bad.ready;
      bad.send('PASS nope', 'NICK x', 'USER x 0 * :x');
      await bad.expect(/ 464 x :Password incorrect/);
      await bad.expect(/^ERROR /);
      await bad.waitClosed();
      const good = new RawClient(p2);
      await good.ready;
      good.send('PASS pw', 'NICK y', 'USER y 0 * :y');
      await good.expect(/ 001 y /);
      good.close();
    } finally {
      await s2.close();
    }
  });

  it('says 422 when the MOTD file cannot be read', async () => {
    const { server: s2, port: p2 } = await startTestServer({ motdFile: '/nonexistent/motd', line: null });
    try {
      const c = await RawClient.register(p2, 'm');
      assert.ok(c.lines.some((l) => / 422 m :MOTD File is missing/.test(l)));
      c.close();
    } finally {
      await s2.close();
    }
  });
});
