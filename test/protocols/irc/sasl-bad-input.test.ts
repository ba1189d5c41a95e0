import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MemoryAccountStore } from '../../../src/core/account-store.js';
import { hashPassword } from '../../../src/core/passwords.js';
import { ScramClient } from '../scram-client.js';
import { RawClient } from './client.js';
import { ircSuite } from './suite.js';

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');
const unb64 = (line: string) => Buffer.from(line.slice('AUTHENTICATE '.length), 'base64').toString();
const FAILED = ':tomada.local 904 * :SASL authentication failed';

describe('IRC SASL: bad input gets the right 90x numeric, never a crash', () => {
  const srv = ircSuite(
    {
      line: null,
      limits: { floodRate: 10_000, floodBurst: 10_000, floodQueue: 10_000 },
    },
    async () => {
      const store = new MemoryAccountStore();
      await store.create('bia', await hashPassword('s3nha-da-bia'));
      return { accountStore: store };
    },
  );
  const connect = async (caps = 'sasl') => {
    const c = new RawClient(srv.port);
    srv.clients.push(c);
    await c.ready;
    c.send(`CAP REQ :${caps}`);
    await c.expect(/ CAP \* (ACK|NAK) /);
    return c;
  };
  /** Starts a SCRAM exchange for `scram`'s user; the server-first-message. */
  const scramFirst = async (c: RawClient, scram: ScramClient) => {
    c.send('AUTHENTICATE SCRAM-SHA-256');
    await c.expect(/^AUTHENTICATE \+$/);
    c.send(`AUTHENTICATE ${b64(scram.clientFirst)}`);
    return unb64(await c.expect(/^AUTHENTICATE /));
  };

  it('SCRAM: a client-final whose nonce is not the server’s, and a non-empty answer to the signature: 904', async () => {
    const c = await connect();
    const scram = new ScramClient('bia', 's3nha-da-bia');
    const first = await scramFirst(c, scram);
    const final = scram.final(first).replace(/,r=[^,]+,/, `,r=${scram.nonce}outro,`);
    c.send(`AUTHENTICATE ${b64(final)}`);
    assert.equal(await c.expect(/ 90\d /), FAILED);

    // The same client, a correct exchange, but it answers the server's signature with something.
    const again = new ScramClient('bia', 's3nha-da-bia');
    c.send(`AUTHENTICATE ${b64(again.final(await scramFirst(c, again)))}`);
    assert.equal(unb64(await c.expect(/^AUTHENTICATE /)), again.expectedServerFinal());
    c.send(`AUTHENTICATE ${b64('v=nao')}`);
    assert.equal(await c.expect(/ 90\d /), FAILED);
    assert.ok(!c.lines.some((l) => / 900 /.test(l)), 'never logged in');

    // Malformed client-first messages, channel binding asked for, a mandatory extension.
    for (const bad of ['n,,', 'lixo', 'p=tls-unique,,n=bia,r=abc', 'n,,m=ext,n=bia,r=abc', 'n,a=ana,n=bia,r=abc']) {
      c.send('AUTHENTICATE SCRAM-SHA-256');
      await c.expect(/^AUTHENTICATE \+$/);
      c.send(`AUTHENTICATE ${b64(bad)}`);
      assert.equal(await c.expect(/ 90\d /), FAILED, bad);
    }
  });

  it('PLAIN: a password over 256 bytes (sent in two pieces), a fourth field, no sasl capability: 904; no mechanism: 461', async () => {
    const c = await connect();
    const long = b64(`\0bia\0${'p'.repeat(300)}`);
    assert.ok(long.length > 400);
    c.send('AUTHENTICATE PLAIN');
    await c.expect(/^AUTHENTICATE \+$/);
    c.send(`AUTHENTICATE ${long.slice(0, 400)}`, `AUTHENTICATE ${long.slice(400)}`);
    assert.equal(await c.expect(/ 90\d /), FAILED);
    c.send('AUTHENTICATE PLAIN');
    await c.expect(/^AUTHENTICATE \+$/);
    c.send(`AUTHENTICATE ${b64('\0bia\0s3nha-da-bia\0mais')}`);
    assert.equal(await c.expect(/ 90\d /), FAILED);
    c.send('AUTHENTICATE');
    assert.equal(await c.expect(/ 461 /), ':tomada.local 461 * AUTHENTICATE :Not enough parameters');

    const noCap = await connect('message-tags');
    noCap.send('AUTHENTICATE PLAIN');
    assert.equal(
      await noCap.expect(/ 90\d /),
      ':tomada.local 904 * :SASL authentication failed: request the sasl capability first',
    );
  });

  it('a second mechanism sent mid-exchange is a (bad) payload; * aborts with 906 (also with nothing under way)', async () => {
    const c = await connect();
    c.send('AUTHENTICATE *');
    assert.equal(await c.expect(/ 90\d /), ':tomada.local 906 * :SASL authentication aborted');
    const scram = new ScramClient('bia', 's3nha-da-bia');
    await scramFirst(c, scram);
    c.send('AUTHENTICATE PLAIN');
    assert.equal(await c.expect(/ 90\d /), FAILED);
    c.send('AUTHENTICATE SCRAM-SHA-256');
    await c.expect(/^AUTHENTICATE \+$/);
    c.send('AUTHENTICATE *');
    assert.equal(await c.expect(/ 90\d /), ':tomada.local 906 * :SASL authentication aborted');
    // And after all that, a good exchange still logs in; a repeated one is 907.
    const ok = new ScramClient('bia', 's3nha-da-bia');
    c.send(`AUTHENTICATE ${b64(ok.final(await scramFirst(c, ok)))}`);
    await c.expect(/^AUTHENTICATE /);
    c.send('AUTHENTICATE +');
    assert.match(await c.expect(/ 90\d /), / 900 .* bia :You are now logged in as bia$/);
    await c.expect(/ 903 /);
    c.send('AUTHENTICATE SCRAM-SHA-256');
    assert.equal(await c.expect(/ 90\d /), ':tomada.local 907 * :You have already authenticated using SASL');
  });

  it('invalid UTF-8 in REGISTER or to NickServ is refused whole (FAIL INVALID_UTF8), nothing registered', async () => {
    const c = await connect('draft/account-registration');
    c.send('NICK latin', 'USER l 0 * :L', 'CAP END');
    await c.expect(/ 376 /);
    c.socket.write(Buffer.concat([Buffer.from('REGISTER * * s3nha-'), Buffer.from([0xe9, 0xff]), Buffer.from('\r\n')]));
    assert.equal(await c.expect(/FAIL/), ':tomada.local FAIL REGISTER INVALID_UTF8 :Message rejected: invalid UTF-8');
    c.socket.write(
      Buffer.concat([Buffer.from('PRIVMSG NickServ :REGISTER s3nha-'), Buffer.from([0xc3]), Buffer.from('\r\n')]),
    );
    assert.equal(await c.expect(/FAIL/), ':tomada.local FAIL PRIVMSG INVALID_UTF8 :Message rejected: invalid UTF-8');
    assert.equal(srv.server.hub.findUser('latin')!.account, undefined);
  });

  it('random AUTHENTICATE lines: never a login, the closing * always answered 906, the server stays up', async () => {
    // Registered first: an unregistered client may send only so many lines.
    const c = await connect();
    c.send('NICK aleatorio', 'USER a 0 * :A', 'CAP END');
    await c.expect(/ 376 /);
    const piece = fc.oneof(
      fc.constantFrom('PLAIN', 'SCRAM-SHA-256', 'EXTERNAL', 'DIGEST-MD5', '+', '*', '=', '===='),
      fc.base64String({ maxLength: 60 }),
      fc.string({ maxLength: 30 }).map((s) => s.replace(/[\s\r\n\0:]/g, '') || 'x'),
      fc.integer({ min: 398, max: 402 }).map((n) => 'A'.repeat(n)),
      fc.uint8Array({ maxLength: 80 }).map((bytes) => b64(Buffer.from(bytes))),
    );
    let round = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { minLength: 1, maxLength: 12 }), async (pieces) => {
        const token = `r${++round}`;
        const from = c.lines.length;
        c.send(...pieces.map((p) => `AUTHENTICATE ${p}`), 'AUTHENTICATE *', `PING :${token}`);
        await c.expect(new RegExp(`PONG tomada\\.local :${token}$`));
        assert.ok(!c.closed, 'still connected');
        // The closing `*` is always answered, whatever came before: the exchange is over.
        const numerics = c.since(from).filter((l) => / 90\d /.test(l));
        assert.match(numerics.at(-1) ?? '', / 906 aleatorio :SASL authentication aborted$/);
        assert.ok(!numerics.some((l) => / 90[03] /.test(l)), 'nobody logged in');
      }),
      { numRuns: 60, interruptAfterTimeLimit: 20_000 },
    );
    c.send('PING :fim');
    await c.expect(/PONG tomada\.local :fim$/);
  });
});
