import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { CSP } from '../../../src/protocols/web/http.js';
import { normaliseOrigin, originAllowed } from '../../../src/transports/origin.js';
import type { ChatServer } from '../../../src/server/chat-server.js';
import { JsonClient, webServer } from './helpers.js';

/** The HTTP status of a refused upgrade (or 101 when it was accepted). */
async function upgradeStatus(url: string, headers: Record<string, string>, protocols: string[] = []): Promise<number> {
  const ws = new WebSocket(url, protocols, { headers });
  const status = await new Promise<number>((resolve, reject) => {
    ws.on('error', reject);
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('open', () => resolve(101));
  });
  ws.terminate();
  return status;
}

describe('origin check (pure)', () => {
  it('allows no Origin, the same origin, and listed origins; refuses the rest', () => {
    assert.equal(originAllowed(undefined, 'chat.example:8080', []), true);
    assert.equal(originAllowed('http://chat.example:8080', 'chat.example:8080', []), true);
    assert.equal(originAllowed('https://chat.example', 'chat.example', []), true);
    assert.equal(originAllowed('https://chat.example', 'chat.example:443', []), true);
    assert.equal(originAllowed('http://evil.example', 'chat.example:8080', []), false);
    assert.equal(originAllowed('http://chat.example:9999', 'chat.example:8080', []), false);
    assert.equal(originAllowed('null', 'chat.example', []), false);
    assert.equal(originAllowed('https://app.example', 'chat.example', ['https://app.example']), true);
    assert.equal(originAllowed('https://APP.example:443', 'chat.example', ['https://app.example']), true);
    assert.equal(originAllowed('http://anything', 'chat.example', ['*']), true);
    assert.equal(normaliseOrigin('https://A.org:443/x'), 'https://a.org');
  });
});

