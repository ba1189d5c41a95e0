/**
 * The web client's reading and writing gestures in Chromium (playwright-core, /usr/bin/chromium): a view
 * scrolled up stays put under new messages, unread divider and day separators, safe links, mentions,
 * desktop notifications, the unread count in the title and across a reload, palette nick colours, a
 * private conversation's peer, `/msg` staying in the room, an over-long text refused whole, leaving a
 * room and the room browser.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import type { ChatServer } from '../../src/server/chat-server.js';
import { allDoorsServer } from '../helpers/chat-server.js';
import { chromiumForTests, noChromium } from '../helpers/browser.js';
import { login, say, seen, T } from '../helpers/web-page.js';
import { ircUser, lineUser, type WireClient } from '../helpers/wire.js';
import { paletteOf } from '../web/palette.js';

const atBottom = (p: Page) =>
  p.locator('#messages').evaluate((e) => e.scrollHeight - e.scrollTop - e.clientHeight < 30);

/**
 * Records each Notification the page constructs (then constructs the real one), and lets the test say
 * whether the tab is hidden. A string, so the test runner's transform adds nothing to it.
 */
const NOTIFICATION_SPY = `
  const Real = window.Notification;
  window.__notes = [];
  function Spy(title, opts) {
    window.__notes.push({ title, body: opts && opts.body });
    return new Real(title, opts);
  }
  Object.defineProperty(Spy, 'permission', { get: () => Real.permission });
  Spy.requestPermission = Real.requestPermission.bind(Real);
  window.Notification = Spy;
  Object.defineProperty(Document.prototype, 'hidden', { configurable: true, get: () => window.__hidden === true });
`;

