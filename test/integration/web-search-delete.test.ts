/**
 * Search and deletion in the web client, in Chromium (playwright-core, /usr/bin/chromium): a search
 * result opens far back in a room's history, in its context, with nothing missing up to the present;
 * a message deleted by its sender goes from every page (and from history), with a line saying so.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ChatServer } from '../../src/server/chat-server.js';
import { allDoorsServer } from '../helpers/chat-server.js';
import { chromiumForTests, noChromium } from '../helpers/browser.js';
import { login, message, T } from '../helpers/web-page.js';
import { RawClient } from '../protocols/irc/client.js';

describe('web client: search and deletion', { skip: noChromium() }, () => {
  let server: ChatServer;
  const chromium = chromiumForTests();
  let base: string;
  let ivo: RawClient;

  before(async () => {
    ({ server, base } = await allDoorsServer({
      line: null,
      history: 10,
      limits: { floodRate: 1000, floodBurst: 1000 },
    }));
    // ivo makes #geral (its operator) and says 120 things; the 40th is the one searched for.
    ivo = await RawClient.register(server.address('irc')!.port, 'ivo', ['echo-message']);
    ivo.send('JOIN #geral');
    await ivo.expect(/ 366 ivo #geral /);
    for (let i = 1; i <= 120; i++) ivo.send(`PRIVMSG #geral :${i === 40 ? 'a agulha no palheiro' : `palha ${i}`}`);
    await ivo.expect(/:palha 120$/);
  });

  after(async () => {
    ivo?.close();
    await server?.close();
  });

  const open = async (nick: string, errors: string[]) => {
    const p = await chromium.page({ viewport: { width: 960, height: 600 }, locale: 'pt-BR' }, errors);
    await login(p, base, nick);
    return p;
  };

  it('a search result far back opens in its context, in view, and the room is whole up to the present', async () => {
    const errors: string[] = [];
    const a = await open('ana', errors);
    await message(a, 'palha 120').waitFor({ timeout: T });
    assert.equal(await message(a, 'agulha').count(), 0, 'not loaded on joining (the last 10 only)');
    await a.fill('#search-input', 'AGULHA');
    await a.press('#search-input', 'Enter');
    const hit = a.locator('#search-results button.hit', { hasText: 'a agulha no palheiro' });
    await hit.waitFor({ timeout: T });
    assert.match((await hit.locator('.where').textContent())!, /^#geral · .* · ivo$/);
    await hit.click();
    const li = message(a, 'agulha');
    await li.waitFor({ timeout: T });
    await message(a, 'palha 120').waitFor({ state: 'attached', timeout: T });
    // From the context before it (25 of them) to the present: every message once, in order.
    await a.waitForFunction(() => document.querySelectorAll('#messages li.msg').length === 106, undefined, {
      timeout: T,
    });
    const texts = await a.locator('#messages li.msg .text').allTextContents();
    assert.equal(texts[0], 'palha 15');
    assert.equal(texts.at(-1), 'palha 120');
    assert.equal(new Set(texts).size, texts.length);
    const inView = await li.evaluate((node) => {
      const r = node.getBoundingClientRect();
      const box = document.getElementById('messages')!.getBoundingClientRect();
      return r.top >= box.top && r.bottom <= box.bottom;
    });
    assert.ok(inView, 'the result is shown, not the bottom of the room');
    await a.fill('#search-input', 'inexistente');
    await a.press('#search-input', 'Enter');
    await a
      .locator('#search-results', { hasText: 'Nenhuma mensagem encontrada para "inexistente"' })
      .waitFor({ timeout: T });
    // `/search` in the input is the same search.
    await a.fill('#input', '/search "palha 120"');
    await a.press('#input', 'Enter');
    await a.locator('#search-results', { hasText: '1 encontrada(s)' }).waitFor({ timeout: T });
    assert.deepEqual(await a.locator('#search-results button.hit .hit-text').allTextContents(), ['palha 120']);
    assert.deepEqual(errors, []);
    await a.context().close();
  });

  it('the sender deletes a message (asked twice): gone from both pages and from history; others have no button', async () => {
    const errors: string[] = [];
    const a = await open('caio', errors);
    const b = await open('dani', errors);
    await b.fill('#input', 'isto vai sumir');
    await b.press('#input', 'Enter');
    await message(a, 'isto vai sumir').waitFor({ timeout: T });
    // A line that is not a message, shown after the one to be deleted: it stays.
    ivo.send('TOPIC #geral :tema novo');
    await a.locator('#messages li.info', { hasText: 'tema novo' }).waitFor({ timeout: T });
    await b.fill('#input', 'isto fica');
    await b.press('#input', 'Enter');
    const gone = message(a, 'isto vai sumir');
    await gone.waitFor({ timeout: T });
    await message(a, 'isto fica').waitFor({ timeout: T });
    assert.equal(await gone.getByRole('button', { name: 'Apagar' }).count(), 0, "not caio's to delete");
    const mine = message(b, 'isto vai sumir');
    await mine.getByRole('button', { name: 'Apagar' }).click();
    assert.equal(await mine.count(), 1, 'a first click only asks');
    await mine.getByRole('button', { name: 'Apagar?' }).click();
    for (const p of [a, b]) {
      await message(p, 'isto vai sumir').waitFor({ state: 'detached', timeout: T });
      await p.locator('#messages li.info', { hasText: 'dani apagou uma mensagem' }).waitFor({ timeout: T });
      assert.equal(await p.locator('#messages li.info', { hasText: 'tema novo' }).count(), 1);
      assert.equal(await message(p, 'isto fica').count(), 1);
    }
    const page = await server.hub.historyPage('#geral', { limit: 5 });
    assert.ok(!page.messages.some((m) => m.text === 'isto vai sumir'));
    // A reload shows what is kept, without it.
    await a.reload();
    await message(a, 'isto fica').waitFor({ timeout: T });
    assert.equal(await message(a, 'isto vai sumir').count(), 0);
    assert.deepEqual(errors, []);
  });

  it('a reaction is kept: shown again after a reload, and to someone who joins later', async () => {
    const errors: string[] = [];
    const a = await open('eli', errors);
    await a.fill('#input', 'reaja aqui');
    await a.press('#input', 'Enter');
    const m = message(a, 'reaja aqui');
    await m.waitFor({ timeout: T });
    await m.getByRole('button', { name: 'Reagir', exact: true }).click();
    await m.getByRole('button', { name: 'Reagir com 👍' }).click();
    await m.locator('.reaction', { hasText: '👍 1' }).waitFor({ timeout: T });
    await a.reload();
    await message(a, 'reaja aqui').locator('.reaction', { hasText: '👍 1' }).waitFor({ timeout: T });
    const b = await open('fabi', errors);
    const seen = message(b, 'reaja aqui');
    await seen.locator('.reaction', { hasText: '👍 1' }).waitFor({ timeout: T });
    assert.match((await seen.locator('.reaction').getAttribute('title'))!, /eli/);
    assert.deepEqual(errors, []);
  });
});
