/**
 * End to end, on loopback with ports chosen by the system: `tomada hello`, `tomada echo` (TCP and UDP),
 * against raw sockets, against each other and against the tutorial's programs in Python (test/python),
 * and the error cases of issue 2's "What every program gets right".
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { once } from 'node:events';
import net from 'node:net';
import { PassThrough } from 'node:stream';
import { CliProcess, ensureStopped, python } from '../helpers/cli.js';
import { WireClient } from '../helpers/wire.js';
import { connect, readBytes, readToEnd } from '../tools/net-helpers.js';
import { run } from '../../src/cli/program.js';
import { isPrivilegedSourcePort } from '../../src/tools/udp.js';

const procs: CliProcess[] = [];
const cleanups: Array<() => unknown> = [];
after(async () => {
  for (const p of procs) await ensureStopped(p);
  for (const c of cleanups) await c();
});

/** Starts a `tomada` server on 127.0.0.1, port chosen by the system; resolves with the port it logged. */
async function serve(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ proc: CliProcess; port: number }> {
  const proc = new CliProcess([...args, '--host', '127.0.0.1', '--port', '0'], env);
  procs.push(proc);
  const label = env.LANG?.startsWith('pt') ? 'escutando em' : 'listening on';
  return { proc, port: await proc.listeningPort(label) };
}

/** Runs `tomada ARGS` as its own process to completion. */
async function tomada(args: string[], input = '', env: NodeJS.ProcessEnv = {}) {
  const p = new CliProcess(args, env);
  procs.push(p);
  p.write(input);
  p.endInput();
  const timer = setTimeout(() => p.child.kill('SIGKILL'), 30_000);
  const code = await p.exited;
  clearTimeout(timer);
  return { code, stdout: p.stdout, stderr: p.stderr };
}

/** Runs the CLI inside this process (same code as the binary, without the start-up cost) for client and usage cases. */
async function inProcess(args: string[], input = '') {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  stdin.end(input);
  const code = await run(['--lang', 'en', ...args], { stdout, stderr, stdin, env: { LANG: 'C.UTF-8' } });
  return { code, stdout: out, stderr: err };
}

/** A port nobody listens on (bound by the system, then released). */
async function freePort(): Promise<number> {
  const s = net.createServer();
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** A throwaway TCP server on 127.0.0.1 doing `onConnection` to each client. */
async function rawServer(onConnection: (s: net.Socket) => void): Promise<number> {
  const open = new Set<net.Socket>();
  const srv = net.createServer((s) => {
    open.add(s);
    s.on('close', () => open.delete(s));
    onConnection(s);
  });
  srv.on('error', () => undefined);
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  cleanups.push(() => {
    for (const s of open) s.destroy(); // a socket nobody reads never sees its peer's FIN
    return new Promise<void>((resolve) => srv.close(() => resolve()));
  });
  return (srv.address() as net.AddressInfo).port;
}

/** Exactly one line on stderr, and no stack trace. */
function oneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 1, `expected one line, got: ${stderr}`);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(stderr, /^\s+at /m);
}

/** A UDP socket collecting what it receives. */
async function udpPeer(address = '127.0.0.1', port = 0) {
  const socket = dgram.createSocket('udp4');
  const inbox: Buffer[] = [];
  let wake: (() => void) | undefined;
  socket.on('message', (m) => {
    inbox.push(m);
    wake?.();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', (err) => {
      socket.close();
      reject(err);
    });
    socket.bind(port, address, () => resolve());
  });
  cleanups.push(() => socket.close());
  return {
    socket,
    inbox,
    send: (data: string | Buffer, to: number) =>
      new Promise<void>((resolve, reject) =>
        socket.send(data, to, '127.0.0.1', (err) => (err ? reject(err) : resolve())),
      ),
    /** Waits until `n` datagrams have arrived in all. */
    async received(n: number, ms = 5000): Promise<Buffer[]> {
      const deadline = Date.now() + ms;
      while (inbox.length < n) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`got ${inbox.length} of ${n} datagrams`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, left);
          wake = () => {
            clearTimeout(t);
            resolve();
          };
        });
      }
      return inbox.slice(0, n);
    },
  };
}

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

