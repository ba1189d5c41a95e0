import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeSelfSignedCert } from '../../../src/cli/commands/cert.js';
import type { ChatServer } from '../../../src/server/chat-server.js';
import { JsonClient, webServer } from './helpers.js';

describe('web door over TLS (HTTPS and WSS with the server certificate)', () => {
  let server: ChatServer;
  let port: number;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tomada-web-tls-'));
    const { cert, key } = await writeSelfSignedCert({ out: dir, days: 1, hosts: ['localhost', '127.0.0.1'] });
    ({ server, port } = await webServer({ tlsCert: cert, tlsKey: key, ircs: null }));
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves /healthz over HTTPS and the JSON protocol over WSS', async () => {
    assert.equal(server.address('http')!.tls, true);
    const { status, csp } = await new Promise<{ status: number; csp: string | undefined }>((resolve, reject) => {
      https
        .get(`https://127.0.0.1:${port}/healthz`, { rejectUnauthorized: false }, (res) => {
          res.resume();
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, csp: res.headers['content-security-policy'] as string }),
          );
        })
        .on('error', reject);
    });
    assert.equal(status, 200);
    assert.match(csp ?? '', /script-src 'self'/);
    const c = await JsonClient.open(`wss://127.0.0.1:${port}`, { rejectUnauthorized: false });
    c.send({ type: 'hello', nick: 'segura' });
    assert.equal((await c.next((m) => m.type === 'welcome')).nick, 'segura');
    await c.close();
  });
});
