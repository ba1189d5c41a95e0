/**
 * The web client in a real browser (Debian's Chromium driven by playwright-core; nothing downloaded):
 * two pages chat with each other, with a line-door client and with an IRC client in #geral; a page
 * that goes away and comes back (and a reload) shows every message exactly once; `<script>` in a
 * message is shown as text. Writes docs/screenshot-web.png for the README.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startChatServer, type ChatServer } from '../../src/server/chat-server.js';
import { lineUser, WireClient } from '../helpers/wire.js';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCREENSHOT = fileURLToPath(new URL('../../docs/screenshot-web.png', import.meta.url));
const T = 10_000;

async function ircUser(port: number, nick: string): Promise<WireClient> {
  const c = await WireClient.connect(port);
  c.send(`NICK ${nick}\r\nUSER ${nick} 0 * :IRC user\r\n`);
  await c.waitFor(/ 001 /);
  c.send('JOIN #geral\r\n');
  await c.waitFor(/JOIN :?#geral\r\n/);
  return c;
}

/** Texts of the chat messages a page shows, in order. */
function shownTexts(page: Page): Promise<string[]> {
  return page.locator('#messages li.msg .text').allTextContents();
}
function shownIds(page: Page): Promise<string[]> {
  return page.locator('#messages li.msg').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.id ?? ''));
}
async function seen(page: Page, text: string): Promise<void> {
  await page.locator('#messages li.msg .text', { hasText: text }).first().waitFor({ timeout: T });
}
async function say(page: Page, text: string): Promise<void> {
  await page.fill('#input', text);
  await page.press('#input', 'Enter');
}
async function login(page: Page, url: string, nick: string): Promise<void> {
  await page.goto(url);
  await page.fill('#nick', nick);
  await page.click('#login-form button[type=submit]');
  await page.locator('#status', { hasText: nick }).waitFor({ timeout: T });
  await page.locator('#messages li.info').first().waitFor({ timeout: T });
}

