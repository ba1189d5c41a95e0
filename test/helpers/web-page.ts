import type { Locator, Page } from 'playwright-core';

/** How long a browser test waits for something to show on a page. */
export const T = 10_000;

/** Fills the login form's fields (by id) and submits it. */
export async function submitLogin(page: Page, fields: Record<string, string>): Promise<void> {
  for (const [id, value] of Object.entries(fields)) await page.fill(`#${id}`, value);
  await page.click('#login-form button[type=submit]');
}

/** Opens the web client at `url` and logs in as `nick`: online, and the room's first line shown. */
export async function login(page: Page, url: string, nick: string): Promise<void> {
  await page.goto(url);
  await submitLogin(page, { nick });
  await page.locator('#status', { hasText: nick }).waitFor({ timeout: T });
  await page.locator('#messages li.info').first().waitFor({ timeout: T });
}

/** Types `text` in the input and sends it. */
export async function say(page: Page, text: string): Promise<void> {
  await page.fill('#input', text);
  await page.press('#input', 'Enter');
}

/** Waits until a chat message containing `text` is shown. */
export async function seen(page: Page, text: string, timeout = T): Promise<void> {
  await page.locator('#messages li.msg .text', { hasText: text }).first().waitFor({ timeout });
}

/** The chat messages shown whose text contains `text`. */
export function message(page: Page, text: string): Locator {
  return page.locator('#messages li.msg', { has: page.locator('.text', { hasText: text }) });
}

/** Texts of the chat messages a page shows, in order. */
export function shownTexts(page: Page): Promise<string[]> {
  return page.locator('#messages li.msg .text').allTextContents();
}

/** Ids of the chat messages a page shows, in order. */
export function shownIds(page: Page): Promise<string[]> {
  return page.locator('#messages li.msg').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.id ?? ''));
}
