/**
 * End to end, on loopback with ports chosen by the system: `tomada echo --udp` (chapter 4's datagram
 * sockets, against the tutorial-style Python programs too), and issue 2's "What every program gets right"
 * (one-line errors, exit codes, clean stops) for every tool.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { python } from '../helpers/cli.js';
import { WireClient } from '../helpers/wire.js';
import { connect, readToEnd } from '../tools/net-helpers.js';
import { isPrivilegedSourcePort } from '../../src/tools/udp.js';
import { freePort, inProcess, oneLine, procs, rawServer, serve, tomada, udpPeer } from '../helpers/tutorial-tools.js';

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