describe('web client in Chromium', { skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed` }, () => {
  let server: ChatServer;
  let browser: Browser;
  let base: string;
  let line: WireClient;
  let irc: WireClient;

  before(async () => {
    const built = spawnSync(process.execPath, ['scripts/build-web.mjs', '--out', 'src/web/dist'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    assert.equal(built.status, 0, built.stderr);
    server = await startChatServer({
      line: { host: '127.0.0.1', port: 0 },
      irc: { host: '127.0.0.1', port: 0 },
      http: { host: '127.0.0.1', port: 0 },
      dataDir: ':memory:',
      limits: { floodRate: 100, floodBurst: 100 },
    });
    base = `http://127.0.0.1:${server.address('http')!.port}/`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  after(async () => {
    line?.close();
    irc?.close();
    await browser?.close();
    await server?.close();
  });

  it('two pages, a line-door client and an IRC client chat in #geral; a reload loses and repeats nothing', async () => {
    const ctxA = await browser.newContext({ viewport: { width: 960, height: 540 }, locale: 'pt-BR' });
    const ctxB = await browser.newContext({ viewport: { width: 390, height: 740 }, isMobile: true, hasTouch: true });
    const a = await ctxA.newPage();
    const b = await ctxB.newPage();
    const errors: string[] = [];
    for (const p of [a, b]) {
      p.on('pageerror', (e) => errors.push(e.message));
      p.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
    }

    await login(a, base, 'ana');
    await login(b, `${base}?lang=en`, 'bia');
    line = await lineUser(server.address('line')!.port, 'carlos');
    irc = await ircUser(server.address('irc')!.port, 'dani');
    // Member list: everyone, whichever door.
    await a.locator('#member-list li', { hasText: 'dani' }).waitFor({ timeout: T });
    assert.deepEqual(
      (await a.locator('#member-list li .nick').allTextContents()).map((n) => n.replace(/^[@+]/, '')).sort(),
      ['ana', 'bia', 'carlos', 'dani'],
    );
    assert.equal(await a.locator('html').getAttribute('lang'), 'pt-BR');

    await say(a, 'oi de ana');
    await seen(b, 'oi de ana');
    await line.waitFor('ana: oi de ana\n');
    await irc.waitFor(/:ana!\S+ PRIVMSG #geral :oi de ana\r\n/);

    await say(b, 'oi da bia');
    await seen(a, 'oi da bia');
    await line.waitFor('bia: oi da bia\n');

    line.send('oi do carlos\n');
    await seen(a, 'oi do carlos');
    await seen(b, 'oi do carlos');
    await irc.waitFor(/:carlos!\S+ PRIVMSG #geral :oi do carlos\r\n/);

    irc.send('PRIVMSG #geral :oi da dani\r\n');
    await seen(a, 'oi da dani');
    await seen(b, 'oi da dani');
    await line.waitFor('dani: oi da dani\n');

    // /commands as on the line door.
    await say(a, '/me acena');
    await seen(b, 'acena');

    // Text, never HTML.
    const evil = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"> <b>negrito?</b>';
    await say(b, evil);
    await seen(a, 'negrito?');
    const shown = await a.locator('#messages li.msg .text').last().textContent();
    assert.equal(shown, evil);
    assert.equal(await a.locator('#messages img, #messages script, #messages b').count(), 0);
    assert.equal(await a.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    await line.waitFor('negrito?</b>\n');

    // B goes away; messages sent meanwhile come when it returns; nothing is shown twice.
    const beforeAway = await shownTexts(b);
    await b.goto('about:blank');
    await a.locator('#member-list li', { hasText: 'bia' }).waitFor({ state: 'detached', timeout: T });
    line.send('enquanto bia estava fora 1\n');
    irc.send('PRIVMSG #geral :enquanto bia estava fora 2\r\n');
    await seen(a, 'enquanto bia estava fora 2');
    await b.goto(`${base}?lang=en`);
    await seen(b, 'enquanto bia estava fora 2');
    await b.locator('#status', { hasText: 'bia' }).waitFor({ timeout: T });
    const afterReturn = await shownTexts(b);
    assert.deepEqual(afterReturn, [...beforeAway, 'enquanto bia estava fora 1', 'enquanto bia estava fora 2']);

    // A real reload, with a message racing it.
    const reload = b.reload();
    line.send('durante o reload\n');
    await reload;
    await seen(b, 'durante o reload');
    await b.locator('#status', { hasText: 'bia' }).waitFor({ timeout: T });
    await say(b, 'voltei');
    await seen(a, 'voltei');
    await seen(b, 'voltei');
    const finalTexts = await shownTexts(b);
    assert.deepEqual(finalTexts, [...afterReturn, 'durante o reload', 'voltei']);
    const ids = await shownIds(b);
    assert.equal(new Set(ids).size, ids.length, `duplicate ids: ${ids.join(',')}`);
    assert.deepEqual(
      [...ids].sort((x, y) => Number(x) - Number(y)),
      ids,
    );

    // A private message: a conversation of its own on the other side, with an unread count.
    await say(b, '/msg ana só pra você');
    await a.locator('#room-list button.private', { hasText: 'bia' }).waitFor({ timeout: T });
    assert.equal(await a.locator('#room-list button.private .unread').textContent(), '1');

    // The phone-sized page: the room list is a drawer behind a button.
    assert.equal(await b.locator('#rooms').isVisible(), false);
    await b.click('#toggle-rooms');
    assert.equal(await b.locator('#rooms').isVisible(), true);
    await b.click('#toggle-rooms');

    // A taken nickname is explained on the login form.
    const c = await ctxA.browser()!.newContext({ locale: 'en-US' });
    const cp = await c.newPage();
    await cp.goto(base);
    await cp.fill('#nick', 'ana');
    await cp.click('#login-form button[type=submit]');
    await cp.locator('#login-error', { hasText: 'taken' }).waitFor({ timeout: T });
    await c.close();

    await a.click('#room-list button.room');
    await a.locator('#messages li.msg .text', { hasText: 'voltei' }).waitFor({ timeout: T });
    await a.screenshot({ path: SCREENSHOT });
    assert.deepEqual(errors, []);
    await ctxA.close();
    await ctxB.close();
  });
});
