import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startChatServer, type ChatServer } from '../../src/server/chat-server.js';
import { WireClient } from '../helpers/wire.js';
import { JsonClient } from './web/helpers.js';

/** `--password` is asked on every door: IRC PASS, the line door's `nick password`, the web hello. */
describe('the server password on every door', () => {
  const servers: ChatServer[] = [];
  const clients: WireClient[] = [];
  after(async () => {
    for (const c of clients) c.close();
    for (const s of servers) await s.close();
  });
  const start = async (password?: string) => {
    const s = await startChatServer({
      line: { host: '127.0.0.1', port: 0 },
      irc: { host: '127.0.0.1', port: 0 },
      http: { host: '127.0.0.1', port: 0 },
      dataDir: ':memory:',
      ...(password !== undefined ? { password } : {}),
    });
    servers.push(s);
    return s;
  };
  const wire = async (port: number) => {
    const c = await WireClient.connect(port);
    clients.push(c);
    return c;
  };

  it('line door: "nick password" gets in, a bare nick is asked again, a wrong password is shown the door', async () => {
    const s = await start('s3nha');
    const port = s.address('line')!.port;
    const bare = await wire(port);
    assert.equal(await bare.waitFor('APELIDO'), 'APELIDO');
    bare.send('ana\n');
    await bare.waitFor('This server asks for a password: answer the nickname prompt with "<nickname> <password>".\n');
    await bare.waitFor('APELIDO');
    bare.send('ana s3nha\n');
    await bare.waitFor('Conectado ao servidor!\n');
    const wrong = await wire(port);
    await wrong.waitFor('APELIDO');
    wrong.send('bia errada\n');
    await wrong.waitFor('Wrong password.\n');
    await wrong.waitClosed();
    assert.ok(!wrong.received.includes('Conectado'));
  });

  it('line door without a password: the tutorial handshake, byte for byte', async () => {
    const s = await start();
    const c = await wire(s.address('line')!.port);
    await c.waitFor('APELIDO');
    c.send('ana');
    await c.waitFor('Conectado ao servidor!\n');
    assert.ok(c.received.startsWith('APELIDOConectado ao servidor!\n'), JSON.stringify(c.received));
  });

  it('web door: hello.password, refused with an error and close 1008 when missing or wrong', async () => {
    const s = await start('s3nha');
    const url = `ws://127.0.0.1:${s.address('http')!.port}`;
    const none = await JsonClient.open(url);
    none.send({ type: 'hello', nick: 'eva' });
    const e1 = await none.next((m) => m.type === 'error');
    assert.equal(e1.code, 'PASSWORD_REQUIRED');
    assert.equal(await none.closed, 1008);
    const bad = await JsonClient.open(url);
    bad.send({ type: 'hello', nick: 'eva', password: 'nope' });
    assert.equal((await bad.next((m) => m.type === 'error')).code, 'BAD_PASSWORD');
    assert.equal(await bad.closed, 1008);
    const good = await JsonClient.open(url);
    good.send({ type: 'hello', nick: 'eva', password: 's3nha' });
    assert.equal((await good.next((m) => m.type === 'welcome')).nick, 'eva');
    await good.close();
  });

  it('IRC door: PASS checked the same way (464 and ERROR when wrong)', async () => {
    const s = await start('s3nha');
    const port = s.address('irc')!.port;
    const bad = await wire(port);
    bad.send('PASS s3nh\r\nNICK x\r\nUSER x 0 * :x\r\n');
    await bad.waitFor(/ 464 x :Password incorrect\r\n/);
    await bad.waitFor(/ERROR :Closing Link/);
    const good = await wire(port);
    good.send('PASS s3nha\r\nNICK y\r\nUSER y 0 * :y\r\n');
    await good.waitFor(/ 001 y /);
  });
});
