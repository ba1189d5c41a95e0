/**
 * The web client in a real browser (Debian's Chromium driven by playwright-core; nothing downloaded):
 * two pages chat with each other, with a line-door client and with an IRC client in #geral; a page
 * that goes away and comes back (and a reload) shows every message exactly once; `<script>` in a
 * message is shown as text; a screenshot of it is a real picture (the README's pictures are
 * `web-screenshots.test.ts`'s).
 */
import assert from 'node:assert/strict';
import { rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { JsonSession } from '../../src/protocols/web/json-session.js';
import { startChatServer, type ChatServer } from '../../src/server/chat-server.js';
import { allDoorsServer } from '../helpers/chat-server.js';
import { chromiumForTests, noChromium } from '../helpers/browser.js';
import { login, say, seen, shownIds, shownTexts, submitLogin, T } from '../helpers/web-page.js';
import { ircUser, lineUser, WireClient } from '../helpers/wire.js';
import { JsonClient } from '../protocols/web/helpers.js';

const SCREENSHOT = join(tmpdir(), `tomada-screenshot-${process.pid}.png`);

describe('web client in Chromium', { skip: noChromium() }, () => {
  const chromium = chromiumForTests();
  let server: ChatServer;
  let base: string;
  let line: WireClient;
  let irc: WireClient;

  before(async () => {
    ({ server, base } = await allDoorsServer({ limits: { floodRate: 100, floodBurst: 100 } }));
  });

  after(async () => {
    line?.close();
    irc?.close();
    await server?.close();
  });

  it('two pages, a line-door client and an IRC client chat in #geral; a reload loses and repeats nothing', async () => {
    const errors: string[] = [];
    const a = await chromium.page({ viewport: { width: 960, height: 540 }, locale: 'pt-BR' }, errors);
    const b = await chromium.page({ viewport: { width: 390, height: 740 }, isMobile: true, hasTouch: true }, errors);
    for (const p of [a, b]) {
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
    // Each page in its own language.
    assert.equal(await a.locator('html').getAttribute('lang'), 'pt-BR');
    assert.equal(await a.locator('#members-title').textContent(), 'Membros (4)');
    assert.equal(await b.locator('html').getAttribute('lang'), 'en');
    assert.equal(await b.locator('#members-title').textContent(), 'Members (4)');

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
    // A picture of four people, three doors, one room, and the markup shown as text.
    await a.setViewportSize({ width: 960, height: 420 });
    await a.screenshot({ path: SCREENSHOT });
    assert.ok(statSync(SCREENSHOT).size > 10_000, 'a real picture');
    rmSync(SCREENSHOT);
    await a.setViewportSize({ width: 960, height: 540 });

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

    // A dropped connection (cut on the server's side, as a network failure would): the page says it
    // is reconnecting, backs off, comes back and shows what was said meanwhile, once.
    const beforeDrop = await shownTexts(b);
    const session = server.hub.findUser('bia')?.sink;
    assert.ok(session instanceof JsonSession);
    session.ws.terminate();
    await a.locator('#member-list li', { hasText: 'bia' }).waitFor({ state: 'detached', timeout: T });
    line.send('durante a queda\n');
    await seen(a, 'durante a queda');
    await b.locator('#status', { hasText: 'reconnecting in' }).waitFor({ timeout: T });
    await b.locator('#status', { hasText: 'online as bia' }).waitFor({ timeout: T });
    await seen(b, 'durante a queda');
    await b.locator('#messages li.info', { hasText: 'Reconnected.' }).waitFor({ timeout: T });
    assert.deepEqual(await shownTexts(b), [...beforeDrop, 'durante a queda']);
    await a.locator('#member-list li', { hasText: 'bia' }).waitFor({ timeout: T });

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
    const cp = await chromium.page({ locale: 'en-US' });
    await cp.goto(base);
    await submitLogin(cp, { nick: 'ana' });
    await cp.locator('#login-error', { hasText: 'taken' }).waitFor({ timeout: T });
    // And so is an invalid one.
    await submitLogin(cp, { nick: '9vidas' });
    await cp.locator('#login-error', { hasText: 'may not start with a digit' }).waitFor({ timeout: T });
    assert.equal(await cp.locator('#chat').isVisible(), false);
    await cp.context().close();

    assert.deepEqual(errors, []);
    await a.context().close();
    await b.context().close();
  });
  it('history on join, older history on scroll, unread counts per room, /join /nick /topic /lang', async () => {
    const port = server.address('http')!.port;
    const w = await JsonClient.chat(`ws://127.0.0.1:${port}`, 'arquivista', '#arquivo');
    for (let i = 1; i <= 70; i++) w.send({ type: 'message', target: '#arquivo', text: `arquivo ${i}`, ref: i });
    await w.next((m) => m.type === 'message' && m.ref === 70);
    w.send({ type: 'join', room: '#geral' });
    await w.next((m) => m.type === 'joined' && m.room === '#geral');
    w.send({ type: 'message', target: '#geral', text: 'antes de eva chegar', ref: 'g' });
    await w.next((m) => m.type === 'message' && m.ref === 'g');

    const errors: string[] = [];
    const e = await chromium.page({ viewport: { width: 800, height: 420 }, locale: 'en-US' }, errors);
    await login(e, base, 'eva');
    // The room's recent history on joining.
    await seen(e, 'antes de eva chegar');

    // /join switches to the room, which shows its last 20 messages (--history) …
    await say(e, '/join #arquivo');
    await e.locator('#title', { hasText: '#arquivo' }).waitFor({ timeout: T });
    await seen(e, 'arquivo 70');
    const numbers = (from: number, to: number) =>
      Array.from({ length: to - from + 1 }, (_, i) => `arquivo ${from + i}`);
    assert.deepEqual(await shownTexts(e), numbers(51, 70));
    // … and the older ones when scrolled to the top, each once, in order.
    await e.locator('#messages').evaluate((el) => el.scrollTo(0, 0));
    await e.locator('#messages li.info', { hasText: 'Beginning of #arquivo' }).waitFor({ timeout: T });
    assert.deepEqual(await shownTexts(e), numbers(1, 70));

    // A message in another room: an unread count on that room, cleared when it is opened.
    w.send({ type: 'message', target: '#geral', text: 'na geral, enquanto eva lê o arquivo' });
    const geral = e.locator('#room-list button.room', { hasText: '#geral' });
    await geral.locator('.unread', { hasText: '1' }).waitFor({ timeout: T });
    await geral.click();
    await seen(e, 'na geral, enquanto eva lê o arquivo');
    assert.equal(await geral.locator('.unread').count(), 0);

    // /nick, a room of one's own and /topic there, /lang.
    await say(e, '/nick evinha');
    await e.locator('#status', { hasText: 'online as evinha' }).waitFor({ timeout: T });
    await say(e, '/join #da-eva');
    await e.locator('#title', { hasText: '#da-eva' }).waitFor({ timeout: T });
    await say(e, '/topic só da eva');
    await e.locator('#topic', { hasText: 'só da eva' }).waitFor({ timeout: T });
    await say(e, '/lang pt-BR');
    await e.locator('#members-title', { hasText: 'Membros (1)' }).waitFor({ timeout: T });
    assert.equal(await e.locator('html').getAttribute('lang'), 'pt-BR');
    // The server's texts follow.
    await say(e, '/msg ninguem oi');
    // (A refused message stays where it was typed, marked failed with the server's reason.)
    await e
      .locator('#messages li.outgoing.failed', { hasText: 'não enviada: Não existe o usuário ninguem' })
      .waitFor({ timeout: T });
    await say(e, '/help');
    await e.locator('#messages li.info', { hasText: 'Comandos: /join' }).waitFor({ timeout: T });
    assert.deepEqual(errors, []);
    await e.context().close();
    await w.close();
  });
  it('folds names as the server does (rfc1459): #a[b] and #A{B} are one tab, dani[x] and DANI{X} one person', async () => {
    const d = await WireClient.connect(server.address('irc')!.port);
    d.send('NICK dani[x]\r\nUSER dani 0 * :IRC user\r\n');
    await d.waitFor(/ 001 /);
    d.send('JOIN #a[b]\r\n');
    await d.waitFor(/JOIN :?#a\[b\]\r\n/);

    const errors: string[] = [];
    const f = await chromium.page({ viewport: { width: 960, height: 540 }, locale: 'en-US' }, errors);
    await login(f, base, 'fabio');
    // The room as the server spells it; the page switches to it as to any room it asked for.
    await say(f, '/join #A{B}');
    await f.locator('#title', { hasText: '#a[b]' }).waitFor({ timeout: T });
    await f.locator('#member-list li', { hasText: 'dani[x]' }).waitFor({ timeout: T });
    await say(f, '/join #geral');
    await f.locator('#title', { hasText: '#geral' }).waitFor({ timeout: T });
    // Already joined under the other spelling: the page only switches back.
    await say(f, '/join #A{B}');
    await f.locator('#title', { hasText: '#a[b]' }).waitFor({ timeout: T });
    // A conversation opened with one spelling receives the messages of the nick spelled the other way.
    await say(f, '/query DANI{X}');
    await f.locator('#title', { hasText: 'DANI{X}' }).waitFor({ timeout: T });
    d.send('PRIVMSG fabio :oi de dani\r\n');
    await seen(f, 'oi de dani');
    assert.deepEqual(await f.locator('#room-list button .name').allTextContents(), ['#a[b]', '#geral', 'DANI{X}']);
    assert.deepEqual(errors, []);
    await f.context().close();
    d.close();
  });

  it('a server with a password: the page asks for it after the nickname, then lets the person in', async () => {
    const locked = await startChatServer({
      line: null,
      irc: null,
      http: { host: '127.0.0.1', port: 0 },
      dataDir: ':memory:',
      password: 'segredo',
    });
    const page = await chromium.page({ viewport: { width: 960, height: 540 } });
    try {
      await page.goto(`http://127.0.0.1:${locked.address('http')!.port}/?lang=en`);
      assert.equal(await page.locator('#password').isVisible(), false, 'no password field until the server asks');
      await submitLogin(page, { nick: 'eva' });
      await page.locator('#password').waitFor({ state: 'visible', timeout: T });
      assert.match((await page.locator('#login-error').textContent()) ?? '', /password/i);
      await submitLogin(page, { password: 'errada' });
      await page.locator('#login-error', { hasText: 'Wrong password.' }).waitFor({ timeout: T });
      await submitLogin(page, { password: 'segredo' });
      await page.locator('#status', { hasText: 'eva' }).waitFor({ timeout: T });
      assert.equal(locked.hub.findUser('eva')?.sink.door, 'web');
    } finally {
      await page.context().close();
      await locked.close();
    }
  });
});
