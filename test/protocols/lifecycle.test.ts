import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { startChatServer, type ChatServer } from '../../src/server/chat-server.js';
import { lineUser, WireClient } from '../helpers/wire.js';

/**
 * The connection lifecycle every door shares: a condemned connection is read no more and cut soon; a
 * reader dropped for not reading is reset; the connection counters follow the live sessions.
 */
const servers: ChatServer[] = [];
const sockets: net.Socket[] = [];
after(async () => {
  for (const s of sockets) s.destroy();
  for (const s of servers) await s.close();
});
async function start(limits: Record<string, number> = {}): Promise<ChatServer> {
  const s = await startChatServer({
    line: { host: '127.0.0.1', port: 0 },
    irc: { host: '127.0.0.1', port: 0 },
    http: { host: '127.0.0.1', port: 0 },
    dataDir: ':memory:',
    limits: { floodRate: 1000, floodBurst: 1000, ...limits },
  });
  servers.push(s);
  return s;
}

/**
 * Keeps writing to `socket` for as long as the server takes it, from now until the connection closes:
 * how many bytes the kernel accepted, and how long the connection lived.
 */
async function keepWriting(socket: net.Socket): Promise<{ bytes: number; ms: number }> {
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  const t0 = performance.now();
  let bytes = 0;
  let closed = false;
  const gone = new Promise<void>((r) => socket.once('close', () => r())).then(() => (closed = true));
  socket.on('error', () => undefined);
  while (!closed) {
    if (socket.write(chunk)) bytes += chunk.length;
    else {
      bytes += chunk.length;
      // 'drain', or the end: an error (EPIPE once the server cut) closes the socket too.
      await Promise.race([new Promise((r) => socket.once('drain', r)), gone]);
    }
    await new Promise<void>((r) => setImmediate(r));
  }
  return { bytes, ms: performance.now() - t0 };
}

/**
 * A peer that keeps its side open after the server's FIN (allowHalfOpen), as a misbehaving client
 * would: only the server can end the connection. `text()` is everything received.
 */
async function halfOpenPeer(
  port: number,
): Promise<{ socket: net.Socket; text: () => string; until: (s: string) => Promise<void> }> {
  const socket = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true });
  sockets.push(socket);
  await once(socket, 'connect');
  let received = '';
  const waiters: Array<() => void> = [];
  socket.on('data', (d: Buffer) => {
    received += d.toString('latin1');
    for (const w of waiters.splice(0)) w();
  });
  socket.on('error', () => undefined);
  const until = async (want: string) => {
    while (!received.includes(want)) await new Promise<void>((r) => waiters.push(r));
  };
  return { socket, text: () => received, until };
}

// Kernel buffers on loopback can hold a few MiB; reading on for the 2 s (or 30 s) of before is far more.
const READ_BOUND = 16 * 1024 * 1024;
const CLOSE_BOUND_MS = 1000;

