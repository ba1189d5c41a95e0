import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pbkdf2Sync } from 'node:crypto';
import { hashPassword, scramKeysFrom, verifyPassword } from '../../src/core/passwords.js';
import { parseClientFirst, ScramError, ScramServer } from '../../src/protocols/scram.js';
import { ScramClient } from './scram-client.js';

// RFC 7677 §3: user "user", password "pencil".
const RFC = {
  clientFirst: 'n,,n=user,r=rOprNGfwEbeRWgbNEkqO',
  serverNonce: '%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0',
  serverFirst: 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096',
  clientFinal:
    'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
  serverFinal: 'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=',
};

function rfcKeys() {
  const salt = 'W22ZaJ0SNY7soEsUEjb6gQ==';
  const { storedKey, serverKey } = scramKeysFrom(pbkdf2Sync('pencil', Buffer.from(salt, 'base64'), 4096, 32, 'sha256'));
  return { salt, iterations: 4096, storedKey: storedKey.toString('base64'), serverKey: serverKey.toString('base64') };
}

describe('SCRAM-SHA-256 server (RFC 7677 test vectors)', () => {
  it('answers the RFC exchange byte for byte', () => {
    const server = new ScramServer(parseClientFirst(RFC.clientFirst), rfcKeys(), RFC.serverNonce);
    assert.equal(server.serverFirst, RFC.serverFirst);
    assert.equal(server.final(RFC.clientFinal), RFC.serverFinal);
  });

  it('the test client computes the RFC client-final-message from the same inputs', () => {
    const c = new ScramClient('user', 'pencil', 'rOprNGfwEbeRWgbNEkqO');
    assert.equal(c.clientFirst, RFC.clientFirst);
    assert.equal(c.final(RFC.serverFirst), RFC.clientFinal);
    assert.equal(c.expectedServerFinal(), RFC.serverFinal);
  });

  it('refuses a wrong proof, a changed nonce, channel binding and malformed messages', () => {
    const server = () => new ScramServer(parseClientFirst(RFC.clientFirst), rfcKeys(), RFC.serverNonce);
    const reason = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return e instanceof ScramError ? e.reason : 'other';
      }
      return 'none';
    };
    assert.equal(
      reason(() => server().final(RFC.clientFinal.replace('p=dH', 'p=dX'))),
      'proof',
    );
    assert.equal(
      reason(() => server().final(RFC.clientFinal.replace('$k0,', '$k1,'))),
      'nonce',
    );
    assert.equal(
      reason(() => server().final(RFC.clientFinal.replace('c=biws', 'c=eSws'))),
      'channel-binding',
    );
    assert.equal(
      reason(() => server().final('garbage')),
      'malformed',
    );
    assert.equal(
      reason(() => parseClientFirst('p=tls-unique,,n=user,r=abc')),
      'channel-binding',
    );
    assert.equal(
      reason(() => parseClientFirst('n,,m=ext,n=user,r=abc')),
      'malformed',
    );
    assert.equal(
      reason(() => parseClientFirst('n,a=other,n=user,r=abc')),
      'authzid',
    );
    assert.equal(
      reason(() => parseClientFirst('n,,n=us=er,r=abc')),
      'malformed',
    );
    assert.equal(
      reason(() => parseClientFirst('')),
      'malformed',
    );
    assert.equal(parseClientFirst('n,,n=a=2Cb=3Dc,r=xyz').username, 'a,b=c');
  });

  it('works with the keys hashPassword stores, and scrypt verifies the same password', async () => {
    const secrets = await hashPassword('correct horse');
    assert.match(secrets.hash, /^scrypt\$32768\$8\$1\$/);
    assert.equal(await verifyPassword('correct horse', secrets.hash), true);
    assert.equal(await verifyPassword('correct hors', secrets.hash), false);
    const c = new ScramClient('ana', 'correct horse');
    const server = new ScramServer(parseClientFirst(c.clientFirst), secrets.scram);
    assert.equal(server.final(c.final(server.serverFirst)), c.expectedServerFinal());
  });
});
