import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

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

/** Chromium headless, as every browser test starts it. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
}
