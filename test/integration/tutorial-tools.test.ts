/**
 * End to end, on loopback with ports chosen by the system: `tomada hello` and `tomada echo` over TCP,
 * against raw sockets, against each other and against the tutorial's programs in Python (test/python).
 * UDP and the error cases are in tutorial-tools-udp-errors.test.ts.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import { CliProcess, python } from '../helpers/cli.js';
import { WireClient } from '../helpers/wire.js';
import { connect, readBytes, readToEnd } from '../tools/net-helpers.js';
import { inProcess, procs, rawServer, serve, tomada } from '../helpers/tutorial-tools.js';

describe('tomada hello serve / hello connect (Servidor Básico / Cliente Básico)', () => {
  it('sends the tutorial welcome to each client, closes that connection and keeps serving', async () => {
    const { proc, port } = await serve(['hello', 'serve']);
    for (let i = 0; i < 3; i++) {
      const s = await connect(port);
      assert.equal((await readToEnd(s)).toString('utf8'), 'Bem-vindo ao servidor!', 'exact bytes, no newline');
    }
    const client = await inProcess(['hello', 'connect', `127.0.0.1:${port}`]);
    assert.equal(client.code, 0, client.stderr);
    assert.equal(client.stdout, `connected to 127.0.0.1:${port}\nReceived: Bem-vindo ao servidor!\n`);
    await proc.waitFor(/(disconnected[\s\S]*){4}/);
    assert.match(proc.stdout, /listening on 127\.0\.0\.1:\d+ \(model evented\)/);
    assert.equal(await proc.stop('SIGTERM'), 0);
  });

  it('--message changes the welcome; --once stops after one connection, exit 0', async () => {
    const { proc, port } = await serve(['hello', 'serve', '--message', 'Olá, turma! ✓', '--once']);
    const s = await connect(port);
    assert.equal((await readToEnd(s)).toString('utf8'), 'Olá, turma! ✓');
    assert.equal(await proc.exited, 0);
  });

  it("the tutorial's Python basic client gets tomada's welcome", async () => {
    const { proc, port } = await serve(['hello', 'serve']);
    const py = python('cliente_basico.py', [String(port), '127.0.0.1']);
    procs.push(py);
    assert.equal(await py.exited, 0, py.stderr);
    assert.match(py.stdout, /^Mensagem recebida: Bem-vindo ao servidor!$/m);
    await proc.stop();
  });

  it("tomada's client prints the welcome of the tutorial's Python basic server (a real process, exit 0)", async () => {
    const py = python('servidor_basico.py', ['0', '127.0.0.1']);
    procs.push(py);
    const port = await py.listeningPort();
    const r = await tomada(['hello', 'connect', `127.0.0.1:${port}`]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Received: Bem-vindo ao servidor!$/m);
    assert.equal(await py.exited, 0);
  });

  it('speaks Portuguese with LANG=pt_BR.UTF-8, but the wire string never changes', async () => {
    const pt = { LANG: 'pt_BR.UTF-8' };
    const { proc, port } = await serve(['hello', 'serve', '--once'], pt);
    const r = await tomada(['hello', 'connect', `127.0.0.1:${port}`], '', pt);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^conectado a 127\.0\.0\.1:\d+\nRecebido: Bem-vindo ao servidor!\n$/);
    assert.equal(await proc.exited, 0);
    assert.match(proc.stdout, /conexão de 127\.0\.0\.1:\d+/);
  });
});

describe('tomada echo serve / echo connect over TCP (Servidor Echo / Cliente Echo)', () => {
  it('answers every read with "Echo: " + the bytes read, no newline added, as the tutorial', async () => {
    const { proc, port } = await serve(['echo', 'serve']);
    const c = await WireClient.connect(port);
    c.socket.write('olá');
    await c.waitFor('Echo: olá');
    c.socket.write('mundo');
    await c.waitFor('Echo: mundo');
    assert.equal(c.received, 'Echo: oláEcho: mundo');
    await proc.waitFor(/received from 127\.0\.0\.1:\d+: mundo/);
    c.socket.end();
    await proc.waitFor(/disconnected/);
    assert.equal(await proc.stop('SIGINT'), 0);
  });

  it('--upper never splits a UTF-8 character cut between two reads; --prefix "" is a plain echo', async () => {
    const { port } = await serve(['echo', 'serve', '--upper', '--prefix', '']);
    const s = await connect(port);
    const bytes = Buffer.from('olá', 'utf8'); // 'á' is 2 bytes: send the first one alone
    s.write(bytes.subarray(0, 3));
    assert.equal((await readBytes(s, 2)).toString('utf8'), 'OL');
    s.write(bytes.subarray(3));
    assert.equal((await readBytes(s, 2)).toString('utf8'), 'Á');
    s.destroy();
  });

  it('--lines frames by line (LF or CRLF), whatever the pieces, and answers one line per line', async () => {
    const { port } = await serve(['echo', 'serve', '--lines', '--max-line', '16']);
    const c = await WireClient.connect(port);
    c.socket.write('um\ndois\r\ntr');
    await c.waitFor('Echo: um\nEcho: dois\n');
    c.socket.write('ês\n');
    await c.waitFor('Echo: três\n');
    assert.equal(c.received, 'Echo: um\nEcho: dois\nEcho: três\n');
    // A line longer than --max-line closes that connection, not the server.
    const long = await WireClient.connect(port);
    const longClosed = once(long.socket, 'close');
    long.socket.write('x'.repeat(64));
    await longClosed;
    c.socket.write('ainda aqui\n');
    await c.waitFor('Echo: ainda aqui\n');
    c.socket.destroy();
  });

  it('the client sends piped lines, prints each answer, and quits on "sair" (later lines never sent)', async () => {
    const { proc, port } = await serve(['echo', 'serve']);
    const r = await tomada(['echo', 'connect', `127.0.0.1:${port}`], 'olá\nmundo\nsair\nnunca enviada\n');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `connected to 127.0.0.1:${port}\nEcho: olá\nEcho: mundo\nconnection closed\n`);
    await proc.waitFor(/disconnected/);
    assert.doesNotMatch(proc.stdout, /nunca/);
    // "QUIT" in any case, and end of input, end it too.
    const q = await inProcess(['echo', 'connect', `127.0.0.1:${port}`], 'a\nQUIT\nb\n');
    assert.deepEqual([q.code, q.stdout.split('\n').slice(1)], [0, ['Echo: a', 'connection closed', '']]);
    const eof = await inProcess(['echo', 'connect', `127.0.0.1:${port}`], 'fim');
    assert.deepEqual([eof.code, eof.stdout.split('\n').slice(1)], [0, ['Echo: fim', 'connection closed', '']]);
  });

  it('--upper, --prefix and --lines on both ends', async () => {
    const { port } = await serve(['echo', 'serve', '--lines', '--upper', '--prefix', '> ']);
    const r = await inProcess(['echo', 'connect', '--lines', `127.0.0.1:${port}`], 'olá\nção\n');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.split('\n').slice(1, 3), ['> OLÁ', '> ÇÃO']);
  });

  it('the client prints what the server sends as it arrives, without waiting for input (non-blocking)', async () => {
    let serverSide: net.Socket | undefined;
    const port = await rawServer((s) => {
      serverSide = s;
      s.on('error', () => undefined);
      s.write('aviso: o servidor fala primeiro\n');
    });
    const client = new CliProcess(['echo', 'connect', `127.0.0.1:${port}`]);
    procs.push(client);
    await client.waitFor(/^aviso: o servidor fala primeiro$/m); // no line was typed
    serverSide!.write('e de novo\n');
    await client.waitFor(/^e de novo$/m);
    client.endInput();
    assert.equal(await client.exited, 0);
  });

  it("the tutorial's Python echo client works unchanged against tomada", async () => {
    const { proc, port } = await serve(['echo', 'serve']);
    const py = python('cliente_echo.py', [String(port), '127.0.0.1']);
    procs.push(py);
    py.write('olá\ntudo bem?\nsair\n');
    assert.equal(await py.exited, 0, py.stderr);
    assert.match(py.stdout, /Resposta: Echo: olá\n[\s\S]*Resposta: Echo: tudo bem\?\n[\s\S]*Conexão encerrada/);
    await proc.waitFor(/disconnected/);
  });

  it("tomada's echo client works against the tutorial's Python echo server", async () => {
    const py = python('servidor_echo.py', ['0', '127.0.0.1']);
    procs.push(py);
    const port = await py.listeningPort();
    const r = await tomada(['echo', 'connect', `127.0.0.1:${port}`], 'olá\ntudo bem?\nsair\n');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `connected to 127.0.0.1:${port}\nEcho: olá\nEcho: tudo bem?\nconnection closed\n`);
    await py.waitFor(/Recebido: tudo bem\?\n[\s\S]*Cliente desconectou/);
  });
});
