import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { startChatServer, type ChatServer } from '../../src/server/chat-server.js';
import { runChatBench, type ChatBenchOptions } from '../../src/bench/chat.js';
import type { ChatReport } from '../../src/bench/report.js';

/**
 * A fake web door: answers the upgrade with a 101 and, in the same write, `frames` (server frames);
 * then ignores what the client sends. For what tomada's door never does.
 */
async function fakeDoor(frames: Buffer): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let head = '';
    const onData = (d: Buffer) => {
      head += d.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      const key = /\r\nSec-WebSocket-Key: (\S+)\r\n/i.exec(head)?.[1] ?? '';
      const accept = createHash('sha1')
        .update(key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11')
        .digest('base64');
      const response = `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`;
      socket.write(Buffer.concat([Buffer.from(response, 'latin1'), frames]));
      socket.resume();
    };
    socket.on('data', onData);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** An unmasked server text frame (payload under 126 bytes), or with `header` as its first byte. */
function serverFrame(text: string, first = 0x81, second = 0): Buffer {
  const body = Buffer.from(text);
  return Buffer.concat([Buffer.from([first, second | body.length]), second ? Buffer.alloc(4) : Buffer.alloc(0), body]);
}

/** `tomada bench chat --proto ws` against tomada's web door (in this process, port 0, limits raised). */
describe('tomada bench chat --proto ws', () => {
  let server: ChatServer;
  let port: number;
  before(async () => {
    server = await startChatServer({
      line: null,
      irc: null,
      http: { host: '127.0.0.1', port: 0 },
      dataDir: ':memory:',
      limits: { maxPerIp: 1000, floodRate: 1000, floodBurst: 1000 },
    });
    port = server.address('http')!.port;
  });
  after(() => server.close());

  const options = (o: Partial<ChatBenchOptions>): ChatBenchOptions => ({
    proto: 'ws',
    host: '127.0.0.1',
    port,
    clients: 5,
    senders: 2,
    rate: 20,
    size: 100,
    durationSec: 1,
    procs: 1,
    connectConcurrency: 10,
    connectTimeoutMs: 10_000,
    drainMs: 5000,
    ...o,
  });

  /** Every message at every other client, once, intact (the sender's own copy is not a delivery). */
  function assertExact(report: ChatReport, clients: number): void {
    assert.equal(report.proto, 'ws');
    assert.equal(report.connected, clients);
    assert.equal(report.failed, 0, report.failures.join('; '));
    assert.equal(report.dropped, 0);
    assert.ok(report.sent >= 2, `sent ${report.sent}`);
    assert.equal(report.expected, report.sent * (clients - 1));
    assert.equal(report.received, report.expected);
    assert.equal(report.lost, 0);
    assert.equal(report.duplicates, 0);
    assert.equal(report.corrupt, 0);
    assert.equal(report.reordered, 0);
    assert.equal(report.stale, 0);
    assert.ok(report.latencyUs.p99 > 0);
  }

  it('delivers every message to every other client: no loss, duplicates or corruption (CLI, JSON)', async () => {
    const r = await runCli([
      'bench',
      'chat',
      '--proto',
      'ws',
      '--port',
      String(port),
      '--clients',
      '6',
      '--senders',
      '2',
      '--rate',
      '20',
      '--duration',
      '1',
      '--json',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assertExact(JSON.parse(r.stdout) as ChatReport, 6);
  });

  it('counts the same when the clients are spread over processes (--procs 2)', async () => {
    assertExact(await runChatBench(options({ clients: 5, senders: 3, procs: 2 })), 5);
  });

  it('--no-join: hello only, every client registered, no room, nothing delivered', async () => {
    const report = await runChatBench(options({ clients: 4, senders: 0, rate: 0, noJoin: true }));
    assert.equal(report.connected, 4);
    assert.equal(report.failed, 0, report.failures.join('; '));
    assert.equal(report.sent, 0);
    assert.equal(report.received, 0);
    assert.equal(server.hub.findRoom('#bench')?.members.size ?? 0, 0);
  });

  it('checks long messages whose frames are cut across reads (4000-byte payloads)', async () => {
    assertExact(await runChatBench(options({ clients: 5, senders: 2, rate: 50, size: 4000 })), 5);
  });

  it("answers the server's heartbeat pings: nobody is cut off as dead", async () => {
    // A ping every second; a socket that has not answered the previous one (nor sent anything: most
    // clients only listen) is cut off at the next one.
    const pinging = await startChatServer({
      line: null,
      irc: null,
      http: { host: '127.0.0.1', port: 0 },
      dataDir: ':memory:',
      limits: { maxPerIp: 1000, floodRate: 1000, floodBurst: 1000, pingIntervalSecs: 1 },
    });
    try {
      const r = await runChatBench(
        options({ port: pinging.address('http')!.port, clients: 4, senders: 1, rate: 5, durationSec: 3.5 }),
      );
      assertExact(r, 4);
    } finally {
      await pinging.close();
    }
  });

  it('handles frames that arrive in the same read as the 101 (a fake door)', async () => {
    const door = await fakeDoor(serverFrame('{"type":"welcome","nick":"b0"}'));
    try {
      const r = await runChatBench(options({ port: door.port, clients: 1, senders: 0, rate: 0, noJoin: true }));
      assert.equal(r.connected, 1);
      assert.equal(r.failed, 0, r.failures.join('; '));
    } finally {
      await door.close();
    }
  });

  it('reports a protocol error from the server (a masked frame) as a failure, without crashing', async () => {
    const door = await fakeDoor(serverFrame('{"type":"welcome","nick":"b0"}', 0x81, 0x80));
    try {
      const r = await runChatBench(options({ port: door.port, clients: 1, senders: 0, rate: 0, noJoin: true }));
      assert.equal(r.connected, 0);
      assert.equal(r.failed, 1);
      assert.match(r.failures[0]!, /: websocket protocol error: masked frame/);
    } finally {
      await door.close();
    }
  });

  it('reports refused connections (the per-address limit: 503 on upgrade) as failures', async () => {
    const tight = await startChatServer({
      line: null,
      irc: null,
      http: { host: '127.0.0.1', port: 0 },
      dataDir: ':memory:',
      limits: { maxPerIp: 2 },
    });
    try {
      const r = await runChatBench(
        options({ port: tight.address('http')!.port, clients: 3, senders: 0, rate: 0, connectConcurrency: 1 }),
      );
      assert.equal(r.connected, 2);
      assert.equal(r.failed, 1);
      assert.match(r.failures[0]!, /: HTTP\/1\.1 503 /);
    } finally {
      await tight.close();
    }
  });
});
