import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { frameText } from '../../src/codec/ws-frame.js';
import { Sweep } from '../../src/transports/connection.js';
import { checkUpgrade, WsConnection, type WsShared } from '../../src/transports/websocket.js';

/** An HTTP server whose WebSockets echo each message back (as text), through WsConnection. */
describe('WebSocket connection (RFC 6455, server side)', () => {
  let server: http.Server;
  let port: number;
  const shared: WsShared = { maxPayload: 1024, heartbeat: new Sweep<WsConnection>(60_000) };
  const closed: string[] = [];
  before(async () => {
    server = http.createServer();
    server.on('upgrade', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
      const refusal = checkUpgrade(req);
      if (refusal) {
        const extra = Object.entries(refusal.headers ?? {})
          .map(([k, v]) => `${k}: ${v}\r\n`)
          .join('');
        socket.end(`HTTP/1.1 ${refusal.status} ${refusal.reason}\r\n${extra}Content-Length: 0\r\n\r\n`);
        return;
      }
      const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim());
      const ws = WsConnection.accept(req, socket, head, offered.includes('echo') ? 'echo' : undefined, shared);
      ws.owner = {
        wsMessage: (data, binary) => {
          const text = data.toString(binary ? 'hex' : 'utf8');
          if (text === 'bye') ws.close(4000, 'até logo');
          else ws.write(frameText(`echo: ${text}`));
        },
        wsClosed: () => closed.push('closed'),
      };
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as net.AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** The status line and headers a raw upgrade request gets. */
  async function rawUpgrade(headers: Record<string, string>): Promise<string> {
    const s = net.connect(port, '127.0.0.1');
    await once(s, 'connect');
    const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`);
    s.write(`GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\n${lines.join('')}\r\n`);
    let got = '';
    s.on('data', (d: Buffer) => (got += d.toString()));
    await once(s, 'end');
    s.destroy();
    return got;
  }

  it('answers the handshake with the key’s accept value and the chosen subprotocol', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`, ['other', 'echo']);
    await once(ws, 'open'); // ws checks Sec-WebSocket-Accept itself
    assert.equal(ws.protocol, 'echo');
    ws.send('olá');
    const [data] = (await once(ws, 'message')) as [Buffer];
    assert.equal(data.toString(), 'echo: olá');
    ws.close();
    await once(ws, 'close');
  });

  it('refuses a bad handshake: 426 naming version 13, 400 for a bad key or no websocket upgrade', async () => {
    const v = await rawUpgrade({
      Upgrade: 'websocket',
      'Sec-WebSocket-Version': '8',
      'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
    });
    assert.match(v, /^HTTP\/1\.1 426 /);
    assert.match(v, /\r\nSec-WebSocket-Version: 13\r\n/);
    const k = await rawUpgrade({ Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'short' });
    assert.match(k, /^HTTP\/1\.1 400 /);
    const u = await rawUpgrade({
      Upgrade: 'h2c',
      'Sec-WebSocket-Version': '13',
      'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
    });
    assert.match(u, /^HTTP\/1\.1 400 /);
  });

  it('answers a ping with a pong of the same payload, and echoes the peer’s close code', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
    await once(ws, 'open');
    ws.ping('marco');
    const [pong] = (await once(ws, 'pong')) as [Buffer];
    assert.equal(pong.toString(), 'marco');
    const before = closed.length;
    ws.close(4001, 'fim');
    const [code] = (await once(ws, 'close')) as [number];
    assert.equal(code, 4001);
    while (closed.length === before) await new Promise((r) => setImmediate(r));
  });

  it('closes with its own code and reason when the server ends the conversation', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
    await once(ws, 'open');
    ws.send('bye');
    const [code, reason] = (await once(ws, 'close')) as [number, Buffer];
    assert.equal(code, 4000);
    assert.equal(reason.toString(), 'até logo');
  });

  it('condemns a message over the limit with 1009 and reads nothing more', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
    ws.on('error', () => undefined);
    await once(ws, 'open');
    ws.send('x'.repeat(1025));
    const [code] = (await once(ws, 'close')) as [number];
    assert.equal(code, 1009);
  });

  it('leaves the open set when closed, and the heartbeat cuts a peer that stopped answering', async () => {
    while (shared.heartbeat.size > 0) await new Promise((r) => setTimeout(r, 10));
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`, { autoPong: false });
    await once(ws, 'open');
    assert.equal(shared.heartbeat.size, 1);
    const [conn] = shared.heartbeat;
    conn!.sweep(); // ping 1: unanswered
    conn!.sweep(); // silent since: cut, no closing handshake
    const [code] = (await once(ws, 'close')) as [number];
    assert.equal(code, 1006);
  });
});