describe('web client reading and writing', { skip: noChromium() }, () => {
  let server: ChatServer;
  const chromium = chromiumForTests();
  let base: string;
  let linePort: number;
  const open: Array<{ close(): unknown }> = [];

  async function page(opts: BrowserContextOptions = {}): Promise<[BrowserContext, Page, string[]]> {
    const errors: string[] = [];
    const p = await chromium.page({ viewport: { width: 960, height: 420 }, locale: 'pt-BR', ...opts }, errors);
    return [p.context(), p, errors];
  }
  async function line(nick: string): Promise<WireClient> {
    const c = await lineUser(linePort, nick);
    open.push(c);
    return c;
  }

  before(async () => {
    ({ server, base } = await allDoorsServer({ limits: { floodRate: 1000, floodBurst: 1000 } }));
    linePort = server.address('line')!.port;
  });

  after(async () => {
    for (const o of open) await o.close();
    await server?.close();
  });

  it('scrolled up, a new message leaves the view in place: a "new messages" button and an unread divider', async () => {
    const [, a, errors] = await page();
    await login(a, base, 'rita');
    const l = await line('rui');
    for (let i = 0; i < 40; i++) l.send(`linha ${i}\n`);
    await seen(a, 'linha 39');
    assert.equal(await atBottom(a), true);
    assert.equal(await a.locator('#new-below').isVisible(), false);
    await a.locator('#messages').evaluate((e) => (e.scrollTop = 100));
    l.send('chegou agora\n');
    await seen(a, 'chegou agora');
    assert.equal(await a.locator('#messages').evaluate((e) => e.scrollTop), 100, 'the view did not move');
    await a.locator('#new-below', { hasText: 'Novas mensagens ↓' }).waitFor({ timeout: T });
    // The divider sits right before the first message that came unseen.
    const nextText = await a
      .locator('#messages li.unread-divider')
      .evaluate((d) => d.nextElementSibling?.querySelector('.text')?.textContent);
    assert.equal(nextText, 'chegou agora');
    await a.click('#new-below');
    assert.equal(await atBottom(a), true);
    assert.equal(await a.locator('#new-below').isVisible(), false);
    // At the bottom, a new message does scroll the view.
    l.send('e mais uma\n');
    await seen(a, 'e mais uma');
    await a.waitForFunction(() => {
      const e = document.getElementById('messages')!;
      return e.scrollHeight - e.scrollTop - e.clientHeight < 30;
    });
    assert.deepEqual(errors, []);
  });

  it('history spanning days shows a separator for each day', async () => {
    const [, a] = await page();
    await a.goto(base);
    const day = 24 * 3600 * 1000;
    const now = Date.now();
    const msg = (id: string, time: number, text: string) => ({
      id,
      time,
      target: '#antiga',
      from: 'vovo',
      text,
      kind: 'message',
      private: false,
    });
    await a.evaluate((saved) => sessionStorage.setItem('tomada.session', JSON.stringify(saved)), {
      nick: 'neta',
      active: '#antiga',
      convs: [
        {
          name: '#antiga',
          kind: 'room',
          more: false,
          messages: [
            msg('1', now - 2 * day, 'anteontem'),
            msg('2', now - 2 * day + 60_000, 'anteontem 2'),
            msg('3', now, 'hoje'),
          ],
        },
      ],
    });
    await a.reload();
    await seen(a, 'hoje');
    const kinds = await a
      .locator('#messages li')
      .evaluateAll((els) =>
        els
          .map((e) => (e.classList.contains('day') ? 'day' : (e.querySelector('.text')?.textContent ?? '')))
          .filter((k) => k !== ''),
      );
    assert.deepEqual(kinds, ['day', 'anteontem', 'anteontem 2', 'day', 'hoje']);
    const expected = new Date(now).toLocaleDateString('pt-BR', {
      weekday: 'long',
      year: 'numeric',
      month: 'long',
      day: 'numeric',
    });
    assert.equal(await a.locator('#messages li.day').last().textContent(), expected);
  });

  it('links are anchors with a safe scheme, noopener, a new tab; other text stays text; long words wrap', async () => {
    const [, a, errors] = await page();
    await login(a, base, 'lia');
    const l = await line('leo');
    const long = 'a'.repeat(400);
    const text = `veja https://example.com/a?b=1&c=2, javascript:alert(1) mailto:x@example.com <a href="http://evil">x</a> ${long}`;
    l.send(`${text}\n`);
    await seen(a, 'veja');
    const li = a.locator('#messages li.msg', { hasText: 'veja' });
    assert.equal(await li.locator('.text').textContent(), text, 'the text is shown as it was written');
    const links = await li.locator('a').evaluateAll((as) =>
      as.map((x) => ({
        href: x.getAttribute('href'),
        text: x.textContent,
        target: x.getAttribute('target'),
        rel: x.getAttribute('rel'),
      })),
    );
    assert.deepEqual(links, [
      {
        href: 'https://example.com/a?b=1&c=2',
        text: 'https://example.com/a?b=1&c=2',
        target: '_blank',
        rel: 'noopener noreferrer',
      },
      { href: 'mailto:x@example.com', text: 'mailto:x@example.com', target: '_blank', rel: 'noopener noreferrer' },
      // The `<a href=…>` of the text is text; only the URL inside it, written out, is a link.
      { href: 'http://evil', text: 'http://evil', target: '_blank', rel: 'noopener noreferrer' },
    ]);
    // The long word wraps instead of widening the page.
    assert.equal(await a.locator('#messages').evaluate((e) => e.scrollWidth <= e.clientWidth), true);
    assert.deepEqual(errors, []);
  });

  it('mentions are highlighted and notify when the tab is hidden, as private messages do; unread counts in the title survive a reload', async () => {
    const [ctx, a, errors] = await page();
    await ctx.grantPermissions(['notifications'], { origin: base.replace(/\/$/, '') });
    await a.addInitScript({ content: NOTIFICATION_SPY });
    await login(a, base, 'ana');
    assert.equal(await a.evaluate(() => Notification.permission), 'granted');
    const l = await line('beto');
    const irc = await ircUser(server.address('irc')!.port, 'caio');
    open.push(irc);
    l.send('oi Ana, tudo bem?\n');
    l.send('a anabela chegou\n');
    await seen(a, 'anabela');
    assert.equal(
      await a
        .locator('#messages li.msg.mention .text')
        .allTextContents()
        .then((t) => t.join('|')),
      'oi Ana, tudo bem?',
    );
    // Tab visible: no notification.
    assert.deepEqual(await a.evaluate(() => (window as unknown as { __notes: unknown[] }).__notes), []);
    await a.evaluate(() => ((window as unknown as { __hidden: boolean }).__hidden = true));
    l.send('ana: olha isso\n');
    irc.send('PRIVMSG ana :psiu\r\n');
    l.send('sem menção\n');
    await seen(a, 'sem menção');
    await a.locator('#room-list button.private', { hasText: 'caio' }).waitFor({ timeout: T });
    assert.deepEqual(await a.evaluate(() => (window as unknown as { __notes: unknown[] }).__notes), [
      { title: 'beto em #geral', body: 'ana: olha isso' },
      { title: 'caio (privado)', body: 'psiu' },
    ]);
    // Unread: two in the room shown (the tab was hidden), one private.
    assert.equal(await a.title(), '(3) chat tomada');
    await a.reload();
    await a.locator('#status', { hasText: 'ana' }).waitFor({ timeout: T });
    assert.equal(await a.locator('#room-list button.private .unread').textContent(), '1');
    assert.equal(await a.title(), '(1) chat tomada');
    await a.click('#room-list button.private');
    assert.equal(await a.title(), 'chat tomada');
    assert.deepEqual(errors, []);
  });

  it('nick colours come from the palette checked for contrast, on both themes', async () => {
    const css = readFileSync(new URL('../../src/web/style.css', import.meta.url), 'utf8');
    for (const scheme of ['light', 'dark'] as const) {
      const [, a] = await page({ colorScheme: scheme });
      await login(a, base, `cor${scheme}`);
      const allowed = paletteOf(css, scheme).map(([r, g, b]) => `rgb(${r}, ${g}, ${b})`);
      const colour = await a
        .locator('#member-list li .nick')
        .first()
        .evaluate((e) => getComputedStyle(e).color);
      assert.ok(allowed.includes(colour), `${colour} is one of ${allowed.join(' ')}`);
    }
  });

  it('a private conversation shows who it is with and whether they are in a room with us; opening it is a visible action', async () => {
    const [, a] = await page();
    await login(a, base, 'paula');
    const l = await line('pedro');
    await a.locator('#member-list li', { hasText: 'pedro' }).waitFor({ timeout: T });
    await a.locator('#member-list li', { hasText: 'pedro' }).getByRole('button', { name: 'Mensagem' }).click();
    await a.locator('#title', { hasText: 'pedro' }).waitFor({ timeout: T });
    assert.equal(await a.locator('#members-title').textContent(), 'Conversa privada com pedro');
    assert.equal(await a.locator('#member-list li.peer .door').textContent(), 'online (numa sala com você)');
    l.close();
    await a.locator('#member-list li.peer .door', { hasText: 'em nenhuma das suas salas' }).waitFor({ timeout: T });
  });

  it('/msg sends one private message and stays in the room', async () => {
    const [, a] = await page();
    await login(a, base, 'marta');
    const l = await line('mario');
    await a.locator('#member-list li', { hasText: 'mario' }).waitFor({ timeout: T });
    await say(a, '/msg mario só pra você');
    await l.waitFor('só pra você');
    await a.locator('#messages li.info', { hasText: 'Para mario: só pra você' }).waitFor({ timeout: T });
    assert.equal(await a.locator('#title').textContent(), '#geral');
    await a.locator('#room-list button.private', { hasText: 'mario' }).waitFor({ timeout: T });
    assert.equal((l.received.match(/só pra você/g) ?? []).length, 1);
  });

  it('a text over the limit is refused whole, with the reason, and stays in the input', async () => {
    const [, a] = await page();
    await login(a, base, 'olga');
    const l = await line('otto');
    const long = 'x'.repeat(4001);
    await a.locator('#input').evaluate((e, v) => ((e as HTMLInputElement).value = v), long);
    await a.press('#input', 'Enter');
    await a
      .locator('#messages li.info.error', { hasText: 'a mensagem tem 4001 caracteres, o limite é 4000' })
      .waitFor({ timeout: T });
    assert.equal(await a.inputValue('#input'), long);
    // The limit itself passes, whole: the input no longer cuts a paste (no maxlength).
    assert.equal(await a.locator('#input').getAttribute('maxlength'), null);
    await say(a, 'y'.repeat(4000));
    await l.waitFor(`olga: ${'y'.repeat(4000)}\n`);
    assert.equal(l.received.includes('xxxx'), false);
  });

  it('a visible button leaves the room; the room browser lists rooms with topics and counts, and joins', async () => {
    const [, a] = await page();
    await login(a, base, 'sara');
    await say(a, '/join #sala-b');
    await a.locator('#title', { hasText: '#sala-b' }).waitFor({ timeout: T });
    await say(a, '/topic sobre plantas');
    await a.locator('#topic', { hasText: 'sobre plantas' }).waitFor({ timeout: T });
    await a.locator('#room-list button.room', { hasText: '#geral' }).click();
    await a.locator('#title', { hasText: '#geral' }).waitFor({ timeout: T });
    await a.click('#leave');
    await a.locator('#room-list button.room', { hasText: '#geral' }).waitFor({ state: 'detached', timeout: T });
    await a.click('#browse-rooms');
    const item = a.locator('#room-browser li', { hasText: '#sala-b' });
    await item.waitFor({ timeout: T });
    assert.match((await item.textContent()) ?? '', /#sala-b 1 online .*sobre plantas/);
    const geral = a.locator('#room-browser li', { hasText: '#geral' });
    await geral.getByRole('button', { name: 'Entrar' }).click();
    await a.locator('#title', { hasText: '#geral' }).waitFor({ timeout: T });
    await a.locator('#room-list button.room', { hasText: '#geral' }).waitFor({ timeout: T });
  });
});
