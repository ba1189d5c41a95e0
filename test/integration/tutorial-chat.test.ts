import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CliProcess, ensureStopped, python } from '../helpers/cli.js';
import { lineServer } from '../helpers/chat-server.js';
import { lineUser } from '../helpers/wire.js';
import type { ChatServer } from '../../src/server/chat-server.js';

const procs: CliProcess[] = [];
const servers: ChatServer[] = [];
after(async () => {
  for (const p of procs) await ensureStopped(p);
  for (const s of servers) await s.close();
});

describe("the tutorial's Python chat client against tomada", () => {
  it('several at once: join notices, messages with the prefix stripped, impersonation refused, leave notices', async () => {
    const { server, port } = await lineServer();
    servers.push(server);
    const watcher = await lineUser(port, 'observa');
    const ana = python('cliente_chat.py', ['127.0.0.1', String(port)]);
    const bia = python('cliente_chat.py', ['127.0.0.1', String(port)]);
    procs.push(ana, bia);
    ana.write('ana\n');
    await ana.waitFor(/Conectado ao servidor!/);
    await watcher.waitFor('ana entrou no chat!\n');
    bia.write('bia\n');
    await bia.waitFor(/Conectado ao servidor!/);
    await ana.waitFor(/bia entrou no chat!/);
    // The tutorial's client sends "bia: <text>" with no line ending; tomada takes its own prefix off.
    bia.write('olá, ana!\n');
    await ana.waitFor(/^bia: olá, ana!$/m);
    await watcher.waitFor('bia: olá, ana!\n');
    assert.doesNotMatch(watcher.received, /bia: bia:/);
    // Typing another user's prefix cannot make a line look as if they sent it.
    bia.write('ana: fui eu que escrevi\n');
    await watcher.waitFor('bia: ana: fui eu que escrevi\n');
    // The tutorial's client cannot really close while its receive thread sits in recv(): end the process.
    await ana.stop('SIGKILL');
    await bia.waitFor(/ana saiu do chat!/);
    await watcher.waitFor('ana saiu do chat!\n');
  });
});

describe("tomada's chat client against the tutorial's Python server", () => {
  it('answers APELIDO with the bare nickname and its lines reach a tutorial client', async () => {
    const srv = python('servidor_chat.py', ['0']);
    procs.push(srv);
    const port = await srv.listeningPort();
    const other = python('cliente_chat.py', ['127.0.0.1', String(port)]);
    procs.push(other);
    other.write('bia\n');
    await other.waitFor(/Conectado ao servidor!/);
    const tomada = new CliProcess(['chat', 'connect', `127.0.0.1:${port}`, '--nick', 'ana']);
    procs.push(tomada);
    await tomada.waitFor(/Conectado ao servidor!/);
    await srv.waitFor(/Apelido do cliente: ana\n/); // exactly "ana": no line ending was sent
    await other.waitFor(/ana entrou no chat!/);
    tomada.write('oi, bia\n');
    await other.waitFor(/ana: oi, bia/);
    other.write('oi, ana\n');
    await tomada.waitFor(/bia: oi, ana/);
    tomada.endInput();
    assert.equal(await tomada.exited, 0);
    await other.waitFor(/ana saiu do chat!/);
  });
});

describe("tomada's chat client against tomada", () => {
  it('sends piped lines as <nick>: <text>, shows what arrives, and exits 0 when input ends', async () => {
    const { server, port } = await lineServer();
    servers.push(server);
    const bia = await lineUser(port, 'bia');
    const ana = new CliProcess(['chat', 'connect', `127.0.0.1:${port}`, '--nick', 'ana']);
    procs.push(ana);
    await bia.waitFor('ana entrou no chat!\n');
    ana.write('primeira\n/me acena\n');
    await bia.waitFor('ana: primeira\n');
    await bia.waitFor('* ana acena\n');
    bia.send('bem-vinda\n');
    await ana.waitFor(/^bia: bem-vinda$/m);
    ana.endInput();
    assert.equal(await ana.exited, 0);
    await bia.waitFor('ana saiu do chat!\n');
  });

  it('says so when the server is not there, and exits 1', async () => {
    const { server, port } = await lineServer();
    await server.close();
    const r = new CliProcess(['chat', 'connect', `127.0.0.1:${port}`, '--nick', 'ana']);
    procs.push(r);
    r.endInput();
    assert.equal(await r.exited, 1);
    assert.match(r.stderr, /connection refused by 127\.0\.0\.1:\d+: is the server running\?/);
  });

  it('reconnects with back-off after the server comes back', async () => {
    const { server, port } = await lineServer();
    const ana = new CliProcess(['chat', 'connect', `127.0.0.1:${port}`, '--nick', 'ana', '--reconnect']);
    procs.push(ana);
    await ana.waitFor(/Conectado ao servidor!/);
    await server.close();
    await ana.waitFor(/connection to 127\.0\.0\.1:\d+ lost/);
    await ana.waitFor(/reconnecting in/);
    const again = await lineServer({ line: { host: '127.0.0.1', port } });
    servers.push(again.server);
    const bia = await lineUser(port, 'bia');
    await bia.waitFor('ana entrou no chat!\n', 10000);
    ana.endInput();
    assert.equal(await ana.exited, 0);
  });
});
