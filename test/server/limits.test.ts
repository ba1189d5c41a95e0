import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { writeSelfSignedCert } from '../../src/cli/commands/cert.js';
import { startChatServer } from '../../src/server/chat-server.js';
import type { ChatConfigInput } from '../../src/server/config.js';
import { CliProcess, ensureStopped, serveArgs } from '../helpers/cli.js';
import { closedAfterTests } from '../helpers/chat-server.js';
import { WireClient } from '../helpers/wire.js';

const { open, servers } = closedAfterTests<WireClient>();
let dir: string;
let cert: string;
let key: string;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tomada-limits-'));
  ({ cert, key } = await writeSelfSignedCert({ out: dir, days: 1, hosts: ['localhost', '127.0.0.1'] }));
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Every door on a free loopback port (TLS on IRC and HTTP), with the log kept as JSON lines. */
async function allDoors(extra: ChatConfigInput = {}) {
  const log: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n')) if (l) log.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  const any = { host: '127.0.0.1', port: 0 };
  const server = await startChatServer(
    { line: any, irc: any, ircs: any, http: any, tlsCert: cert, tlsKey: key, dataDir: ':memory:', ...extra },
    { logger: pino({ level: 'info' }, sink) },
  );
  servers.push(server);
  const port = (name: string) => server.address(name)!.port;
  return { server, log, port };
}

async function raw(port: number) {
  const c = await WireClient.connect(port);
  open.push(c);
  return c;
}

describe('TLS handshakes are counted and have a deadline', () => {
  it('unfinished handshakes from one address are refused past --max-per-ip, on --ircs and HTTPS', async () => {
    const { port } = await allDoors({ limits: { maxPerIp: 3, handshakeTimeoutSecs: 60 } });
    // Three connections that never start their handshake hold the address's three slots.
    const silent = [await raw(port('ircs')), await raw(port('http')), await raw(port('ircs'))];
    const started = Date.now();
    const fourth = await raw(port('ircs'));
    await fourth.waitClosed(5000);
    const fifth = await raw(port('http'));
    await fifth.waitClosed(5000);
    assert.ok(Date.now() - started < 5000, 'refused at once, not at the handshake deadline');
    // A plain IRC client from that address is told why: the unfinished handshakes count.
    const irc = await raw(port('irc'));
    await irc.waitFor(/ERROR :Closing Link: 127\.0\.0\.1 \(Too many connections from your IP address\)\r\n/);
    assert.ok(
      silent.every((c) => !c.closed),
      'the first three are still within their deadline',
    );
  });

  it('a silent TLS peer, and one trickling half a ClientHello, are closed at the handshake deadline', async () => {
    const { port } = await allDoors({ limits: { handshakeTimeoutSecs: 0.5 } });
    for (const door of ['ircs', 'http']) {
      const started = Date.now();
      const silent = await raw(port(door));
      const trickle = await raw(port(door));
      // The first bytes of a TLS record header, one every 100 ms: an idle timer would never fire.
      const bytes = [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc];
      const timer = setInterval(() => {
        const b = bytes.shift();
        if (b !== undefined && !trickle.closed) trickle.send(Buffer.from([b]));
      }, 100);
      await silent.waitClosed(5000);
      await trickle.waitClosed(5000);
      clearInterval(timer);
      const took = Date.now() - started;
      assert.ok(took >= 450 && took < 3000, `${door}: closed after ${took} ms`);
    }
  });

  it('a failed handshake is closed at once', async () => {
    const { port } = await allDoors({ limits: { handshakeTimeoutSecs: 60 } });
    const c = await raw(port('ircs'));
    c.send('NICK not-tls\r\nUSER x 0 * :x\r\n');
    await c.waitClosed(5000);
  });
});

