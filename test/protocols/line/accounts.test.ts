import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryAccountStore } from '../../../src/core/account-store.js';
import { hashPassword } from '../../../src/core/passwords.js';
import { startChatServer } from '../../../src/server/chat-server.js';
import type { ChatConfigInput } from '../../../src/server/config.js';
import { closedAfterTests } from '../../helpers/chat-server.js';
import { lineUser, WireClient } from '../../helpers/wire.js';

const { open, servers } = closedAfterTests<WireClient>();

async function server(config: ChatConfigInput = {}) {
  const store = new MemoryAccountStore();
  await store.create('ana', await hashPassword('s3nha-da-ana'));
  const s = await startChatServer(
    {
      line: { host: '127.0.0.1', port: 0 },
      irc: null,
      http: null,
      dataDir: ':memory:',
      limits: { floodRate: 1000, floodBurst: 1000 },
      ...config,
    },
    { accountStore: store },
  );
  servers.push(s);
  return { server: s, port: s.address('line')!.port };
}
async function raw(port: number) {
  const c = await WireClient.connect(port);
  open.push(c);
  return c;
}
async function user(port: number, nick: string) {
  const c = await lineUser(port, nick);
  open.push(c);
  return c;
}

describe('line door: accounts', () => {
  it('a registered APELIDO: one line says so, /login (as the tutorial client types it) lets the person in', async () => {
    const { server: s, port } = await server();
    const bia = await user(port, 'bia');
    const c = await raw(port);
    await c.waitFor('APELIDO');
    c.send('ana'); // the tutorial's client: no line ending
    assert.equal(
      await c.waitFor(/.*\n/),
      '* The nickname ana is registered: log in with /login PASSWORD (or reconnect with another nickname).\n',
    );
    c.send('ana: olá\n');
    assert.equal(await c.waitFor(/.*\n/), '* Log in first: /login PASSWORD\n');
    c.send('ana: /login errada\n');
    assert.equal(await c.waitFor(/.*\n/), '! Wrong account or password.\n');
    c.send('ana: /login s3nha-da-ana\n');
    assert.equal(await c.waitFor(/.*\n/), 'Conectado ao servidor!\n');
    assert.equal(await c.waitFor(/.*\n/), '* You are logged in as ana.\n');
    await bia.waitFor('ana entrou no chat!\n');
    assert.equal(s.hub.findUser('ana')!.account, 'ana');
    assert.ok(!bia.received.includes('s3nha') && !bia.received.includes('olá'));
  });

  it('/register makes the nickname an account; the next connection with it must log in', async () => {
    const { server: s, port } = await server();
    const caio = await user(port, 'caio');
    caio.send('/register abc\n');
    assert.equal(await caio.waitFor(/.*\n/), '! the password is too short (at least 4 characters)\n');
    caio.send('caio: /register senha-do-caio\n');
    assert.equal(await caio.waitFor(/.*\n/), '* The nickname caio is now registered to you; you are logged in.\n');
    assert.equal(s.hub.findUser('caio')!.account, 'caio');
    caio.send('/register outra-senha\n');
    assert.equal(await caio.waitFor(/.*\n/), '* You are already logged in as caio.\n');
    caio.close();
    const again = await raw(port);
    await again.waitFor('APELIDO');
    again.send('Caio\n');
    await again.waitFor('* The nickname Caio is registered');
    again.send('/login senha-do-caio\n');
    await again.waitFor('Conectado ao servidor!\n');
    await again.waitFor('* You are logged in as caio.\n');
  });

  it('/login after taking a registered name with /nick; /login on a name nobody registered says so', async () => {
    const { server: s, port } = await server({ nickGraceSecs: 60 });
    const dora = await user(port, 'dora');
    dora.send('/login qualquer\n');
    assert.equal(await dora.waitFor(/.*\n/), '! The nickname dora is not registered: /register PASSWORD\n');
    dora.send('/nick ana\n');
    await dora.waitFor('* dora is now ana\n');
    dora.send('/login s3nha-da-ana\n');
    await dora.waitFor('* You are logged in as ana.\n');
    assert.equal(s.hub.findUser('ana')!.account, 'ana');
  });

  it('a registered name that is in use is refused as taken, before any login is asked for', async () => {
    const { port } = await server({ nickGraceSecs: 60 });
    const dora = await user(port, 'dora');
    dora.send('/nick ana\n');
    await dora.waitFor('* dora is now ana\n');
    const c = await raw(port);
    await c.waitFor('APELIDO');
    c.send('ana\n');
    assert.equal(await c.waitFor(/.*\n/), 'The nickname ana is taken, choose another.\n');
  });

  it('closes after the login time with a line, and says it all in pt-BR', async () => {
    const { port } = await server({ loginTimeoutSecs: 1, lang: 'pt-BR' });
    const c = await raw(port);
    await c.waitFor('APELIDO');
    c.send('ana\n');
    assert.equal(
      await c.waitFor(/.*\n/),
      '* O apelido ana é registrado: entre com /login SENHA (ou reconecte com outro apelido).\n',
    );
    assert.equal(await c.waitFor(/.*\n/), '! Nenhum login em 1 segundos; encerrando.\n');
    await c.waitClosed();
  });

  it('registration closed: /register says so', async () => {
    const { port } = await server({ registration: 'closed' });
    const eva = await user(port, 'eva');
    eva.send('/register senha-da-eva\n');
    assert.equal(await eva.waitFor(/.*\n/), '! Registration is closed on this server.\n');
  });
});
