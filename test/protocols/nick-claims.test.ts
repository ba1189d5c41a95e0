import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryNicks } from '../../src/core/nicks.js';
import type { User } from '../../src/core/user.js';
import { startChatServer, type ChatServer } from '../../src/server/chat-server.js';
import { lineUser, WireClient } from '../helpers/wire.js';
import { RawClient } from './irc/client.js';

/**
 * A registry whose claims of some names wait until the test lets them through, as a claim on another
 * machine waits for its round trip. Claims of other names are granted at once.
 */
class GatedNicks extends MemoryNicks {
  #open!: () => void;
  #gate = new Promise<void>((r) => (this.#open = r));
  #asked!: () => void;
  /** Resolves when a slow claim has reached the registry. */
  readonly asked = new Promise<void>((r) => (this.#asked = r));
  constructor(readonly slow: Set<string>) {
    super();
  }
  override async claim(key: string, user: User): Promise<boolean> {
    if (this.slow.has(key)) {
      this.#asked();
      await this.#gate;
    }
    return super.claim(key, user);
  }
  open(): void {
    this.#open();
  }
}

const servers: ChatServer[] = [];
const clients: Array<{ close(): void }> = [];
after(async () => {
  for (const c of clients) c.close();
  for (const s of servers) await s.close();
});

async function start(nicks: GatedNicks): Promise<ChatServer> {
  const s = await startChatServer(
    {
      line: { host: '127.0.0.1', port: 0 },
      irc: { host: '127.0.0.1', port: 0 },
      http: null,
      dataDir: ':memory:',
    },
    { nicks },
  );
  servers.push(s);
  return s;
}

describe('registration waits for the nickname registry', () => {
  it('IRC: commands sent with NICK/USER are handled after the welcome, in order', async () => {
    const nicks = new GatedNicks(new Set(['ana']));
    const server = await start(nicks);
    const port = server.address('irc')!.port;
    const watcher = await RawClient.register(port, 'olho');
    clients.push(watcher);
    watcher.send('JOIN #sala');
    await watcher.expect(/JOIN #sala/);
    const ana = new RawClient(port);
    clients.push(ana);
    await ana.ready;
    ana.send('NICK ana', 'USER ana 0 * :Ana', 'JOIN #sala', 'PRIVMSG #sala :cheguei');
    await nicks.asked;
    // While the claim is on its way nothing of this client has been handled.
    watcher.send('PING :antes');
    await watcher.expect(/PONG .*antes/);
    assert.equal(ana.lines.length, 0, ana.lines.join('\n'));
    nicks.open();
    await ana.expect(/^:\S+ 001 ana /);
    await ana.expect(/^:ana!\S+ JOIN #sala/);
    await watcher.expect(/^:ana!\S+ PRIVMSG #sala :cheguei$/);
  });

  it('line door: a line sent with the nickname is chat once the name is granted', async () => {
    const nicks = new GatedNicks(new Set(['bia']));
    const server = await start(nicks);
    const port = server.address('line')!.port;
    const watcher = await lineUser(port, 'olhar');
    clients.push(watcher);
    const bia = await WireClient.connect(port);
    clients.push(bia);
    await bia.waitFor('APELIDO');
    bia.send('bia\nolá a todos\n');
    await nicks.asked;
    assert.equal(bia.unread, '');
    nicks.open();
    await bia.waitFor('Conectado ao servidor!\n');
    await watcher.waitFor('bia entrou no chat!\n');
    await watcher.waitFor('bia: olá a todos\n');
  });

  it('a client that leaves while its claim is on its way does not keep the name', async () => {
    const nicks = new GatedNicks(new Set(['caio']));
    const server = await start(nicks);
    const port = server.address('irc')!.port;
    const gone = new RawClient(port);
    await gone.ready;
    gone.send('NICK caio', 'USER caio 0 * :Caio');
    await nicks.asked;
    gone.socket.destroy();
    // The server has seen the close once its IRC connection count is back to 0.
    const irc = () => server.stats.door('irc').connections;
    while (irc() !== 0) await new Promise((r) => setImmediate(r));
    nicks.open();
    nicks.slow.clear();
    const again = await RawClient.register(port, 'caio');
    clients.push(again);
    again.send('WHOIS caio');
    await again.expect(/^:\S+ 311 caio caio /);
  });
});