describe('refusals at the limits are not silent', () => {
  it('at --max-connections every door answers in its own words, and the refusals are logged at a bounded rate', async () => {
    const { port, log } = await allDoors({
      ircs: null,
      tlsCert: undefined,
      tlsKey: undefined,
      limits: { maxConnections: 2 },
    });
    const a = await raw(port('line'));
    const b = await raw(port('irc'));
    await a.waitFor('APELIDO');
    assert.ok(!b.closed);
    const line = await raw(port('line'));
    await line.waitFor('! The server is full; try again later.\n');
    await line.waitClosed();
    const irc = await raw(port('irc'));
    await irc.waitFor(/^ERROR :Closing Link: 127\.0\.0\.1 \(Server is full\)\r\n/);
    const web = await raw(port('http'));
    web.send('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await web.waitFor(/^HTTP\/1\.1 503 Service Unavailable\r\n[^]*Too many connections; try again later\.\n/);
    for (let i = 0; i < 5; i++) await (await raw(port('line'))).waitClosed();
    const refusals = log.filter((l) => /connection\(s\) refused/.test(String(l.msg)));
    assert.equal(refusals.length, 1, 'eight refusals, one log line in the interval');
    assert.equal(refusals[0]!.refused, 1);
    assert.equal(refusals[0]!.reason, 'total');
  });

  it('out of file descriptors (EMFILE), clients are still told the server is full, and it recovers', async () => {
    // From the sources, as every other CLI test (the built dist/ is not there when this file runs alone).
    const main = join(process.cwd(), 'src/cli/main.ts');
    const args = serveArgs({ line: true }, '--max-per-ip', '1000');
    const p = new CliProcess(
      ['-c', `ulimit -n 128 && exec "${process.execPath}" --import tsx "${main}" "$@"`, 'tomada', ...args],
      {},
      'bash',
    );
    try {
      const port = await p.listeningPort();
      const held: WireClient[] = [];
      let told = 0;
      let silent = 0;
      while (told < 5 && held.length < 400) {
        const c = await raw(port);
        held.push(c);
        await Promise.race([c.waitFor(/APELIDO|full/), c.waitClosed()]).catch(() => undefined);
        if (/full/.test(c.received)) told++;
        else if (c.closed) silent++;
      }
      assert.equal(told, 5, `told ${told}, silent ${silent}, after ${held.length} connections`);
      assert.ok(silent <= 1, `${silent} dropped without a word (libuv drops the one that hit EMFILE)`);
      // Room again: once the server has seen some clients leave, a new client gets in.
      for (const c of held.splice(0, 20)) c.close();
      let back: WireClient | undefined;
      for (let i = 0; i < 50 && !back; i++) {
        const c = await raw(port);
        await Promise.race([c.waitFor(/APELIDO|full/), c.waitClosed()]).catch(() => undefined);
        if (c.received.includes('APELIDO')) back = c;
      }
      assert.ok(back, 'a client got in again');
    } finally {
      await ensureStopped(p);
    }
  });
});

describe('HTTP headers: a deadline and a count', () => {
  it('a request whose headers never end gets 408 at the registration deadline', async () => {
    const { port } = await allDoors({
      tlsCert: undefined,
      tlsKey: undefined,
      ircs: null,
      limits: { registrationTimeoutSecs: 1 },
    });
    const started = Date.now();
    const c = await raw(port('http'));
    c.send('GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n');
    await c.waitFor(/^HTTP\/1\.1 408 Request Timeout\r\n[^]*The request headers took too long\.\n/, 5000);
    await c.waitClosed();
    const took = Date.now() - started;
    assert.ok(took >= 900 && took < 3000, `answered after ${took} ms`);
  });

  it('3,000 short headers get 431, on an upgrade and on a plain request', async () => {
    const { port } = await allDoors({ tlsCert: undefined, tlsKey: undefined, ircs: null });
    const many = Array.from({ length: 3000 }, (_, i) => `a${i % 10}:b\r\n`).join('');
    const upgrade = await raw(port('http'));
    upgrade.send(
      'GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n' +
        many +
        '\r\n',
    );
    await upgrade.waitFor(/^HTTP\/1\.1 431 /);
    const plain = await raw(port('http'));
    plain.send('GET /healthz HTTP/1.1\r\nHost: localhost\r\n' + many.slice(0, 150 * 6) + '\r\n');
    await plain.waitFor(/^HTTP\/1\.1 431 [^]*Too many request headers\.\n/);
    const fine = await raw(port('http'));
    fine.send('GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    await fine.waitFor(/^HTTP\/1\.1 200 OK/);
  });
});
