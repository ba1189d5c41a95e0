/**
 * Nothing a person types is lost, in Chromium (playwright-core, /usr/bin/chromium) against a real
 * `tomada chat serve` process: the server stopped (SIGTERM, then SIGKILL) and started again on the same
 * port and data directory while the page is open. A message typed meanwhile shows as pending and is
 * sent once when the page is back; the banner says what is going on (reconnecting in N s, offline);
 * messages others sent while the page was away fill the gap once; a message whose answer was lost is
 * resent with its idempotency key and stored and relayed once; a refused one is marked failed and retried.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext } from 'playwright-core';
import { chromiumForTests, noChromium } from '../helpers/browser.js';
import { say, seen, shownIds, shownTexts, T } from '../helpers/web-page.js';
import { CliProcess, ensureStopped } from '../helpers/cli.js';
import { JsonClient, type Json } from '../protocols/web/helpers.js';

/** Back-off and a process start (tsx) together: longer than one page wait. */
const RETURN = 30_000;

const textOf = (m: Json) => (m.message as { text: string }).text;
const messagesOf = (c: JsonClient, text: string) =>
  c.received.filter((m) => m.type === 'message' && textOf(m) === text).length;

describe('web client: nothing typed is lost', { skip: noChromium() }, () => {
  const chromium = chromiumForTests();
  let ctx: BrowserContext;
  let server: CliProcess | undefined;
  let port = 0;
  const dataDir = mkdtempSync(join(tmpdir(), 'tomada-web-offline-'));
  const clients: JsonClient[] = [];

  /** Starts `tomada chat serve` with the web door only (on `port`, 0 the first time) and the data dir. */
  async function start(): Promise<void> {
    server = new CliProcess([
      'chat',
      'serve',
      '--line',
      'off',
      '--irc',
      'off',
      '--http',
      `127.0.0.1:${port}`,
      '--data-dir',
      dataDir,
      '--flood-rate',
      '1000',
      '--flood-burst',
      '1000',
    ]);
    const m = await server.waitFor(/http door listening on [\d.]+:(\d+)/);
    port = Number(m[1]);
  }
  async function stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
    server!.child.kill(signal);
    await server!.exited;
  }
  async function chat(nick: string): Promise<JsonClient> {
    const c = await JsonClient.chat(`ws://127.0.0.1:${port}`, nick);
    clients.push(c);
    return c;
  }

  before(async () => {
    await start();
  });

  after(async () => {
    for (const c of clients) await c.close();
    await ensureStopped(server);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('the server restarted twice: pending, sent once on return, the gap filled, the banner saying what happens', async () => {
    const errors: string[] = [];
    const a = await chromium.page({ viewport: { width: 960, height: 540 }, locale: 'en-US' }, errors);
    ctx = a.context();
    await a.goto(`http://127.0.0.1:${port}/`);
    await a.fill('#nick', 'ana');
    await a.click('#login-form button[type=submit]');
    await a.locator('#status', { hasText: 'online as ana' }).waitFor({ timeout: T });
    const banner = a.locator('#conn');
    assert.equal(await banner.isVisible(), false, 'no banner while connected');
    await say(a, 'antes da queda');
    await seen(a, 'antes da queda', RETURN);

    // 1. A graceful stop (SIGTERM: the server says bye). The page says it will reconnect, and when.
    await stop('SIGTERM');
    await banner
      .locator('#conn-text', { hasText: /^Connection lost\. Reconnecting in \d+ s…$/ })
      .waitFor({ timeout: T });
    assert.equal(await banner.getByRole('button', { name: 'Reconnect now' }).isVisible(), true);
    await say(a, 'escrito com o servidor fora');
    const pending = a.locator('#messages li.outgoing.pending', { hasText: 'escrito com o servidor fora' });
    await pending.waitFor({ timeout: T });
    assert.equal(await pending.locator('.out-status').textContent(), 'waiting for the connection');
    assert.equal(await a.inputValue('#input'), '', 'the input is free for the next message');
    await banner.locator('#conn-text', { hasText: 'Waiting to be sent: 1.' }).waitFor({ timeout: T });
    // Back on the same port, with the same data: the page comes back by itself and sends what waited.
    await start();
    await seen(a, 'escrito com o servidor fora', RETURN);
    await pending.waitFor({ state: 'detached', timeout: T });
    await banner.waitFor({ state: 'hidden', timeout: T });
    await a.locator('#status', { hasText: 'online as ana' }).waitFor({ timeout: T });
    assert.deepEqual(await shownTexts(a), ['antes da queda', 'escrito com o servidor fora']);
    // Stored once: someone joining now sees it once in the room's history.
    const bia = await chat('bia');
    const history = await roomHistory(bia);
    assert.deepEqual(history, ['ana: antes da queda', 'ana: escrito com o servidor fora']);

    // 2. The network goes (the browser says so), then the server dies (SIGKILL); the page waits for the
    // network instead of retrying, and says so.
    await ctx.setOffline(true);
    await stop('SIGKILL');
    await banner
      .locator('#conn-text', {
        hasText: 'You are offline. What you write is kept and sent when the network is back.',
      })
      .waitFor({ timeout: T });
    await say(a, 'escrito offline');
    await a.locator('#messages li.outgoing.pending', { hasText: 'escrito offline' }).waitFor({ timeout: T });
    // The server comes back and others talk while the page is still away.
    await start();
    const caio = await chat('caio');
    caio.send({ type: 'message', target: '#geral', text: 'enquanto ana estava fora', ref: 'c' });
    await caio.next((m) => m.type === 'message' && m.ref === 'c');
    await ctx.setOffline(false);
    // Back: the gap first, then what waited, each once; caio gets ana's message once.
    await seen(a, 'escrito offline', RETURN);
    await caio.next((m) => m.type === 'message' && textOf(m) === 'escrito offline', T);
    await say(a, 'depois');
    await caio.next((m) => m.type === 'message' && textOf(m) === 'depois', T);
    assert.equal(messagesOf(caio, 'escrito offline'), 0, 'no second copy came before "depois"');
    await seen(a, 'depois', RETURN);
    assert.deepEqual(await shownTexts(a), [
      'antes da queda',
      'escrito com o servidor fora',
      'enquanto ana estava fora',
      'escrito offline',
      'depois',
    ]);
    const ids = await shownIds(a);
    assert.equal(new Set(ids).size, ids.length, `duplicate ids: ${ids.join(',')}`);
    assert.deepEqual(
      [...ids].sort((x, y) => Number(x) - Number(y)),
      ids,
    );
    assert.equal(await a.locator('#messages li.outgoing').count(), 0);
    assert.deepEqual(errors, []);
  });

  it('a message whose answer was lost with the connection is resent with its key: stored and relayed once', async () => {
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // Between the page and the server: the first answer to a message of ours is lost, and the socket with it.
    let dropped = false;
    await page.routeWebSocket(/\/ws$/, (ws) => {
      const upstream = ws.connectToServer();
      upstream.onMessage((data) => {
        const m = JSON.parse(String(data)) as Json;
        if (!dropped && m.type === 'message' && textOf(m) === 'a resposta se perdeu') {
          dropped = true;
          void ws.close({ code: 4000, reason: 'lost' });
          upstream.close();
          return;
        }
        ws.send(data);
      });
    });
    const dani = await chat('dani');
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.fill('#nick', 'eli');
    await page.click('#login-form button[type=submit]');
    await page.locator('#status', { hasText: 'online as eli' }).waitFor({ timeout: T });
    await say(page, 'a resposta se perdeu');
    // dani got it at once; the page never heard back and shows it pending until it is back.
    await dani.next((m) => m.type === 'message' && textOf(m) === 'a resposta se perdeu', T);
    await page.locator('#conn-text', { hasText: 'Reconnecting in' }).waitFor({ timeout: T });
    assert.equal(await page.locator('#messages li.outgoing.pending', { hasText: 'a resposta se perdeu' }).count(), 1);
    await page.getByRole('button', { name: 'Reconnect now' }).click();
    await seen(page, 'a resposta se perdeu', RETURN);
    await page.locator('#messages li.outgoing').waitFor({ state: 'detached', timeout: T });
    await say(page, 'e outra');
    await dani.next((m) => m.type === 'message' && textOf(m) === 'e outra', T);
    assert.equal(messagesOf(dani, 'a resposta se perdeu'), 0, 'dani got no second copy');
    assert.equal((await shownTexts(page)).filter((t) => t === 'a resposta se perdeu').length, 1, 'shown once');
    const history = await roomHistory(await chat('fred'));
    assert.equal(history.filter((h) => h === 'eli: a resposta se perdeu').length, 1, 'stored once');
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('a message the server refuses is marked failed with the reason; Retry sends it', async () => {
    const page = await ctx.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.fill('#nick', 'gil');
    await page.click('#login-form button[type=submit]');
    await page.locator('#status', { hasText: 'online as gil' }).waitFor({ timeout: T });
    await say(page, '/msg hugo chegou?');
    const failed = page.locator('#messages li.outgoing.failed', { hasText: 'chegou?' });
    await failed.locator('.out-status', { hasText: 'not sent: There is no user hugo.' }).waitFor({ timeout: T });
    assert.equal(await failed.locator('.nick').textContent(), 'gil → hugo');
    const hugo = await chat('hugo');
    await failed.getByRole('button', { name: 'Retry' }).click();
    const got = await hugo.next((m) => m.type === 'message' && textOf(m) === 'chegou?', T);
    assert.equal((got.message as { private: boolean }).private, true);
    await failed.waitFor({ state: 'detached', timeout: T });
    await page.locator('#messages li.info', { hasText: 'To hugo: chegou?' }).waitFor({ timeout: T });
    assert.equal(await page.locator('#title').textContent(), '#geral', '/msg stays in the room');
    await page.close();
  });

  it('the login form says when the server cannot be reached, and lets the person in once it is back', async () => {
    const page = await ctx.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    await stop('SIGTERM');
    await page.fill('#nick', 'ivo');
    await page.click('#login-form button[type=submit]');
    await page.locator('#login-error', { hasText: 'The server cannot be reached.' }).waitFor({ timeout: T });
    await start();
    await page.click('#login-form button[type=submit]');
    await page.locator('#status', { hasText: 'online as ivo' }).waitFor({ timeout: T });
    await page.close();
  });
});

/** What a client that just joined #geral got as its history, as `from: text`. */
async function roomHistory(c: JsonClient): Promise<string[]> {
  c.send({ type: 'history', room: '#geral', limit: 200, ref: 'h' });
  const h = await c.next((m) => m.type === 'history' && m.ref === 'h');
  return (h.messages as Array<{ from: string; text: string }>).map((m) => `${m.from}: ${m.text}`);
}
