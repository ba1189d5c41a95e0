import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import selfsigned from 'selfsigned';
import { writeSelfSignedCert } from '../../../src/cli/commands/cert.js';
import { startChatServer, type ChatServer } from '../../../src/server/chat-server.js';
import { RawClient } from './client.js';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const NS = ':NickServ!NickServ@services.tomada NOTICE';

/** A client certificate as a person would make one (`openssl req -x509 …`): self-signed, for clientAuth. */
async function clientCert(cn: string): Promise<{ cert: string; key: string; fp: string }> {
  const pems = await selfsigned.generate([{ name: 'commonName', value: cn }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [{ name: 'extKeyUsage', clientAuth: true }],
  });
  const fp = new X509Certificate(pems.cert).fingerprint256.replace(/:/g, '').toLowerCase();
  return { cert: pems.cert, key: pems.private, fp };
}

describe('IRC SASL EXTERNAL (a TLS client certificate, on --ircs)', () => {
  let dir: string;
  let server: ChatServer;
  let ircs: number;
  let irc: number;
  let ana: { cert: string; key: string; fp: string };
  let stranger: { cert: string; key: string; fp: string };
  const clients: RawClient[] = [];
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tomada-ext-'));
    const tls = await writeSelfSignedCert({ out: dir, days: 1, hosts: ['127.0.0.1'] });
    [ana, stranger] = await Promise.all([clientCert('ana'), clientCert('stranger')]);
    server = await startChatServer({
      line: null,
      irc: { host: '127.0.0.1', port: 0 },
      ircs: { host: '127.0.0.1', port: 0 },
      http: null,
      tlsCert: tls.cert,
      tlsKey: tls.key,
      dataDir: join(dir, 'data'),
    });
    ircs = server.address('ircs')!.port;
    irc = server.address('irc')!.port;
  });
  after(async () => {
    for (const c of clients) c.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const open = async (port: number, cert?: { cert: string; key: string }, secure = true) => {
    const c = new RawClient(port, secure ? { tls: cert ? { cert: cert.cert, key: cert.key } : true } : {});
    clients.push(c);
    await c.ready;
    return c;
  };
  /** AUTHENTICATE EXTERNAL with `authzid` ('' sends `+`, '!' bad base64): the first 90x numeric. */
  const external = async (c: RawClient, authzid = '') => {
    c.send('AUTHENTICATE EXTERNAL');
    await c.expect(/^AUTHENTICATE \+$/);
    c.send(`AUTHENTICATE ${authzid === '' ? '+' : authzid === '!' ? 'não é base64!' : b64(authzid)}`);
    return c.expect(/ 90\d /);
  };

  it('CERT ADD (the connection’s own certificate), then EXTERNAL logs in with it; the mechanism only on TLS', async () => {
    // Register on TLS with the certificate, add it, look at the list.
    const first = await open(ircs, ana);
    first.send('NICK ana', 'USER ana 0 * :Ana');
    await first.expect(/ 376 /);
    first.send('PRIVMSG NickServ :CERT ADD');
    assert.equal(await first.expect(/NOTICE/), `${NS} ana :You are not logged in.`);
    first.send('PRIVMSG NickServ :REGISTER s3nha-da-ana');
    await first.expect(/ 900 /);
    first.send('PRIVMSG NickServ :CERT ADD');
    assert.equal(
      await first.expect(/NOTICE/),
      `${NS} ana :Certificate ${ana.fp} added to ana: log in with SASL EXTERNAL.`,
    );
    first.send('PRIVMSG NickServ :CERT LIST');
    assert.equal(await first.expect(/NOTICE/), `${NS} ana :Certificates of ana: ${ana.fp}`);
    first.send('QUIT');
    await first.waitClosed();

    // The mechanism list: EXTERNAL on the TLS listener, not on plain IRC.
    const c = await open(ircs, ana);
    c.send('CAP LS 302');
    assert.match(await c.expect(/ CAP \* LS /), / sasl=PLAIN,SCRAM-SHA-256,EXTERNAL /);
    const p = await open(irc, undefined, false);
    p.send('CAP LS 302', 'CAP REQ sasl', 'AUTHENTICATE EXTERNAL');
    assert.match(await p.expect(/ CAP \* LS /), / sasl=PLAIN,SCRAM-SHA-256 account-tag/);
    assert.equal(await p.expect(/ 908 /), ':tomada.local 908 * PLAIN,SCRAM-SHA-256 :are available SASL mechanisms');
    assert.equal(await p.expect(/ 904 /), ':tomada.local 904 * :SASL authentication failed');

    c.send('CAP REQ sasl');
    await c.expect(/ ACK /);
    c.send('NICK qualquer', 'USER q 0 * :Q');
    assert.equal(
      await external(c),
      ':tomada.local 900 qualquer qualquer!q@127.0.0.1 ana :You are now logged in as ana',
    );
    assert.equal(await c.expect(/ 903 /), ':tomada.local 903 qualquer :SASL authentication successful');
    c.send('CAP END');
    await c.expect(/ 001 qualquer /);
    c.send('WHOIS qualquer');
    assert.equal(await c.expect(/ 330 /), ':tomada.local 330 qualquer qualquer ana :is logged in as');
    assert.equal(
      await c.expect(/ 276 /),
      `:tomada.local 276 qualquer qualquer :has client certificate fingerprint ${ana.fp}`,
    );
    // Not shown to others (who are not operators).
    p.send('NICK outro', 'USER o 0 * :O', 'CAP END', 'WHOIS qualquer');
    assert.ok(!(await p.collect(/ 318 /)).some((l) => / 276 /.test(l)));
  });

  it('904 without a certificate, with one nobody added, for an authzid not its account or not base64', async () => {
    const none = await open(ircs);
    none.send('CAP REQ sasl');
    await none.expect(/ ACK /);
    assert.equal(await external(none), ':tomada.local 904 * :SASL authentication failed');
    const other = await open(ircs, stranger);
    other.send('CAP REQ sasl');
    await other.expect(/ ACK /);
    assert.equal(await external(other), ':tomada.local 904 * :SASL authentication failed');
    const wrongName = await open(ircs, ana);
    wrongName.send('CAP REQ sasl');
    await wrongName.expect(/ ACK /);
    assert.equal(await external(wrongName, 'bia'), ':tomada.local 904 * :SASL authentication failed');
    assert.equal(await external(wrongName, '!'), ':tomada.local 904 * :SASL authentication failed');
    // Its own account named (any case) is fine.
    assert.equal(
      await external(wrongName, 'ANA'),
      ':tomada.local 900 * *!*@127.0.0.1 ana :You are now logged in as ana',
    );
  });

  it('CERT ADD by fingerprint (the colon form too) and CERT DEL; DROP takes the certificates along', async () => {
    const c = await open(ircs, stranger);
    c.send('NICK bia', 'USER bia 0 * :Bia');
    await c.expect(/ 376 /);
    c.send('PRIVMSG NickServ :REGISTER s3nha-da-bia');
    await c.expect(/ 900 /);
    c.send('PRIVMSG NickServ :CERT ADD nada');
    assert.equal(
      await c.expect(/NOTICE/),
      `${NS} bia :nada is not a SHA-256 fingerprint (64 hex digits, colons allowed).`,
    );
    c.send(`PRIVMSG NickServ :CERT ADD ${ana.fp}`);
    assert.equal(await c.expect(/NOTICE/), `${NS} bia :Certificate ${ana.fp} belongs to another account.`);
    const colons = stranger.fp.toUpperCase().match(/../g)!.join(':');
    c.send(`PRIVMSG NickServ :CERT ADD ${colons}`);
    assert.equal(
      await c.expect(/NOTICE/),
      `${NS} bia :Certificate ${stranger.fp} added to bia: log in with SASL EXTERNAL.`,
    );
    const rows = () => {
      const db = new Database(join(dir, 'data', 'accounts.sqlite'), { readonly: true });
      try {
        return db.prepare('SELECT account_key FROM account_certs WHERE fingerprint = ?').all(stranger.fp);
      } finally {
        db.close();
      }
    };
    assert.deepEqual(rows(), [{ account_key: 'bia' }]);
    c.send(`PRIVMSG NickServ :CERT DEL ${stranger.fp}`);
    assert.equal(await c.expect(/NOTICE/), `${NS} bia :Certificate ${stranger.fp} removed from bia.`);
    c.send('PRIVMSG NickServ :CERT LIST');
    assert.equal(await c.expect(/NOTICE/), `${NS} bia :bia has no certificates.`);
    c.send('PRIVMSG NickServ :CERT ADD');
    await c.expect(/ added to bia/);
    c.send('PRIVMSG NickServ :DROP s3nha-da-bia');
    await c.expect(/ 901 /);
    assert.deepEqual(rows(), []);
  });
});
