/**
 * Display names and avatars on the web page (Chromium, playwright-core): what an IRC user sets with
 * draft/metadata-2 shows beside their nick (the nick stays), the avatar as a small image of an https
 * address that sends no referrer; `/displayname` on the page reaches IRC subscribers as METADATA.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ChatServer } from '../../src/server/chat-server.js';
import { allDoorsServer } from '../helpers/chat-server.js';
import { chromiumForTests, noChromium } from '../helpers/browser.js';
import { T } from '../helpers/web-page.js';
import { RawClient } from '../protocols/irc/client.js';

/** A 1×1 transparent PNG, served for the avatar's address (the test has no network). */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

describe('web client display names and avatars', { skip: noChromium() }, () => {
  let server: ChatServer;
  const chromium = chromiumForTests();
  const open: Array<{ close(): unknown }> = [];

  before(async () => {
    ({ server } = await allDoorsServer({ line: null }));
  });
  after(async () => {
    for (const o of open) await o.close();
    await server?.close();
  });

  it('shows the display name beside the nick and the avatar image; /displayname reaches IRC', async () => {
    const rui = new RawClient(server.address('irc')!.port);
    open.push(rui);
    await rui.ready;
    rui.send('CAP LS 302', 'CAP REQ :draft/metadata-2', 'NICK rui', 'USER rui 0 * :Rui', 'CAP END');
    await rui.expect(/ (376|422) /);
    rui.send(
      'METADATA * SET display-name :Rui Barbosa',
      'METADATA * SET avatar :https://img.test/rui.png',
      'METADATA * SUB display-name',
      'JOIN #geral',
    );
    await rui.expect(/ 366 rui #geral /);

    const errors: string[] = [];
    const page = await chromium.page({ viewport: { width: 960, height: 600 }, locale: 'pt-BR' }, errors);
    const asked: Array<{ url: string; referer: string | undefined }> = [];
    await page.route('https://img.test/**', async (route) => {
      asked.push({ url: route.request().url(), referer: route.request().headers().referer });
      await route.fulfill({ status: 200, contentType: 'image/png', body: PNG });
    });
    await page.goto(`http://127.0.0.1:${server.address('http')!.port}/`);
    await page.fill('#nick', 'lia');
    await page.click('#login-form button[type=submit]');

    // The member list: avatar, nick, display name.
    const member = page.locator('#member-list li', { hasText: 'rui' });
    await member.locator('.display-name', { hasText: 'Rui Barbosa' }).waitFor({ timeout: T });
    assert.equal(await member.locator('.nick').textContent(), '@rui'); // the first in the room: operator
    const img = member.locator('img.avatar');
    assert.deepEqual(
      await img.evaluate((i: HTMLImageElement) => [
        i.getAttribute('src'),
        i.getAttribute('referrerpolicy'),
        i.getAttribute('loading'),
        i.getAttribute('width'),
        i.getAttribute('height'),
        i.getAttribute('alt'),
      ]),
      ['https://img.test/rui.png', 'no-referrer', 'lazy', '20', '20', ''],
    );

    // A message line: the display name before the nick, which stays.
    rui.send('PRIVMSG #geral :bom dia');
    const line = page.locator('#messages li.msg', { hasText: 'bom dia' });
    await line.waitFor({ timeout: T });
    assert.equal(await line.locator('.display-name').textContent(), 'Rui Barbosa');
    assert.equal(await line.locator('.nick').textContent(), 'rui');
    assert.equal(await line.locator('img.avatar').getAttribute('src'), 'https://img.test/rui.png');
    // The image was fetched without a Referer.
    await img.evaluate((i: HTMLImageElement) => i.decode());
    assert.ok(asked.length > 0 && asked.every((a) => a.referer === undefined), JSON.stringify(asked));

    // Markup in a display name is text; an avatar that is not https is not shown.
    rui.send(
      'METADATA * SET display-name :<img src=x onerror=alert(1)>',
      'METADATA * SET avatar :http://img.test/r.png',
    );
    await member.locator('.display-name', { hasText: '<img src=x onerror=alert(1)>' }).waitFor({ timeout: T });
    await member.locator('img.avatar').waitFor({ state: 'detached', timeout: T });
    assert.equal(await page.locator('#member-list img, #messages img').count(), 0);

    // Setting one's own: IRC subscribers get METADATA, the page shows it beside our nick.
    await page.fill('#input', '/displayname Lia Souza');
    await page.press('#input', 'Enter');
    assert.match(await rui.expect(/ METADATA lia /, T), / METADATA lia display-name \* :Lia Souza$/);
    await page
      .locator('#member-list li', { hasText: 'lia' })
      .locator('.display-name', { hasText: 'Lia Souza' })
      .waitFor({ timeout: T });
    await page
      .locator('#messages li.info', { hasText: 'Seu nome de exibição agora é Lia Souza.' })
      .waitFor({ timeout: T });
    // A bad avatar is refused on the page, with the reason.
    await page.fill('#input', '/avatar javascript:alert(1)');
    await page.press('#input', 'Enter');
    await page.locator('#messages li.info.error', { hasText: 'https://' }).waitFor({ timeout: T });
    assert.deepEqual(errors, []);
  });

  it('the account menu sets them for the account: an IRC client of the same account has them', async () => {
    const watcher = new RawClient(server.address('irc')!.port);
    open.push(watcher);
    await watcher.ready;
    watcher.send('CAP LS 302', 'CAP REQ :draft/metadata-2', 'NICK vigia', 'USER vigia 0 * :V', 'CAP END');
    await watcher.expect(/ (376|422) /);
    watcher.send('METADATA * SUB display-name avatar', 'JOIN #geral');
    await watcher.expect(/ 366 vigia #geral /);

    const errors: string[] = [];
    const page = await chromium.page({ viewport: { width: 960, height: 600 }, locale: 'en' }, errors);
    await page.goto(`http://127.0.0.1:${server.address('http')!.port}/`);
    await page.fill('#account-name', 'luana');
    await page.fill('#account-password', 'senha da luana');
    await page.click('#register');
    await page.locator('#status', { hasText: 'online as luana' }).waitFor({ timeout: T });
    await page.click('#account');
    await page.fill('#display-name', 'Luana Prado');
    await page.fill('#avatar-url', 'https://img.test/luana.png');
    await page.click('#profile-form button[type=submit]');
    assert.match(await watcher.expect(/ METADATA luana display-name /, T), / :Luana Prado$/);
    assert.match(await watcher.expect(/ METADATA luana avatar /, T), / :https:\/\/img\.test\/luana\.png$/);

    // Kept for the account: an IRC connection logged in to it gets them on connection.
    const phone = new RawClient(server.address('irc')!.port);
    open.push(phone);
    await phone.ready;
    phone.send('CAP LS 302', 'CAP REQ :draft/metadata-2 batch sasl', 'NICK luana_tel', 'USER l 0 * :L');
    await phone.expect(/ CAP \* ACK /);
    phone.send('AUTHENTICATE PLAIN');
    await phone.expect(/^AUTHENTICATE \+/);
    phone.send(`AUTHENTICATE ${Buffer.from('\0luana\0senha da luana').toString('base64')}`, 'CAP END');
    const welcome = await phone.collect(/ (376|422) /, T);
    assert.ok(
      welcome.some((l) => / METADATA luana_tel display-name \* :Luana Prado$/.test(l)),
      welcome.join('\n'),
    );
    // The menu opens with the current ones.
    await page.click('#account');
    await page.click('#account');
    assert.equal(await page.inputValue('#display-name'), 'Luana Prado');
    assert.deepEqual(errors, []);
  });
});