describe('tomada echo serve --udp / echo connect --udp (datagram sockets of chapter 4)', () => {
  it('answers each datagram to its sender, never with more bytes than it received', async () => {
    const { proc, port } = await serve(['echo', 'serve', '--udp']);
    assert.match(proc.stdout, /listening on 127\.0\.0\.1:\d+ \(UDP\)/);
    const peer = await udpPeer();
    await peer.send('olá', port);
    await peer.send('x', port);
    const [a, b] = await peer.received(2);
    // "Echo: olá" would be larger than the datagram: a reflector must not amplify, so the prefix goes.
    assert.equal(a!.toString('utf8'), 'olá');
    assert.equal(b!.toString('utf8'), 'x');
    await proc.waitFor(/received from 127\.0\.0\.1:\d+: x/);
    assert.equal(await proc.stop('SIGTERM'), 0);
  });

  it('--upper over UDP, and the client prints each answer (sending without bind)', async () => {
    const { port } = await serve(['echo', 'serve', '--udp', '--upper']);
    const r = await inProcess(['echo', 'connect', '--udp', `127.0.0.1:${port}`], 'olá\nmundo\nsair\nnunca\n');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `sending datagrams to 127.0.0.1:${port} (type "sair" to quit)\nOLÁ\nMUNDO\n`);
  });

  it('never answers a source port below 1024 (a real privileged port when allowed)', async (t) => {
    assert.equal(isPrivilegedSourcePort(7), true); // echo
    assert.equal(isPrivilegedSourcePort(19), true); // chargen
    assert.equal(isPrivilegedSourcePort(1023), true);
    assert.equal(isPrivilegedSourcePort(1024), false);
    const { proc, port } = await serve(['echo', 'serve', '--udp']);
    let low: Awaited<ReturnType<typeof udpPeer>> | undefined;
    for (let p = 1000; p > 900 && !low; p--) low = await udpPeer('127.0.0.1', p).catch(() => undefined);
    if (!low) return t.skip('cannot bind a port below 1024 here (not root): only the pure check ran');
    const lowPort = low.socket.address().port;
    await low.send('ping', port);
    await proc.waitFor(new RegExp(`not answering 127\\.0\\.0\\.1:${lowPort}: source ports below 1024`));
    // The same datagram from an ordinary port is answered; the privileged one still got nothing.
    const normal = await udpPeer();
    await normal.send('ping', port);
    await normal.received(1);
    assert.equal(low.inbox.length, 0);
  });

  it('limits answers per source address per second (--rate)', async () => {
    const { proc, port } = await serve(['echo', 'serve', '--udp', '--rate', '3']);
    const peer = await udpPeer();
    for (let i = 0; i < 12; i++) await peer.send(`m${i}`, port);
    await proc.waitFor(/(received from[\s\S]*){12}/);
    const drops = proc.stdout.match(/more than 3 datagrams per second/g)?.length ?? 0;
    assert.ok(drops >= 6, `at most 3 (+ refill) of 12 answered at once; dropped ${drops}`);
    const answers = await peer.received(12 - drops);
    assert.ok(answers.length <= 6);
    // Another source address has its own allowance.
    const other = await udpPeer('127.0.0.2');
    await other.send('outro', port);
    assert.equal((await other.received(1))[0]!.toString(), 'outro');
  });

  it('the client says plainly when no answer came (UDP promises no delivery), exit 1', async () => {
    const silent = await udpPeer(); // receives, never answers
    const port = silent.socket.address().port;
    const r = await tomada(['echo', 'connect', '--udp', '--timeout', '300', `127.0.0.1:${port}`], 'olá\n');
    assert.equal(r.code, 1);
    oneLine(r.stderr, /no reply from 127\.0\.0\.1:\d+ within 300 ms: UDP does not promise delivery/);
    assert.equal((await silent.received(1))[0]!.toString(), 'olá');
  });

  it("the tutorial-style Python UDP client gets answers from tomada's UDP server", async () => {
    const { port } = await serve(['echo', 'serve', '--udp']);
    const py = python('udp_cliente.py', [String(port), '127.0.0.1']);
    procs.push(py);
    py.write('olá\nsegunda\nsair\n');
    assert.equal(await py.exited, 0, py.stderr);
    assert.match(py.stdout, /Resposta: olá\n[\s\S]*Resposta: segunda\n/);
  });

  it("tomada's UDP client against the Python UDP server", async () => {
    const py = python('udp_servidor.py', ['0', '127.0.0.1']);
    procs.push(py);
    const port = await py.listeningPort();
    const r = await tomada(['echo', 'connect', '--udp', `127.0.0.1:${port}`], 'olá\nmundo\n');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `sending datagrams to 127.0.0.1:${port} (type "sair" to quit)\nolá\nmundo\n`);
    // The client never bound: the system gave it an ephemeral port.
    const m = await py.waitFor(/Recebido de \('127\.0\.0\.1', (\d+)\): mundo/);
    assert.ok(Number(m[1]) >= 1024);
  });
});

