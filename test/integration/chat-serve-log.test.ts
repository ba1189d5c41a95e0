import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { CliProcess, ensureStopped, serveArgs } from '../helpers/cli.js';
import { lineUser } from '../helpers/wire.js';

const procs: CliProcess[] = [];
after(async () => {
  for (const p of procs) await ensureStopped(p);
});

const args = serveArgs({ line: true, http: true });

describe("tomada chat serve's log at info", () => {
  it('says the web address to open, then connections, nicknames and joins', async () => {
    const server = new CliProcess(args);
    procs.push(server);
    const port = Number((await server.waitFor(/line door listening on [\d.]+:(\d+)/))[1]);
    const web = Number((await server.waitFor(/http door listening on [\d.]+:(\d+)/))[1]);
    await server.waitFor(new RegExp(`"msg":"web chat: open http://localhost:${web}/ in a browser"`));
    const ana = await lineUser(port, 'ana');
    ana.send('/join #sala\n');
    await server.waitFor(/"msg":"Connection from 127\.0\.0\.1:\d+ \(line door\)"/);
    await server.waitFor(/"msg":"Nickname of the client: ana \(line door, 127\.0\.0\.1\)"/);
    await server.waitFor(/"msg":"ana joined #geral"/);
    await server.waitFor(/"msg":"ana joined #sala"/);
    await server.waitFor(/"msg":"ana left #geral"/);
    ana.socket.end();
    await server.waitFor(/"msg":"ana disconnected \(.*\)"/);
    assert.equal(await server.stop(), 0);
  });

  it('in Portuguese with LANG=pt_BR.UTF-8, the door called "entrada" (not "porta")', async () => {
    const server = new CliProcess(args, { LANG: 'pt_BR.UTF-8' });
    procs.push(server);
    const port = Number((await server.waitFor(/entrada line escutando em [\d.]+:(\d+)/))[1]);
    await server.waitFor(/"msg":"chat na web: abra http:\/\/localhost:\d+\/ no navegador"/);
    const ana = await lineUser(port, 'ana');
    await server.waitFor(/"msg":"Conexão estabelecida com 127\.0\.0\.1:\d+ \(entrada line\)"/);
    await server.waitFor(/"msg":"Apelido do cliente: ana \(entrada line, 127\.0\.0\.1\)"/);
    await server.waitFor(/"msg":"ana entrou em #geral"/);
    ana.socket.end();
    assert.equal(await server.stop(), 0);
  });

  it('refusals at the limits are logged in Portuguese too (the listener words nothing in English)', async () => {
    const server = new CliProcess([...args, '--max-per-ip', '1'], { LANG: 'pt_BR.UTF-8' });
    procs.push(server);
    const port = Number((await server.waitFor(/entrada line escutando em [\d.]+:(\d+)/))[1]);
    const ana = await lineUser(port, 'ana');
    const refused = net.connect(port, '127.0.0.1');
    refused.on('error', () => undefined);
    await server.waitFor(/"msg":"line: 1 conexão\(ões\) recusada\(s\) \(perIp\)"/);
    refused.destroy();
    ana.socket.end();
    assert.equal(await server.stop(), 0);
  });
});
