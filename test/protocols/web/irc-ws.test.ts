import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import WebSocket from 'ws';
import { allowAll } from '../../../src/core/accounts.js';
import { MemoryAccountStore } from '../../../src/core/account-store.js';
import { Identity } from '../../../src/core/identity.js';
import { MemoryReadMarkerStore, ReadMarkers } from '../../../src/core/read-markers.js';
import { Hub } from '../../../src/core/hub.js';
import { ConnectionGate } from '../../../src/core/rate-limit.js';
import { startWebDoor } from '../../../src/protocols/web/index.js';
import { offeredSubprotocols, pickIrcSubprotocol } from '../../../src/protocols/web/irc-ws.js';
import type { ChatServer } from '../../../src/server/chat-server.js';
import { chatConfig } from '../../../src/server/config.js';
import { ServerStats, type DoorContext, type RunningDoor } from '../../../src/protocols/door.js';
import { keepAlivePeriodMs, Sweep } from '../../../src/transports/connection.js';
import { OutboxScheduler } from '../../../src/transports/outbox.js';
import { JsonClient, webServer } from './helpers.js';

/** A WebSocket client that records each message as one string, and whether it came as binary. */
class WsIrcClient {
  readonly frames: Array<{ text: string; binary: boolean }> = [];
  closeCode: number | undefined;
  readonly closed: Promise<number>;
  #wake: () => void = () => undefined;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer, binary: boolean) => {
      this.frames.push({ text: data.toString('utf8'), binary });
      this.#wake();
    });
    ws.on('error', () => undefined);
    this.closed = new Promise((resolve) =>
      ws.on('close', (code) => {
        this.closeCode = code;
        this.#wake();
        resolve(code);
      }),
    );
  }

  static async open(url: string, protocols: string[]): Promise<WsIrcClient> {
    const c = new WsIrcClient(new WebSocket(url, protocols));
    await once(c.ws, 'open');
    return c;
  }

  async waitFor(pattern: RegExp, ms = 5000): Promise<{ text: string; binary: boolean }> {
    const deadline = Date.now() + ms;
    for (;;) {
      const f = this.frames.find((x) => pattern.test(x.text));
      if (f) return f;
      if (this.closeCode !== undefined)
        throw new Error(`closed (${this.closeCode}); got ${JSON.stringify(this.frames)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${pattern}; got ${JSON.stringify(this.frames)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.#wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
  }
}

/** Fetches /metrics until its text matches (bounded), and returns it. */
async function scrapeUntil(url: string, pattern: RegExp, ms = 3000): Promise<string> {
  const deadline = Date.now() + ms;
  for (;;) {
    const text = await (await fetch(url)).text();
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) assert.fail(`/metrics never matched ${pattern}:\n${text}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('IRC over WebSocket: subprotocol choice (pure)', () => {
  it('takes the first IRC subprotocol the client offers', () => {
    assert.deepEqual(offeredSubprotocols('binary.ircv3.net, text.ircv3.net'), ['binary.ircv3.net', 'text.ircv3.net']);
    assert.equal(pickIrcSubprotocol(['foo', 'text.ircv3.net', 'binary.ircv3.net']), 'text.ircv3.net');
    assert.equal(pickIrcSubprotocol(['binary.ircv3.net', 'text.ircv3.net']), 'binary.ircv3.net');
    assert.equal(pickIrcSubprotocol(['chat']), undefined);
  });
});

describe('IRC over WebSocket: framing (with a stand-in session)', () => {
  let door: RunningDoor;
  let http: number;
  let ircWs: number;
  const received: string[] = [];
  before(async () => {
    const config = chatConfig({
      line: null,
      irc: null,
      http: { host: '127.0.0.1', port: 0 },
      ircWs: { host: '127.0.0.1', port: 0 },
      dataDir: ':memory:',
    });
    const hub = new Hub();
    const ctx: DoorContext = {
      hub,
      accounts: allowAll,
      identity: new Identity(new MemoryAccountStore()),
      readMarkers: new ReadMarkers(hub, new MemoryReadMarkerStore()),
      config,
      tls: undefined,
      outboxes: new OutboxScheduler(hub.turn),
      keepAlive: new Sweep(keepAlivePeriodMs(config.limits.pingIntervalSecs, config.limits.pingTimeoutSecs)),
      gate: new ConnectionGate(100, 100),
      stats: new ServerStats(),
      logger: pino({ level: 'silent' }),
    };
    door = (await startWebDoor(ctx, {
      attachIrc: (_ctx, transport) => ({
        receiveLine(line, validUtf8 = true) {
          received.push(line);
          if (!validUtf8) transport.writeLines(Buffer.from(`:srv NOT_UTF8 :${line}\r\n`));
          else transport.writeLines(Buffer.from(`:srv ECHO :${line}\r\n:srv SECOND :ção\r\n`));
        },
        lineTooLong() {
          transport.writeLines(Buffer.from(':srv 417 * :Input line was too long\r\n'));
        },
        closed: () => undefined,
      }),
    }))!;
    http = door.addresses.find((a) => a.name === 'http')!.port;
    ircWs = door.addresses.find((a) => a.name === 'irc-ws')!.port;
  });
  after(() => door.close('test over'));

  it('text.ircv3.net: one line per text message, line endings removed both ways, on any path', async () => {
    const c = await WsIrcClient.open(`ws://127.0.0.1:${http}/`, ['text.ircv3.net']);
    assert.equal(c.ws.protocol, 'text.ircv3.net');
    c.ws.send('PING one\r\n');
    await c.waitFor(/SECOND/);
    assert.deepEqual(c.frames, [
      { text: ':srv ECHO :PING one', binary: false },
      { text: ':srv SECOND :ção', binary: false },
    ]);
    assert.equal(received.at(-1), 'PING one');
    c.ws.close();
    await c.closed;
  });

  it('binary.ircv3.net: binary messages', async () => {
    const c = await WsIrcClient.open(`ws://127.0.0.1:${http}/irc`, ['binary.ircv3.net', 'text.ircv3.net']);
    assert.equal(c.ws.protocol, 'binary.ircv3.net');
    c.ws.send(Buffer.from('PING two'));
    await c.waitFor(/SECOND/);
    assert.deepEqual(c.frames, [
      { text: ':srv ECHO :PING two', binary: true },
      { text: ':srv SECOND :ção', binary: true },
    ]);
    c.ws.close();
    await c.closed;
  });

  it('a binary frame may carry any bytes: a line not UTF-8 goes to the session marked so, the connection stays; a too-long line goes to the session', async () => {
    const c = await WsIrcClient.open(`ws://127.0.0.1:${http}/`, ['text.ircv3.net']);
    c.ws.send(Buffer.from('x'.repeat(9000)));
    await c.waitFor(/ 417 /);
    c.ws.send(Buffer.from([0x50, 0xc3, 0x28]), { binary: true });
    await c.waitFor(/NOT_UTF8/);
    c.ws.send(Buffer.concat([Buffer.from('PING ok\r\nPING '), Buffer.from([0xff])]), { binary: true });
    await c.waitFor(/ECHO :PING ok/);
    await c.waitFor(/NOT_UTF8 :PING \ufffd/);
    c.ws.send('STILL here');
    await c.waitFor(/ECHO :STILL here/);
    c.ws.close();
    assert.equal(await c.closed, 1005);
  });

  it('the --irc-ws listener: IRC with or without a subprotocol; plain HTTP gets 426', async () => {
    const c = await WsIrcClient.open(`ws://127.0.0.1:${ircWs}/`, []);
    c.ws.send('HELLO');
    await c.waitFor(/ECHO :HELLO/);
    assert.equal(c.frames[0]!.binary, false);
    c.ws.close();
    await c.closed;
    const res = await fetch(`http://127.0.0.1:${ircWs}/`);
    assert.equal(res.status, 426);
    await res.arrayBuffer();
  });
});

describe('IRC over WebSocket: the real IRC session', () => {
  let server: ChatServer;
  let url: string;
  let ircWsUrl: string;
  before(async () => {
    ({ server, url } = await webServer({ ircWs: { host: '127.0.0.1', port: 0 } }));
    ircWsUrl = `ws://127.0.0.1:${server.address('irc-ws')!.port}`;
  });
  after(() => server.close());

  const cases = [
    { protocol: 'text.ircv3.net', listener: 'http', path: '/' },
    { protocol: 'binary.ircv3.net', listener: 'http', path: '/' },
    { protocol: 'text.ircv3.net', listener: 'irc-ws', path: '/' },
    { protocol: 'binary.ircv3.net', listener: 'irc-ws', path: '/webirc' },
  ] as const;
  for (const { protocol, listener, path } of cases) {
    it(`${protocol} on the ${listener} listener (${path}): registers (001) and chats with a web client`, async () => {
      const nick = `${protocol.startsWith('text') ? 'txt' : 'bin'}_${listener === 'http' ? 'h' : 'w'}`;
      const web = await JsonClient.chat(url, `web_${nick}`);
      const c = await WsIrcClient.open(`${listener === 'http' ? url : ircWsUrl}${path}`, [protocol]);
      assert.equal(c.ws.protocol, protocol);
      c.ws.send(`NICK ${nick}`);
      c.ws.send(`USER ${nick} 0 * :Over WebSocket`);
      const welcome = await c.waitFor(/^:\S+ 001 /);
      assert.equal(welcome.binary, protocol === 'binary.ircv3.net');
      assert.ok(!welcome.text.endsWith('\n'));
      // Every message is one line, without CR LF, and all of the same frame type.
      assert.ok(c.frames.every((f) => !/[\r\n]/.test(f.text) && f.binary === (protocol === 'binary.ircv3.net')));
      c.ws.send('JOIN #geral');
      await c.waitFor(/ JOIN :?#geral/);
      c.ws.send('PRIVMSG #geral :olá da web-irc');
      const got = await web.next((m) => m.type === 'message');
      assert.deepEqual(
        [(got.message as { from: string }).from, (got.message as { text: string }).text],
        [nick, 'olá da web-irc'],
      );
      web.send({ type: 'message', target: '#geral', text: 'e aí, irc' });
      await c.waitFor(new RegExp(`^:web_${nick}!\\S+ PRIVMSG #geral :e aí, irc$`));
      // /metrics counts the WebSocket under irc-ws, the IRC session under irc.
      // (The previous test's sockets may still be closing on the server's side: scrape until they are gone.)
      const metrics = await scrapeUntil(
        `${url.replace('ws:', 'http:')}/metrics`,
        /tomada_connections\{door="irc-ws"\} 1\n[^]*tomada_connections\{door="web"\} 1\n|tomada_connections\{door="web"\} 1\n[^]*tomada_connections\{door="irc-ws"\} 1\n/,
      );
      assert.match(metrics, /tomada_sessions_accepted_total\{door="irc"\} [1-9]/);
      // Bytes that are not UTF-8 (a binary frame may carry them even on text.ircv3.net): refused as on TCP.
      c.ws.send(Buffer.concat([Buffer.from('PRIVMSG #geral :mal '), Buffer.from([0xc3, 0x28])]), { binary: true });
      await c.waitFor(/^:\S+ FAIL PRIVMSG INVALID_UTF8 :/);
      c.ws.send('QUIT :tchau');
      await c.waitFor(/^ERROR /);
      await c.closed;
      await web.close();
    });
  }
});