describe('web door hardening', () => {
  let server: ChatServer;
  let port: number;
  let url: string;
  before(async () => {
    ({ server, port, url } = await webServer({
      allowOrigins: ['https://friend.example'],
      limits: { pingIntervalSecs: 1, floodRate: 5, floodBurst: 5, floodQueue: 10 },
    }));
  });
  after(() => server.close());

  it('refuses a WebSocket from another origin with 403, accepts same-origin, listed and Origin-less', async () => {
    assert.equal(await upgradeStatus(`${url}/ws`, { Origin: 'http://evil.example' }), 403);
    assert.equal(await upgradeStatus(`${url}/ws`, { Origin: `http://127.0.0.1:${port}` }), 101);
    assert.equal(await upgradeStatus(`${url}/ws`, { Origin: 'https://friend.example' }), 101);
    assert.equal(await upgradeStatus(`${url}/ws`, {}), 101);
    assert.equal(await upgradeStatus(`${url}/elsewhere`, {}), 404);
    // IRC over WebSocket is checked the same way.
    const irc = ['text.ircv3.net'];
    assert.equal(await upgradeStatus(`${url}/`, { Origin: 'http://evil.example' }, irc), 403);
    assert.equal(await upgradeStatus(`${url}/`, { Origin: `http://127.0.0.1:${port}` }, irc), 101);
  });

  it('closes with 1009 on a message over 64 KiB', async () => {
    const c = await JsonClient.open(url);
    c.ws.send(JSON.stringify({ type: 'ping', ref: 'x'.repeat(64 * 1024) }));
    assert.equal(await c.closed, 1009);
    // Just under the limit is a normal (if invalid) message.
    const d = await JsonClient.open(url);
    d.ws.send('x'.repeat(64 * 1024 - 1));
    assert.equal((await d.next((m) => m.type === 'error')).code, 'BAD_MESSAGE');
    await d.close();
  });

  it('closes with 1007 on invalid UTF-8 in a text message', async () => {
    const c = await JsonClient.open(url);
    // ws's client validates nothing it sends: frame the bad bytes as text by hand.
    (c.ws as unknown as { _sender: { send(d: Buffer, o: object, cb?: () => void): void } })._sender.send(
      Buffer.from([0x7b, 0xc3, 0x28, 0x7d]),
      { binary: false, fin: true, mask: true, compress: false, rsv1: false },
    );
    assert.equal(await c.closed, 1007);
  });

  it('drops a socket that stops answering pings (heartbeat), and its user leaves the room', async () => {
    const watcher = await JsonClient.chat(url, 'watcher');
    const dead = new JsonClient(new WebSocket(`${url}/ws`, { autoPong: false }));
    await once(dead.ws, 'open');
    dead.send({ type: 'hello', nick: 'zumbi' });
    await dead.next((m) => m.type === 'welcome');
    dead.send({ type: 'join', room: '#geral' });
    await dead.next((m) => m.type === 'joined');
    // An IRC-over-WebSocket client that stops answering is dropped the same way.
    const deadIrc = new WebSocket(`${url}/`, ['text.ircv3.net'], { autoPong: false });
    deadIrc.on('error', () => undefined);
    const ircClosed = new Promise<number>((resolve) => deadIrc.on('close', (code) => resolve(code)));
    await once(deadIrc, 'open');
    deadIrc.send('NICK zumbirc');
    deadIrc.send('USER zumbirc 0 * :z');
    deadIrc.send('JOIN #geral');
    await watcher.next((m) => m.type === 'presence' && m.event === 'join' && m.nick === 'zumbirc');
    const started = Date.now();
    const quit = await watcher.next((m) => m.type === 'presence' && m.event === 'quit' && m.nick === 'zumbi', 6000);
    assert.ok(Date.now() - started < 4000, 'dropped within two ping intervals');
    assert.equal(quit.event, 'quit');
    await dead.closed;
    await watcher.next((m) => m.type === 'presence' && m.event === 'quit' && m.nick === 'zumbirc', 6000);
    assert.equal(await ircClosed, 1006, 'cut off, no closing handshake');
    // A live client (auto pong) is still there.
    watcher.send({ type: 'ping', ref: 'alive' });
    assert.equal((await watcher.next((m) => m.type === 'pong')).ref, 'alive');
    await watcher.close();
  });

  it('flood control delays a burst and disconnects a sustained flood', async () => {
    const c = await JsonClient.chat(url, 'rapido', '#flood');
    for (let i = 0; i < 40; i++) c.send({ type: 'message', target: '#flood', text: `x${i}` });
    const e = await c.next((m) => m.type === 'error');
    assert.equal(e.code, 'FLOOD');
    assert.equal(await c.closed, 1008);
    // The burst that fit was handled and echoed before the disconnection.
    // (hello and join took 2 of the 5 tokens)
    assert.equal(c.received.filter((m) => m.type === 'message').length, 3);
  });

  it('serves the client with security headers (a CSP without inline scripts), /healthz and /metrics', async () => {
    const base = `http://127.0.0.1:${port}`;
    const page = await fetch(`${base}/`);
    assert.ok(page.status === 200 || page.status === 503, `status ${page.status}`);
    assert.equal(page.headers.get('content-security-policy'), CSP);
    assert.match(CSP, /script-src 'self'(;|$)/);
    assert.doesNotMatch(CSP, /unsafe-inline/);
    assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(page.headers.get('x-frame-options'), 'DENY');
    await page.arrayBuffer();
    const health = await fetch(`${base}/healthz`);
    assert.equal(health.status, 200);
    assert.equal(((await health.json()) as { status: string }).status, 'ok');
    const c = await JsonClient.chat(url, 'medidor', '#metrics');
    c.send({ type: 'message', target: '#metrics', text: 'conta' });
    await c.next((m) => m.type === 'message');
    const metrics = await fetch(`${base}/metrics`);
    assert.match(metrics.headers.get('content-type') ?? '', /^text\/plain/);
    const text = await metrics.text();
    assert.match(text, /# TYPE tomada_connections gauge/);
    assert.match(text, /tomada_connections\{door="web"\} 1/);
    assert.match(text, /tomada_messages_in_total\{door="web"\} \d+/);
    assert.match(text, /tomada_bytes_out_total\{door="web"\} [1-9]\d*/);
    assert.match(text, /tomada_slow_consumers_total\{door="web"\} 0/);
    assert.match(text, /tomada_messages_out_total [1-9]\d*/);
    assert.match(text, /tomada_deliveries_total \d+/);
    assert.match(text, /tomada_turns_total [1-9]\d*/, 'the message was written at an end of turn');
    assert.match(text, /tomada_delivery_rate \d/);
    assert.match(text, /tomada_history_writes_total [1-9]\d*/);
    assert.match(text, /tomada_flood_disconnects_total\{door="web"\} [1-9]/);
    await c.close();
    const missing = await fetch(`${base}/../../etc/passwd`);
    assert.equal(missing.status, 404);
    await missing.arrayBuffer();
    const post = await fetch(`${base}/`, { method: 'POST' });
    assert.equal(post.status, 405);
    await post.arrayBuffer();
  });
});

describe('web door: the send-queue limit', () => {
  let server: ChatServer;
  let url: string;
  before(async () => {
    ({ server, url } = await webServer({
      limits: { maxSendQueue: 64 * 1024, floodRate: 100_000, floodBurst: 100_000 },
    }));
  });
  after(() => server.close());

  it('drops a web client that stops reading once its queue passes the limit; nobody else waits', async () => {
    const watcher = await JsonClient.chat(url, 'vigia', '#lento');
    const slow = await JsonClient.chat(url, 'lento', '#lento');
    const writer = await JsonClient.chat(url, 'escritor', '#lento');
    // Stop reading: the kernel's buffers fill, then the server's queue for this client grows.
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const text = 'z'.repeat(3900);
    let sent = 0;
    while (server.hub.findUser('lento') && sent < 6000) {
      // (A few at a time: what one turn queues for the readers stays well under the limit.)
      for (let i = 0; i < 5; i++) writer.send({ type: 'message', target: '#lento', text, ref: ++sent });
      await writer.next((m) => m.type === 'message' && m.ref === sent);
      writer.received.length = 0;
      watcher.received.splice(0, watcher.received.length - 5);
    }
    assert.equal(server.hub.findUser('lento'), undefined, `still there after ${sent} messages`);
    const quit = await watcher.next((m) => m.type === 'presence' && m.event === 'quit' && m.nick === 'lento');
    assert.equal(quit.reason, 'Send queue exceeded');
    writer.send({ type: 'message', target: '#lento', text: 'ainda aqui' });
    await watcher.next((m) => m.type === 'message' && (m.message as { text: string }).text === 'ainda aqui');
    const metrics = await (await fetch(`${url.replace('ws:', 'http:')}/metrics`)).text();
    assert.match(metrics, /tomada_slow_consumers_total\{door="web"\} 1\n/);
    slow.ws.terminate();
    await Promise.all([watcher.close(), writer.close()]);
  });
});
