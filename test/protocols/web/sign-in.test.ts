/**
 * The web door's sign-in API (`/api/…`) and the cookie on the WebSocket: register, log in, log out,
 * change password; the same answer for an unknown account and a wrong password; throttling; bad input;
 * the cookie's attributes; sign-ins kept as hashes beside the accounts, and kept across a restart.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { writeSelfSignedCert } from '../../../src/cli/commands/cert.js';
import { hashPassword } from '../../../src/core/passwords.js';
import { SqliteAccountStore } from '../../../src/storage/sqlite-accounts.js';
import type { ChatServer } from '../../../src/server/chat-server.js';
import { JsonClient, webServer } from './helpers.js';
import { api } from './sign-in-helpers.js';

/** Opens the JSON WebSocket with the cookie and says hello. */
async function hello(url: string, nick: string, cookie?: string) {
  const c = await JsonClient.open(url, cookie ? { headers: { Cookie: `tomada_session=${cookie}` } } : {});
  c.send({ type: 'hello', nick });
  const welcome = await c.next((m) => m.type === 'welcome' || m.type === 'error');
  return { c, welcome };
}

describe('web sign-in API', () => {
  let server: ChatServer;
  let base: string;
  let url: string;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tomada-signin-'));
    // Registration allows 3 per address: the other accounts are the operator's (`tomada account add`).
    const store = new SqliteAccountStore(dir);
    for (const [name, pw] of [
      ['bia', 'a senha da bia'],
      ['dani', 'primeira'],
      ['eva', 'senha da eva'],
    ] as const)
      await store.create(name, await hashPassword(pw));
    store.close();
    let port: number;
    ({ server, port, url } = await webServer({ dataDir: dir, nickGraceSecs: 0 }));
    base = `http://127.0.0.1:${port}/`;
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('registers and signs in: an HttpOnly, SameSite=Strict cookie that logs the WebSocket in to the account', async () => {
    const r = await api(base, 'api/register', { name: 'Ana', password: 'senha boa' });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { account: { name: 'Ana' } });
    const set = r.headers['set-cookie']![0]!;
    assert.match(set, /^tomada_session=[A-Za-z0-9_-]{43}; /);
    assert.match(set, /; HttpOnly/);
    assert.match(set, /; SameSite=Strict/);
    assert.match(set, /; Path=\//);
    assert.match(set, /; Max-Age=2592000/);
    assert.doesNotMatch(set, /Secure/, 'not over plain HTTP');
    assert.equal(r.headers['cache-control'], 'no-store');
    assert.match(String(r.headers['content-security-policy']), /default-src 'none'/);

    assert.deepEqual((await api(base, 'api/me', undefined, { cookie: r.cookie })).body, { account: { name: 'Ana' } });
    assert.deepEqual((await api(base, 'api/me', undefined)).body, { account: null });

    const { c, welcome } = await hello(url, 'Ana', r.cookie);
    assert.equal(welcome.nick, 'Ana');
    assert.equal(welcome.account, 'Ana');
    assert.equal(server.hub.findUser('ana')!.account, 'Ana');
    // A second tab with the same cookie: the same account, beside the first (the name is taken by it).
    const two = await hello(url, 'Ana', r.cookie);
    assert.equal(two.welcome.nick, 'Ana2');
    assert.equal(two.welcome.account, 'Ana');
    assert.equal(server.hub.findUser('Ana2')!.account, 'Ana');
    // Without the cookie: a guest.
    const guest = await hello(url, 'visita');
    assert.equal(guest.welcome.account, undefined);
    assert.equal(server.hub.findUser('visita')!.account, undefined);
    await Promise.all([c.close(), two.c.close(), guest.c.close()]);

    // Kept as a hash beside the accounts: the database has no token.
    const db = new Database(join(dir, 'accounts.sqlite'), { readonly: true });
    const rows = db.prepare('SELECT * FROM web_sign_ins').all() as Array<Record<string, unknown>>;
    db.close();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.hash, createHash('sha256').update(r.cookie!).digest('hex'));
    assert.equal(rows[0]!.account, 'Ana');
    assert.ok(!JSON.stringify(rows).includes(r.cookie!));
  });

  it('logs in with the one answer for an unknown account and a wrong password, then throttles', async () => {
    const wrong = await api(base, 'api/login', { name: 'bia', password: 'errada' });
    const unknown = await api(base, 'api/login', { name: 'ninguem', password: 'errada' });
    assert.equal(wrong.status, 401);
    assert.deepEqual(wrong.body, unknown.body);
    assert.deepEqual(wrong.body, { error: 'BAD_CREDENTIALS', text: 'Wrong account or password.' });
    assert.equal(wrong.cookie, undefined);
    // Texts in the language asked for.
    const pt = await api(base, 'api/login', { name: 'bia', password: 'errada', lang: 'pt-BR' });
    assert.equal(pt.body.text, 'Conta ou senha incorreta.');
    const ok = await api(base, 'api/login', { name: 'BIA', password: 'a senha da bia' });
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.body, { account: { name: 'bia' } });
    assert.ok(ok.cookie);
    // Three failures are free; then each waits, and the answer says how long.
    for (let i = 0; i < 3; i++) await api(base, 'api/login', { name: 'bia', password: `errada${i}` });
    const slow = await api(base, 'api/login', { name: 'bia', password: 'a senha da bia' });
    assert.equal(slow.status, 429);
    assert.equal(slow.body.error, 'THROTTLED');
    assert.match(String(slow.headers['retry-after']), /^\d+$/);
  });

  it('logs out on the server: the cookie is worth nothing after, and open pages become guests', async () => {
    const r = await api(base, 'api/register', { name: 'caio', password: 'senha do caio' });
    const { c, welcome } = await hello(url, 'caio', r.cookie);
    assert.equal(welcome.account, 'caio');
    const out = await api(base, 'api/logout', {}, { cookie: r.cookie });
    assert.equal(out.status, 200);
    assert.equal(out.cookie, '');
    assert.match(out.headers['set-cookie']![0]!, /Max-Age=0/);
    assert.equal(server.hub.findUser('caio')!.account, undefined);
    assert.deepEqual((await api(base, 'api/me', undefined, { cookie: r.cookie })).body, { account: null });
    await c.close();
    const again = await hello(url, 'caio', r.cookie);
    assert.equal(again.welcome.account, undefined);
    await again.c.close();
  });

  it('changes the password with the current one, and signs out the other browsers', async () => {
    const a = await api(base, 'api/login', { name: 'dani', password: 'primeira' });
    const b = await api(base, 'api/login', { name: 'dani', password: 'primeira' });
    const open = await hello(url, 'dani', b.cookie);
    assert.equal(open.welcome.account, 'dani');
    const bad = await api(base, 'api/password', { current: 'nao-e', password: 'segunda' }, { cookie: a.cookie });
    assert.equal(bad.status, 401);
    assert.equal(bad.body.error, 'BAD_CURRENT');
    const short = await api(base, 'api/password', { current: 'primeira', password: 'x' }, { cookie: a.cookie });
    assert.equal(short.status, 400);
    assert.equal(short.body.error, 'BAD_PASSWORD');
    const none = await api(base, 'api/password', { current: 'primeira', password: 'segunda' });
    assert.equal(none.status, 401);
    assert.equal(none.body.error, 'NOT_SIGNED_IN');
    const ok = await api(base, 'api/password', { current: 'primeira', password: 'segunda' }, { cookie: a.cookie });
    assert.equal(ok.status, 200);
    assert.deepEqual((await api(base, 'api/me', undefined, { cookie: a.cookie })).body, { account: { name: 'dani' } });
    assert.deepEqual((await api(base, 'api/me', undefined, { cookie: b.cookie })).body, { account: null });
    // The other browser's open page is a guest's now.
    assert.equal(server.hub.findUser('dani')!.account, undefined);
    await open.c.close();
    assert.equal((await api(base, 'api/login', { name: 'dani', password: 'primeira' })).status, 401);
    assert.equal((await api(base, 'api/login', { name: 'dani', password: 'segunda' })).status, 200);
  });

  it('refuses bad requests with a clear error, and never crashes', async () => {
    const taken = await api(base, 'api/register', { name: 'ana', password: 'outra senha' });
    assert.equal(taken.status, 409);
    assert.equal(taken.body.error, 'EXISTS');
    const badName = await api(base, 'api/register', { name: '#sala', password: 'senha boa' });
    assert.equal(badName.status, 400);
    assert.equal(badName.body.error, 'BAD_NAME');
    const form = await api(base, 'api/login', undefined, {
      raw: 'name=ana&password=x',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(form.status, 415);
    const foreign = await api(
      base,
      'api/login',
      { name: 'ana', password: 'x' },
      { headers: { Origin: 'https://evil.example' } },
    );
    assert.equal(foreign.status, 403);
    assert.equal(foreign.body.error, 'ORIGIN');
    const huge = await api(base, 'api/login', undefined, {
      raw: JSON.stringify({ name: 'a', password: 'x'.repeat(5000) }),
    });
    assert.equal(huge.status, 413);
    assert.equal((await api(base, 'api/login', undefined, { raw: '{"name":' })).status, 400);
    assert.equal((await api(base, 'api/login', { name: 5, password: [] })).status, 400);
    assert.equal((await api(base, 'api/login', undefined)).status, 405);
    assert.equal((await api(base, 'api/nada', {})).status, 404);
    // A cookie that is not a token is no sign-in.
    assert.deepEqual((await api(base, 'api/me', undefined, { cookie: 'x'.repeat(5000) })).body, { account: null });
    assert.equal((await api(base, 'healthz', undefined)).status, 200);
  });

  it('keeps sign-ins across a restart (stored beside the accounts)', async () => {
    const r = await api(base, 'api/login', { name: 'eva', password: 'senha da eva' });
    await server.close();
    let port: number;
    ({ server, port, url } = await webServer({ dataDir: dir, nickGraceSecs: 0 }));
    base = `http://127.0.0.1:${port}/`;
    assert.deepEqual((await api(base, 'api/me', undefined, { cookie: r.cookie })).body, { account: { name: 'eva' } });
    const { c, welcome } = await hello(url, 'eva', r.cookie);
    assert.equal(welcome.account, 'eva');
    await c.close();
  });
});

describe('web sign-in over TLS', () => {
  it('marks the cookie Secure', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tomada-signin-tls-'));
    const { cert, key } = await writeSelfSignedCert({ out: dir, days: 1, hosts: ['127.0.0.1'] });
    const { server, port } = await webServer({ tlsCert: cert, tlsKey: key, ircs: null });
    try {
      const r = await api(`https://127.0.0.1:${port}/`, 'api/register', { name: 'segura', password: 'senha boa' });
      assert.equal(r.status, 200);
      assert.match(r.headers['set-cookie']![0]!, /; HttpOnly; SameSite=Strict; Secure$/);
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
