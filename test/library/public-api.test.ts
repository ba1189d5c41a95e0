import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { chatConfig, LineSplitter, parseIrcMessage, startChatServer } from '../../src/index.js';
import { WireClient } from '../helpers/wire.js';

describe('the library entry (src/index.ts)', () => {
  it('embeds the chat server: a line-door client gets the tutorial handshake', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tomada-lib-'));
    const local = { host: '127.0.0.1', port: 0 };
    const server = await startChatServer(chatConfig({ line: local, irc: null, http: null, dataDir: dir }));
    try {
      const port = server.address('line')!.port;
      const c = await WireClient.connect(port);
      await c.waitFor('APELIDO');
      c.send('ana\n');
      await c.waitFor('Conectado ao servidor!\n');
      c.close();
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exposes the pure codecs', () => {
    const lines: string[] = [];
    new LineSplitter({ maxLength: 100 }).push(Buffer.from('a\r\nb'), (l) => lines.push(l));
    assert.deepEqual(lines, ['a']);
    assert.deepEqual(parseIrcMessage('PRIVMSG #geral :oi')?.params, ['#geral', 'oi']);
  });
});

describe('the library entry: the seams', () => {
  it('exports the collaborators to assemble a server with: a bus network, accounts, a history store', async () => {
    const lib = await import('../../src/index.js');
    const net = new lib.LocalNetwork(1);
    // The Redis adapters of the seams (test/cluster/ runs them against a real redis-server).
    assert.equal(typeof lib.RedisBus.connect, 'function');
    assert.equal(typeof lib.RedisNicks.connect, 'function');
    const server = await lib.startChatServer(
      { line: { host: '127.0.0.1', port: 0 }, irc: null, http: null, dataDir: ':memory:' },
      { bus: net.bus(), history: new lib.MemoryHistory(), accounts: new lib.ServerPassword('x') },
    );
    try {
      const c = await WireClient.connect(server.address('line')!.port);
      await c.waitFor('APELIDO');
      c.send('ana x\n');
      await c.waitFor('Conectado ao servidor!\n');
      c.close();
    } finally {
      await server.close();
    }
  });
});
