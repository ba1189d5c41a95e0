/**
 * The README's pictures of the web client: the desktop and the phone layouts, light and dark (Chromium's
 * `prefers-color-scheme`). One room with people from every door (two pages, a web client on the JSON
 * protocol, the line door, IRC): a mention highlighted, reactions, a reply quoting its message, a link,
 * someone typing, the divider before unread messages, the search box. Written to docs/ when run with UPDATE_SCREENSHOT=1 (otherwise into the
 * system's temporary folder and removed, so a test run leaves the checkout as it was); the test checks
 * that each picture shows what its caption says.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { ChatServer } from '../../src/server/chat-server.js';
import { allDoorsServer } from '../helpers/chat-server.js';
import { chromiumForTests, noChromium } from '../helpers/browser.js';
import { login, message, T } from '../helpers/web-page.js';
import { lineUser, WireClient } from '../helpers/wire.js';
import { JsonClient } from '../protocols/web/helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('README screenshots of the web client', { skip: noChromium() }, () => {
  let server: ChatServer;
  const chromium = chromiumForTests();
  let base: string;
  let dir: string;
  const closing: Array<{ close(): unknown }> = [];

  before(async () => {
    dir = process.env.UPDATE_SCREENSHOT ? join(ROOT, 'docs') : mkdtempSync(join(tmpdir(), 'tomada-shots-'));
    ({ server, base } = await allDoorsServer({ limits: { floodRate: 1000, floodBurst: 1000 } }));
  });

  after(async () => {
    for (const c of closing) await c.close();
    await server?.close();
    if (!process.env.UPDATE_SCREENSHOT) rmSync(dir, { recursive: true, force: true });
  });

  it('desktop and phone, light and dark: four doors in #geral, a mention, reactions, a reply, typing', async () => {
    // ana on a desktop in English; bia on a phone in Portuguese.
    const errors: string[] = [];
    const desk = await chromium.page({ viewport: { width: 1200, height: 720 }, locale: 'en' }, errors);
    const phone = await chromium.page(
      { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'pt-BR' },
      errors,
    );
    await login(desk, base, 'ana');
    await login(phone, base, 'bia');
    const carlos = await lineUser(server.address('line')!.port, 'carlos');
    closing.push(carlos);
    const dani = await WireClient.connect(server.address('irc')!.port);
    closing.push(dani);
    dani.send('NICK dani\r\nUSER dani 0 * :Dani\r\nJOIN #geral\r\n');
    await dani.waitFor(/JOIN :?#geral\r\n/);
    const edu = await JsonClient.chat(`ws://127.0.0.1:${server.address('http')!.port}`, 'edu');
    closing.push({ close: () => edu.close() });
    const idOf = async (from: string) =>
      (
        (await edu.next((m) => m.type === 'message' && (m.message as { from: string }).from === from)).message as {
          id: string;
        }
      ).id;

    dani.send('PRIVMSG #geral :bom dia! alguém já testou a versão nova?\r\n');
    await idOf('dani');
    carlos.send('testei no terminal do tutorial, tudo certo\n');
    const carlosId = await idOf('carlos');
    await desk.fill('#input', 'no navegador também, notas em https://example.org/notas');
    await desk.press('#input', 'Enter');
    const anaId = await idOf('ana');
    // ana looks at another room meanwhile: back in #geral, a divider marks what she has not seen.
    await desk.fill('#input', '/join #dev');
    await desk.press('#input', 'Enter');
    await desk.locator('#title', { hasText: '#dev' }).waitFor({ timeout: T });
    edu.send({ type: 'message', target: '#geral', text: 'ana, ficou ótimo! e no celular?' });
    edu.send({ type: 'react', target: '#geral', msgid: anaId, emoji: '❤' });
    edu.send({ type: 'react', target: '#geral', msgid: anaId, emoji: '★' });
    edu.send({ type: 'message', target: '#geral', text: 'até o /me funciona?', reply: carlosId });
    dani.send('PRIVMSG #geral :bia, you there?\r\n');
    await phone.fill('#input', 'aqui! pelo celular :)');
    await phone.press('#input', 'Enter');
    await message(phone, 'aqui! pelo celular').waitFor({ timeout: T });
    await desk.locator('#room-list button', { hasText: '#geral' }).locator('.unread', { hasText: '4' }).waitFor({
      timeout: T,
    });
    await desk.click('#room-list button:has-text("#geral")');
    await desk.locator('#messages .unread-divider').waitFor({ timeout: T });
    for (const p of [desk, phone]) {
      await message(p, 'aqui! pelo celular').waitFor({ timeout: T });
      await message(p, 'no navegador').locator('.reaction', { hasText: '★ 1' }).waitFor({ timeout: T });
      await message(p, 'até o /me').locator('.quote', { hasText: 'carlos: testei' }).waitFor({ timeout: T });
    }
    // Each sees the mention of their own name highlighted.
    const mentioned = async (p: Page, text: string) =>
      ((await message(p, text).getAttribute('class')) ?? '').split(' ').includes('mention');
    assert.equal(await mentioned(desk, 'ana, ficou ótimo'), true);
    assert.equal(await mentioned(phone, 'bia, you there'), true);
    assert.equal(await mentioned(desk, 'bia, you there'), false);

    for (const scheme of ['light', 'dark'] as const) {
      for (const p of [desk, phone]) await p.emulateMedia({ colorScheme: scheme });
      // Someone typing (the notice lasts 6 s unless refreshed, so it is said again for each picture).
      edu.send({ type: 'typing', target: '#geral', state: 'active' });
      await desk.locator('#typing', { hasText: 'edu is typing…' }).waitFor({ timeout: T });
      await phone.locator('#typing', { hasText: 'edu está digitando…' }).waitFor({ timeout: T });
      for (const [p, name] of [
        [desk, 'desktop'],
        [phone, 'phone'],
      ] as const) {
        const path = join(dir, `screenshot-${name}-${scheme}.png`);
        await p.screenshot({ path });
        assert.ok(statSync(path).size > 10_000, 'a real picture');
      }
    }
    // The two themes are the page's own (its colours follow the system's light or dark setting).
    const bg = () => desk.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--bg'));
    await desk.emulateMedia({ colorScheme: 'light' });
    const light = await bg();
    await desk.emulateMedia({ colorScheme: 'dark' });
    assert.notEqual(await bg(), light);
    assert.deepEqual(errors, []);
  });
});
