/**
 * IRCv3 features the web page shows (Chromium, playwright-core): read markers (the divider goes where the
 * account stopped reading, on any device, and reading on the page moves the marker, which an IRC client of
 * the same account is told of: draft/read-marker), and a room renamed from IRC (draft/channel-rename).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MemoryAccountStore } from '../../src/core/account-store.js';
import { hashPassword } from '../../src/core/passwords.js';
import type { ChatServer } from '../../src/server/chat-server.js';
import { allDoorsServer } from '../helpers/chat-server.js';
import { chromiumForTests, noChromium } from '../helpers/browser.js';
import { T } from '../helpers/web-page.js';
import { lineUser, type WireClient } from '../helpers/wire.js';
import { anaPhone } from '../helpers/irc-account.js';
import { RawClient } from '../protocols/irc/client.js';

describe('web client read markers and renamed rooms', { skip: noChromium() }, () => {
  let server: ChatServer;
  const chromium = chromiumForTests();
  const open: Array<{ close(): unknown }> = [];

  before(async () => {
    const store = new MemoryAccountStore();
    await store.create('ana', await hashPassword('s3nha-de-ana'));
    ({ server } = await allDoorsServer({}, { accountStore: store }));
  });
  after(async () => {
    for (const o of open) await o.close();
    await server?.close();
  });

  it('the divider after the marker kept for the account; reading moves it, IRC is told', async () => {
    const bia: WireClient = await lineUser(server.address('line')!.port, 'bia');
    open.push(bia);
    const phone = await anaPhone(server.address('irc')!.port, open);
    phone.send('JOIN #geral');
    await phone.expect(/ 366 ana_irc #geral /);
    bia.send('lido no telefone\n');
    await phone.expect(/ PRIVMSG #geral :lido no telefone$/);
    const [read] = await server.hub.roomHistory('#geral', { limit: 1 });
    phone.send(`MARKREAD #geral timestamp=${new Date(read!.time).toISOString()}`);
    await phone.expect(/ MARKREAD #geral /);
    // Markers are times (milliseconds): the next message must not share the marked one's.
    while (Date.now() <= read!.time) await new Promise((r) => setImmediate(r));
    bia.send('ainda não lido\n');
    await phone.expect(/ PRIVMSG #geral :ainda não lido$/);
    const [unread] = await server.hub.roomHistory('#geral', { limit: 1 });
    assert.equal(unread?.text, 'ainda não lido');

    const errors: string[] = [];
    const page = await chromium.page({ viewport: { width: 960, height: 600 }, locale: 'pt-BR' }, errors);
    await page.goto(`http://127.0.0.1:${server.address('http')!.port}/`);
    await page.fill('#nick', 'ana');
    await page.evaluate(() => {
      (document.getElementById('password') as HTMLInputElement).value = 's3nha-de-ana';
    });
    await page.click('#login-form button[type=submit]');
    await page.locator('#messages li.msg .text', { hasText: 'ainda não lido' }).waitFor({ timeout: T });
    // The divider sits right before the first message after the marker.
    const next = page.locator('#messages li.unread-divider + li.msg .text');
    assert.equal(await next.textContent({ timeout: T }), 'ainda não lido');
    // The page shows the room to its end: the marker moves to the last message, and the phone hears it.
    assert.equal(
      await phone.expect(/ MARKREAD #geral timestamp=/, T),
      `:tomada.local MARKREAD #geral timestamp=${new Date(unread.time).toISOString()}`,
    );
    assert.deepEqual(errors, []);
  });

  it('a room renamed on IRC: the tab takes the new name, says who did it, and talks to the new name', async () => {
    const ana = new RawClient(server.address('irc')!.port);
    open.push(ana);
    await ana.ready;
    ana.send('NICK dona', 'USER dona 0 * :Dona', 'JOIN #velha');
    await ana.expect(/ 366 dona #velha /);
    const errors: string[] = [];
    const page = await chromium.page({ viewport: { width: 960, height: 600 }, locale: 'pt-BR' }, errors);
    await page.goto(`http://127.0.0.1:${server.address('http')!.port}/`);
    await page.fill('#nick', 'leitora');
    await page.click('#login-form button[type=submit]');
    await page.locator('#room-list button', { hasText: '#geral' }).waitFor({ timeout: T });
    await page.fill('#input', '/join #velha');
    await page.press('#input', 'Enter');
    await ana.expect(/:leitora!\S+ JOIN #velha/);
    await page.locator('#room-list button[aria-current=true]', { hasText: '#velha' }).waitFor({ timeout: T });
    ana.send('RENAME #velha #nova :arrumando');
    await page.locator('#messages li.info', { hasText: 'dona renomeou #velha para #nova' }).waitFor({ timeout: T });
    await page.locator('#room-list button[aria-current=true]', { hasText: '#nova' }).waitFor({ timeout: T });
    assert.equal(await page.locator('#room-list button', { hasText: '#velha' }).count(), 0);
    await page.fill('#input', 'oi na sala nova');
    await page.press('#input', 'Enter');
    assert.match(await ana.expect(/ PRIVMSG /, T), /^:leitora!\S+ PRIVMSG #nova :oi na sala nova$/);
    assert.deepEqual(errors, []);
  });
});