describe('connection lifecycle: a condemned connection reads nothing more', () => {
  it('line door: after an over-long line the server stops reading and closes promptly', async () => {
    const s = await start({ maxLine: 100 });
    const p = await halfOpenPeer(s.address('line')!.port);
    await p.until('APELIDO');
    p.socket.write('falador\n');
    await p.until('Conectado ao servidor!\n');
    p.socket.write('x'.repeat(101) + '\n');
    const r = await keepWriting(p.socket);
    assert.match(p.text(), /! Line too long \(more than 100 bytes\); closing\.\n/);
    assert.ok(r.bytes < READ_BOUND, `the server took ${r.bytes} bytes after condemning`);
    assert.ok(r.ms < CLOSE_BOUND_MS, `closed after ${Math.round(r.ms)} ms`);
  });

  it('IRC door: after a flood (Excess Flood), the same', async () => {
    const s = await start({ floodRate: 1, floodBurst: 1, floodQueue: 5 });
    const p = await halfOpenPeer(s.address('irc')!.port);
    p.socket.write('NICK longo\r\nUSER l 0 * :l\r\n');
    await p.until(' 001 longo ');
    p.socket.write('PRIVMSG longo :f\r\n'.repeat(50));
    const r = await keepWriting(p.socket);
    assert.match(p.text(), /ERROR :Closing Link: \S+ \(Excess Flood\)/);
    assert.ok(r.bytes < READ_BOUND, `the server took ${r.bytes} bytes after condemning`);
    assert.ok(r.ms < CLOSE_BOUND_MS, `closed after ${Math.round(r.ms)} ms`);
  });

  it('web door: after a message over the maximum (close 1009), the same, not ws’s 30 s', async () => {
    const s = await start();
    const p = await halfOpenPeer(s.address('http')!.port);
    p.socket.write(
      'GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
    await p.until('\r\n\r\n');
    assert.match(p.text(), /^HTTP\/1\.1 101 /);
    // A masked binary frame announcing 100,000 bytes (over MAX_PAYLOAD): ws refuses it at the header.
    const big = Buffer.concat([Buffer.from([0x82, 0xff]), Buffer.alloc(8), Buffer.from([1, 2, 3, 4])]);
    big.writeBigUInt64BE(100_000n, 2);
    p.socket.write(big);
    const r = await keepWriting(p.socket);
    const frames = Buffer.from(p.text().slice(p.text().indexOf('\r\n\r\n') + 4), 'latin1');
    assert.equal(frames[0], 0x88, 'a close frame');
    assert.equal(frames.readUInt16BE(2), 1009);
    assert.ok(r.bytes < READ_BOUND, `the server took ${r.bytes} bytes after condemning`);
    assert.ok(r.ms < CLOSE_BOUND_MS, `closed after ${Math.round(r.ms)} ms`);
  });
});

describe('connection lifecycle: a reader that does not read', () => {
  it('is reset: the bytes queued for it in the kernel are dropped at once, not delivered later', async () => {
    const s = await start({ maxSendQueue: 64 * 1024, maxLine: 65536 });
    const port = s.address('line')!.port;
    const ana = await lineUser(port, 'ana');
    const slow = await lineUser(port, 'lento');
    const bia = await lineUser(port, 'bia');
    sockets.push(ana.socket, slow.socket, bia.socket);
    slow.socket.pause();
    const before = slow.received.length;
    const line = 'y'.repeat(60_000);
    let sent = 0;
    for (let i = 0; i < 400 && !ana.received.includes('lento saiu do chat!'); i++) {
      bia.send(`${i} ${line}\n`);
      await ana.waitFor(`bia: ${i} `);
      sent += line.length;
    }
    await ana.waitFor('lento saiu do chat!\n');
    slow.socket.resume();
    await slow.waitClosed();
    const got = slow.received.length - before;
    // Half-closed, the server's kernel would still deliver its whole send buffer (MiBs on loopback);
    // reset, only what already sat in the reader's own receive buffer arrives.
    assert.ok(got < 1024 * 1024, `the dropped reader still received ${got} of ${sent} bytes`);
  });
});

describe('connection counters follow the live sessions', () => {
  it('tomada_connections{door="irc"} goes back to 0 when IRC clients quit; bytes out are counted for line and IRC', async () => {
    const s = await start();
    const metrics = async () => {
      const res = await fetch(`http://127.0.0.1:${s.address('http')!.port}/metrics`);
      return res.text();
    };
    const irc: WireClient[] = [];
    for (const nick of ['um', 'dois', 'tres']) {
      const c = await WireClient.connect(s.address('irc')!.port);
      sockets.push(c.socket);
      c.send(`NICK ${nick}\r\nUSER ${nick} 0 * :${nick}\r\n`);
      await c.waitFor(/ 001 /);
      irc.push(c);
    }
    const line = await lineUser(s.address('line')!.port, 'linha');
    sockets.push(line.socket);
    let text = await metrics();
    assert.match(text, /tomada_connections\{door="irc"\} 3\n/);
    for (const c of irc) {
      c.send('QUIT :tchau\r\n');
      await c.waitClosed();
    }
    line.socket.end();
    await line.waitClosed();
    // The server notices the ends in its own turn: wait for the counters to say so.
    for (let i = 0; i < 50 && !/tomada_connections\{door="line"\} 0\n/.test(text); i++) {
      await new Promise((r) => setTimeout(r, 20));
      text = await metrics();
    }
    assert.match(text, /tomada_connections\{door="irc"\} 0\n/);
    assert.match(text, /tomada_connections\{door="line"\} 0\n/);
    const out = (door: string) =>
      Number(new RegExp(`tomada_bytes_out_total\\{door="${door}"\\} (\\d+)`).exec(text)?.[1]);
    assert.ok(out('line') > 'APELIDOConectado ao servidor!\n'.length, `line bytes out: ${out('line')}`);
    assert.ok(out('irc') > 1000, `irc bytes out: ${out('irc')}`);
  });
});
