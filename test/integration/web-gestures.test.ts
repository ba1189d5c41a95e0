/**
 * Typing, reactions and replies in the web client, in Chromium (playwright-core, /usr/bin/chromium), with
 * two pages and an IRC client with message-tags: the IRC side sees the web user's `+typing`,
 * `+draft/react` and `+draft/reply`, and the pages show an IRC user's typing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { ChatServer } from '../../src/server/chat-server.js';
import { allDoorsServer } from '../helpers/chat-server.js';
import { chromiumForTests, noChromium } from '../helpers/browser.js';
import { login, message, T } from '../helpers/web-page.js';
import { RawClient } from '../protocols/irc/client.js';

describe('web client: typing, reactions, replies (shared with IRC)', { skip: noChromium() }, () => {
  let server: ChatServer;
  const chromium = chromiumForTests();
  let base: string;
  let ivo: RawClient;

  before(async () => {
    ({ server, base } = await allDoorsServer({ line: null, limits: { floodRate: 1000, floodBurst: 1000 } }));
    ivo = await RawClient.register(server.address('irc')!.port, 'ivo', ['message-tags']);
    ivo.send('JOIN #geral');
    await ivo.expect(/ 366 ivo #geral /);
  });

  after(async () => {
    ivo?.close();
    await server?.close();
  });

  it('typing shows and goes, a reaction is counted, a reply quotes its message; IRC sees the tags', async () => {
    const errors: string[] = [];
    const pages: Page[] = [];
    for (const nick of ['ana', 'bia']) {
      const p = await chromium.page({ viewport: { width: 960, height: 600 }, locale: 'pt-BR' }, errors);
      await login(p, base, nick);
      pages.push(p);
    }
    const [a, b] = pages as [Page, Page];
    await a.locator('#member-list', { hasText: 'bia' }).waitFor({ timeout: T });

    // Typing: bia sees it under the conversation, the IRC client gets +typing; clearing the input ends it.
    await a.locator('#input').pressSequentially('oi b');
    await b.locator('#typing', { hasText: 'ana está digitando…' }).waitFor({ timeout: T });
    assert.match(await ivo.expect(/TAGMSG #geral/), /^@msgid=\d+;\+typing=active :ana!web@\S+ TAGMSG #geral$/);
    await a.fill('#input', '');
    assert.match(await ivo.expect(/\+typing=done/), /TAGMSG #geral$/);
    await b.waitForFunction(() => document.getElementById('typing')!.textContent === '', undefined, {
      timeout: T,
    });
    // Only one `active` for the four keys typed (at most one every 3 s).
    assert.equal(ivo.lines.filter((l) => l.includes('+typing=active')).length, 1, ivo.lines.join('\n'));

    // An IRC user's typing shows on the pages and goes by itself after 6 s without a refresh.
    ivo.send('@+typing=active TAGMSG #geral');
    await a.locator('#typing', { hasText: 'ivo está digitando…' }).waitFor({ timeout: T });
    await a.waitForFunction(() => document.getElementById('typing')!.textContent === '', undefined, {
      timeout: 8000,
    });

    // A reaction: ana picks 👍 under bia's message, both pages count 1; bia's click on it makes 2.
    await b.fill('#input', 'pergunta');
    await b.press('#input', 'Enter');
    const q = message(a, 'pergunta');
    await q.waitFor({ timeout: T });
    const qid = (await q.getAttribute('data-id'))!;
    await q.getByRole('button', { name: 'Reagir', exact: true }).click();
    await q.getByRole('button', { name: 'Reagir com 👍' }).click();
    for (const p of [a, b])
      await message(p, 'pergunta').locator('.reaction', { hasText: '👍 1' }).waitFor({ timeout: T });
    assert.match(
      await ivo.expect(/\+draft\/react/),
      new RegExp(`^@msgid=\\d+;\\+draft/react=👍;\\+draft/reply=${qid} :ana!web@127\\.0\\.0\\.1 TAGMSG #geral$`),
    );
    await message(b, 'pergunta').locator('.reaction', { hasText: '👍 1' }).click();
    for (const p of [a, b])
      await message(p, 'pergunta').locator('.reaction', { hasText: '👍 2' }).waitFor({ timeout: T });

    // A reply: ana answers bia's message; it is quoted above the input, then above the answer, with a link.
    await q.getByRole('button', { name: 'Responder' }).click();
    await a.locator('#reply-bar', { hasText: 'Respondendo a bia: pergunta' }).waitFor({ timeout: T });
    await a.fill('#input', 'resposta');
    await a.press('#input', 'Enter');
    assert.equal(await a.locator('#reply-bar').isVisible(), false);
    const r = message(b, 'resposta');
    await r.waitFor({ timeout: T });
    const link = r.locator('.quote a');
    assert.equal(await link.textContent(), 'bia: pergunta');
    assert.equal(await link.getAttribute('href'), `#msg-${qid}`);
    assert.match(
      await ivo.expect(/:resposta$/),
      new RegExp(`^@msgid=\\d+;\\+draft/reply=${qid} :ana!web@\\S+ PRIVMSG #geral :resposta$`),
    );
    // The texts are the nodes' text, never HTML: a reaction or a quote cannot inject markup.
    assert.equal(await b.locator('#messages img, #messages script').count(), 0);
    assert.deepEqual(errors, []);
  });
});
