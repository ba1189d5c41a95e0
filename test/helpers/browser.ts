import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

/** Debian's Chromium, which the browser tests drive through playwright-core. */
export const CHROMIUM = '/usr/bin/chromium';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The reason to skip a browser test on this machine, or false. */
export function noChromium(): string | false {
  return existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed`;
}

/** Builds the web client into src/web/dist (what a server run by tsx serves). */
export function buildWebClient(): void {
  const built = spawnSync(process.execPath, ['scripts/build-web.mjs', '--out', 'src/web/dist'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  assert.equal(built.status, 0, built.stderr);
}

/**
 * Chromium headless, as every browser test starts it (playwright-core gives it a profile directory of
 * its own in the system's temporary folder, and removes it when the browser is closed).
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
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
}

/** The Chromium of a test suite's browser tests (see `chromiumForTests`). */
export interface TestChromium {
  /**
   * A new page in a browser context of its own, whose uncaught errors are pushed to `errors` (a test
   * asserts it stays empty). The context closes with the browser, or earlier with `page.context().close()`.
   */
  page(options?: BrowserContextOptions, errors?: string[]): Promise<Page>;
}

/**
 * Chromium for the tests of the `describe` block it is called in: before them the web client is built
 * (src/web/dist) and Chromium launched; after them the browser is closed. Call it before the block's
 * own `before` and `after` (hooks run in the order they are added): the client is built before the
 * block starts its server, and the pages are gone before the server stops. Skip the block with
 * `{ skip: noChromium() }`.
 */
export function chromiumForTests(): TestChromium {
  let launched: Browser | undefined;
  before(async () => {
    buildWebClient();
    launched = await launchChromium();
  });
  after(async () => {
    await launched?.close();
  });
  return {
    async page(options = {}, errors = []) {
      assert.ok(launched, 'Chromium is launched by the before hook of chromiumForTests()');
      const context = await launched.newContext(options);
      const page = await context.newPage();
      page.on('pageerror', (e) => errors.push(e.message));
      return page;
    },
  };
}
