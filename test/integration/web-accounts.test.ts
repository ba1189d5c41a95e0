/**
 * Accounts in the web client, in a real browser (Debian's Chromium driven by playwright-core): register,
 * the cookie's attributes, a second page with the cookie is the same account, change password, sign
 * out, sign in; a guest who takes a registered nickname is warned and renamed, as on the other doors.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { nickKey } from '../../src/core/names.js';
import { startChatServer, type ChatServer } from '../../src/server/chat-server.js';
import { chromiumForTests, noChromium } from '../helpers/browser.js';
import { T } from '../helpers/web-page.js';
import { lineUser, type WireClient } from '../helpers/wire.js';

async function online(page: Page, nick: string | RegExp): Promise<void> {
  const text = typeof nick === 'string' ? `online as ${nick}` : nick;
  await page.locator('#status', { hasText: text }).waitFor({ timeout: T });
}

async function signIn(page: Page, button: 'sign-in' | 'register', name: string, password: string): Promise<void> {
  await page.fill('#account-name', name);
  await page.fill('#account-password', password);
  await page.click(`#${button}`);
}

describe('accounts in the web client (Chromium)', { skip: noChromium() }, () => {
  const chromium = chromiumForTests();
  let server: ChatServer;
  let base: string;
  let line: WireClient | undefined;

  before(async () => {
    server = await startChatServer({
      line: { host: '127.0.0.1', port: 0 },
      irc: null,
      http: { host: '127.0.0.1', port: 0 },
      dataDir: ':memory:',
      nickGraceSecs: 2,
      limits: { floodRate: 100, floodBurst: 100 },
    });
    base = `http://127.0.0.1:${server.address('http')!.port}/`;
  });

  after(async () => {
    line?.close();
    await server?.close();
  });

  it('registers, keeps the sign-in in an HttpOnly SameSite=Strict cookie, signs out and in again', async () => {
    const errors: string[] = [];
    const a = await chromium.page({ locale: 'en' }, errors);
    const ctx = a.context();
    await a.goto(base);
    // A guest can still just pick a nickname: both forms are there.
    assert.equal(await a.locator('#login-form').isVisible(), true);
    assert.equal(await a.locator('#account-form').isVisible(), true);

    // A refused registration says why, in the form.
    await signIn(a, 'register', 'ana', 'x');
    await a.locator('#account-error', { hasText: 'password is too short' }).waitFor({ timeout: T });

    await signIn(a, 'register', 'ana', 'senha da ana');
    await online(a, 'ana');
    assert.equal(await a.locator('#account').textContent(), 'Account: ana');
    assert.equal(server.hub.findUser('ana')!.account, 'ana');

    // The cookie: HttpOnly (no script sees it), SameSite=Strict, Path=/, not Secure over plain HTTP.
    const [cookie] = (await ctx.cookies()).filter((c) => c.name === 'tomada_session');
    assert.ok(cookie, 'the sign-in cookie is set');
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Strict');
    assert.equal(cookie.path, '/');
    assert.equal(cookie.secure, false);
    assert.match(cookie.value, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(await a.evaluate(() => document.cookie), '');

    // A second page with the cookie: signed in to the same account, beside the first.
    const b = await ctx.newPage();
    await b.goto(base);
    await b.locator('#signed-in-text', { hasText: 'Signed in as ana.' }).waitFor({ timeout: T });
    assert.equal(await b.locator('#account-form').isVisible(), false);
    assert.equal(await b.inputValue('#nick'), 'ana');
    await b.click('#login-form button[type=submit]');
    await online(b, 'ana2');
    assert.equal(await b.locator('#account').textContent(), 'Account: ana');
    assert.equal(server.hub.findUser('ana2')!.account, 'ana');

    // Change password: the current one is needed (other browsers' sign-ins end: sign-in.test.ts).
    await a.click('#account');
    await a.fill('#current-password', 'errada');
    await a.fill('#new-password', 'nova senha');
    await a.click('#password-form button[type=submit]');
    await a.locator('#password-result', { hasText: 'The current password is wrong.' }).waitFor({ timeout: T });
    await a.fill('#current-password', 'senha da ana');
    await a.fill('#new-password', 'nova senha');
    await a.click('#password-form button[type=submit]');
    await a.locator('#password-result', { hasText: 'Password changed.' }).waitFor({ timeout: T });
    // The second page is the same browser (the same cookie): still signed in.
    assert.equal(server.hub.findUser('ana2')!.account, 'ana');

    // Sign out: revoked on the server, the cookie gone, the page back to the forms.
    await a.click('#sign-out');
    await a.locator('#account-form').waitFor({ timeout: T });
    assert.deepEqual(
      (await ctx.cookies()).filter((c) => c.name === 'tomada_session'),
      [],
    );
    assert.equal(server.hub.findUser('ana'), undefined);
    // The other page of that browser is a guest now (and its nickname is not a registered one).
    assert.equal(server.hub.findUser('ana2')!.account, undefined);
    await b.close();

    // Sign in with the new password (the old one is refused with the one answer for both mistakes).
    await signIn(a, 'sign-in', 'ana', 'senha da ana');
    await a.locator('#account-error', { hasText: 'Wrong account or password.' }).waitFor({ timeout: T });
    await signIn(a, 'sign-in', 'ANA', 'nova senha');
    await online(a, 'ana');
    assert.equal(server.hub.findUser('ana')!.account, 'ana');
    // A reload keeps both the chat and the sign-in.
    await a.reload();
    await online(a, 'ana');
    assert.equal(await a.locator('#account').textContent(), 'Account: ana');
    // /register #room: signed in and the operator of a room she made, she becomes its founder.
    await a.fill('#input', '/join #da-ana');
    await a.press('#input', 'Enter');
    await a.locator('#title', { hasText: '#da-ana' }).waitFor({ timeout: T });
    await a.fill('#input', '/register #da-ana');
    await a.press('#input', 'Enter');
    await a.locator('#messages li.info', { hasText: '#da-ana is now registered to ana' }).waitFor({ timeout: T });
    assert.deepEqual(errors, []);
    await ctx.close();
  });

  it('warns a guest who takes a registered nickname, then renames it, seen on the line door too', async () => {
    await gone(server, 'ana');
    line = await lineUser(server.address('line')!.port, 'carlos');
    const g = await chromium.page({ locale: 'pt-BR' });
    await g.goto(base);
    await g.fill('#nick', 'ana');
    await g.click('#login-form button[type=submit]');
    await g
      .locator('#messages li.info', { hasText: 'O apelido ana é de outra pessoa' })
      .first()
      .waitFor({ timeout: T });
    assert.equal(server.hub.findUser('ana')!.account, undefined);
    await online(g, /online como Guest\d+/);
    await line.waitFor(/\* ana is now Guest\d+\n/);
    await g.context().close();
  });
});

/** Resolves once nobody holds `nick` (the previous test's page closed): the hub says when it quits. */
function gone(server: ChatServer, nick: string): Promise<void> {
  if (!server.hub.findUser(nick)) return Promise.resolve();
  return new Promise((resolve) =>
    server.hub.observe({ quit: (u) => (nickKey(u.nick) === nickKey(nick) ? resolve() : undefined) }),
  );
}