describe('what every program gets right: one-line errors, exit codes, clean stops', () => {
  it('port in use: one clear line naming the port, exit 1 (TCP under each model, and UDP)', async () => {
    const { port } = await serve(['echo', 'serve']);
    for (const extra of [[], ['--model', 'processes', '--workers', '2'], ['--model', 'threads']]) {
      const r = await tomada(['hello', 'serve', '--host', '127.0.0.1', '--port', String(port), ...extra]);
      assert.equal(r.code, 1, extra.join(' '));
      oneLine(r.stderr, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use: another server may be running`));
    }
    const udp = await serve(['echo', 'serve', '--udp']);
    const r = await tomada(['echo', 'serve', '--udp', '--host', '127.0.0.1', '--port', String(udp.port)]);
    assert.equal(r.code, 1);
    oneLine(r.stderr, new RegExp(`port ${udp.port} on 127\\.0\\.0\\.1 is already in use`));
  });

  it('connection refused: one clear line, exit 1 (hello and echo clients)', async () => {
    const port = await freePort();
    const r = await tomada(['hello', 'connect', `127.0.0.1:${port}`]);
    assert.equal(r.code, 1);
    oneLine(r.stderr, new RegExp(`connection refused by 127\\.0\\.0\\.1:${port}: is the server running\\?`));
    const e = await inProcess(['echo', 'connect', `127.0.0.1:${port}`], 'x\n');
    assert.equal(e.code, 1);
    oneLine(e.stderr, /connection refused/);
  });

  it('read timeout, peer closed without a word, connection reset: one line each, exit 1', async () => {
    const silent = await rawServer((s) => s.on('error', () => undefined));
    const t = await inProcess(['hello', 'connect', '--timeout', '300', `127.0.0.1:${silent}`]);
    assert.equal(t.code, 1);
    oneLine(t.stderr, /no answer from the server after 300 ms; raise --timeout/);

    const closer = await rawServer((s) => s.end());
    const c = await inProcess(['hello', 'connect', `127.0.0.1:${closer}`]);
    assert.equal(c.code, 1);
    oneLine(c.stderr, /the server closed the connection/);
    const ec = await inProcess(['echo', 'connect', `127.0.0.1:${closer}`], 'x\n');
    assert.equal(ec.code, 1);
    oneLine(ec.stderr, /the server closed the connection/);

    const resetter = await rawServer((s) => s.once('data', () => s.resetAndDestroy()));
    const r = await tomada(['echo', 'connect', `127.0.0.1:${resetter}`], 'x\ny\n');
    assert.equal(r.code, 1);
    oneLine(r.stderr, /the connection was reset by the peer/);
  });

  it('a name that does not resolve: one line, exit 1', async () => {
    const r = await inProcess(['hello', 'connect', 'nao-existe.invalid:5000']);
    assert.equal(r.code, 1);
    oneLine(r.stderr, /cannot resolve host "nao-existe\.invalid"/);
  });

  it('bad usage exits 2 with one line: bad addresses, ports, models, conflicting flags', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['hello', 'connect', 'localhost:99999'], /invalid port "99999"/],
      [['hello', 'connect', 'abc:def'], /invalid port "def"/],
      [['hello', 'connect', '1:2:3x'], /invalid address "1:2:3x"/],
      [['echo', 'connect', 'localhost:0'], /port 0 in "localhost:0" only means "any free port" to a server/],
      [['echo', 'serve', '--port', '70000'], /--port must be between 0 and 65535/],
      [['hello', 'serve', '--model', 'forks'], /--model must be one of evented, sequential, threads, processes/],
      [['echo', 'serve', '--udp', '--lines'], /--lines cannot be used with --udp/],
      [['echo', 'serve', '--udp', '--model', 'threads'], /--model cannot be used with --udp/],
      [['hello', 'connect', '--timeout', 'soon'], /--timeout expects a whole number/],
    ];
    for (const [args, pattern] of cases) {
      const r = await inProcess(args);
      assert.equal(r.code, 2, args.join(' '));
      oneLine(r.stderr, pattern);
    }
    const real = await tomada(['hello', 'connect', 'localhost:99999']);
    assert.equal(real.code, 2, 'the real binary exits 2 as well');
  });

  it('--help works for each command', async () => {
    for (const cmd of [
      ['hello', 'serve'],
      ['hello', 'connect'],
      ['echo', 'serve'],
      ['echo', 'connect'],
    ]) {
      const r = await inProcess([...cmd, '--help']);
      assert.equal(r.code, 0);
      assert.match(r.stdout, /Usage: tomada/);
    }
  });

  it('SIGINT/SIGTERM: stop accepting, close connections, exit 0, under every model', async () => {
    for (const [model, signal] of [
      ['evented', 'SIGINT'],
      ['sequential', 'SIGTERM'],
      ['threads', 'SIGINT'],
      ['processes', 'SIGTERM'],
    ] as const) {
      const sized = model === 'processes' ? ['--workers', '2'] : model === 'threads' ? ['--threads', '2'] : [];
      const { proc, port } = await serve(['echo', 'serve', '--model', model, ...sized]);
      const c = await WireClient.connect(port);
      c.socket.write('oi');
      await c.waitFor('Echo: oi');
      assert.equal(await proc.stop(signal), 0, model);
      assert.match(proc.stdout, new RegExp(`stopping \\(${signal}\\)`));
      if (!c.closed) await once(c.socket, 'close'); // the open connection was closed by the server
      await assert.rejects(connect(port), /ECONNREFUSED/, `${model}: no longer accepting`);
    }
  });

  it('no client can crash a server: resets, half-closes, garbage, then still serving', async () => {
    for (const model of ['evented', 'threads', 'processes']) {
      const sized = model === 'processes' ? ['--workers', '2'] : [];
      const { proc, port } = await serve(['echo', 'serve', '--lines', '--model', model, ...sized]);
      for (let i = 0; i < 5; i++) {
        const s = await connect(port);
        s.on('error', () => undefined);
        s.write(Buffer.from([0xff, 0xfe, 0x00, 0x0a, 0xc3]));
        if (i % 2 === 0) s.resetAndDestroy();
        else s.end();
      }
      const h = await connect(port);
      h.write('metade');
      h.end(); // half-close: the pending line is still answered before the server closes
      assert.equal((await readToEnd(h)).toString(), 'Echo: metade\n');
      const c = await WireClient.connect(port);
      c.socket.write('vivo\n');
      await c.waitFor('Echo: vivo\n');
      c.socket.destroy();
      assert.equal(proc.child.exitCode, null, `${model} server still running`);
      assert.equal(await proc.stop(), 0);
      assert.equal(proc.stderr, '', 'nothing on stderr: no unhandled error, no stack');
    }
  });
});
