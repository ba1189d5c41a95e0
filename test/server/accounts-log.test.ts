import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import pino from 'pino';
import { MemoryAccountStore } from '../../src/core/account-store.js';
import { hashPassword } from '../../src/core/passwords.js';
import { startChatServer } from '../../src/server/chat-server.js';
import { RawClient } from '../protocols/irc/client.js';
import { WireClient } from '../helpers/wire.js';

describe('accounts and the operator log', () => {
  it('no password and no hash in the log, at the most verbose level, through SASL, /login, /register, NickServ', async () => {
    let log = '';
    const sink = new PassThrough();
    sink.on('data', (d: Buffer) => (log += d.toString()));
    const store = new MemoryAccountStore();
    const secrets = await hashPassword('s3nha-secreta-ana');
    await store.create('ana', secrets);
    const server = await startChatServer(
      { line: { host: '127.0.0.1', port: 0 }, irc: { host: '127.0.0.1', port: 0 }, http: null, dataDir: ':memory:' },
      { accountStore: store, logger: pino({ level: 'trace' }, sink) },
    );
    try {
      const irc = new RawClient(server.address('irc')!.port);
      await irc.ready;
      irc.send('CAP REQ :sasl', 'NICK ana', 'USER ana 0 * :A', 'AUTHENTICATE PLAIN');
      await irc.expect(/^AUTHENTICATE \+$/);
      irc.send(`AUTHENTICATE ${Buffer.from('\0ana\0s3nha-secreta-ana').toString('base64')}`, 'CAP END');
      await irc.expect(/ 376 /);
      irc.send('PRIVMSG NickServ :SET PASSWORD s3nha-nova-ana', 'PRIVMSG NickServ :IDENTIFY ana s3nha-errada-ana');
      await irc.expect(/NOTICE ana :The password of ana is changed/);
      await irc.expect(/NOTICE ana :You are already logged in/);
      const line = await WireClient.connect(server.address('line')!.port);
      await line.waitFor('APELIDO');
      line.send('bia\n');
      await line.waitFor('Conectado ao servidor!\n');
      line.send('/register s3nha-secreta-bia\n');
      await line.waitFor('now registered to you');
      await line.waitFor('; you are logged in.\n');
      irc.send('QUIT');
      await irc.waitClosed();
      const again = await WireClient.connect(server.address('line')!.port);
      await again.waitFor('APELIDO');
      again.send('Ana\n');
      await again.waitFor('is registered');
      again.send('Ana: /login s3nha-nova-ana\n');
      await again.waitFor('* You are logged in as ana.\n');
      again.close();
      irc.close();
      line.close();
    } finally {
      await server.close();
    }
    assert.ok(log.length > 0, 'the log has lines');
    for (const secret of ['s3nha', secrets.hash.split('$')[5]!, secrets.scram.storedKey, secrets.scram.serverKey])
      assert.ok(!log.includes(secret), `${secret} is in the log`);
  });
});
