import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../helpers/cli.js';
import type { ChatServer } from '../../../src/server/chat-server.js';
import type { ChatConfigInput } from '../../../src/server/config.js';
import { RawClient, startTestServer } from './client.js';

describe('IRC door: listeners, TLS, tomada cert, shutdown', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tomada-cert-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  /** A server with plain IRC and IRC over TLS (the certificate of the first test). */
  const withTls = (extra: ChatConfigInput = {}) =>
    startTestServer({
      line: null,
      ircs: { host: '127.0.0.1', port: 0 },
      tlsCert: join(dir, 'cert.pem'),
      tlsKey: join(dir, 'key.pem'),
      ...extra,
    });

  it('tomada cert writes a certificate and a private key only the owner can read', async () => {
    const r = await runCli(['cert', '--out', dir, '--days', '2', '--host', 'localhost', '--host', '127.0.0.1']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /^wrote .*cert\.pem and .*key\.pem \(self-signed for localhost, 127\.0\.0\.1, valid 2 days\)\n$/,
    );
    assert.ok(existsSync(join(dir, 'cert.pem')));
    assert.equal(statSync(join(dir, 'key.pem')).mode & 0o777, 0o600);
    const bad = await runCli(['cert', '--days', 'many']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^tomada: error: /);
  });

  it('serves IRC over TLS next to plain IRC, sharing the rooms', async () => {
    let server: ChatServer | undefined;
    try {
      ({ server } = await withTls());
      const tlsPort = server.address('ircs')!.port;
      const plain = await RawClient.register(server.address('irc')!.port, 'plain');
      const secure = new RawClient(tlsPort, { tls: true });
      await secure.ready;
      secure.send('NICK seguro', 'USER s 0 * :Seguro', 'JOIN #tls');
      await secure.expect(/ 366 seguro #tls/);
      plain.send('JOIN #tls', 'PRIVMSG #tls :oi por texto puro');
      await secure.expect(/^:plain!plain@127\.0\.0\.1 PRIVMSG #tls :oi por texto puro$/);
      await server.close('Tchau');
      await secure.expect(/^ERROR :Closing Link: 127\.0\.0\.1 \(Tchau\)$/);
      await plain.expect(/^ERROR :Closing Link: 127\.0\.0\.1 \(Tchau\)$/);
      await plain.waitClosed();
    } finally {
      await server?.close();
    }
  });

  it('over TLS too, what a client sent before it closed is handled, fake-lagged lines included', async () => {
    let server: ChatServer | undefined;
    try {
      ({ server } = await withTls({ limits: { floodRate: 10, floodBurst: 5, floodQueue: 30 } }));
      const watcher = await RawClient.register(server.address('irc')!.port, 'olho');
      watcher.send('JOIN #tls');
      await watcher.expect(/ 366 olho #tls /);
      const notifier = new RawClient(server.address('ircs')!.port, { tls: true });
      await notifier.ready;
      const says = Array.from({ length: 5 }, (_, i) => `PRIVMSG #tls :aviso ${i}`);
      notifier.socket.end(['NICK aviso', 'USER a 0 * :a', 'JOIN #tls', ...says, 'QUIT :fim'].join('\r\n') + '\r\n');
      for (let i = 0; i < 5; i++) await watcher.expect(new RegExp(`^:aviso!\\S+ PRIVMSG #tls :aviso ${i}$`));
      await watcher.expect(/^:aviso!\S+ QUIT :Quit: fim$/);
      watcher.close();
    } finally {
      await server?.close();
    }
  });

  it('listens only where it is told: --irc off and no certificate means no IRC door', async () => {
    const { server } = await startTestServer({ irc: null });
    try {
      assert.equal(server.address('irc'), undefined);
      assert.equal(server.address('ircs'), undefined);
    } finally {
      await server.close();
    }
  });
});
