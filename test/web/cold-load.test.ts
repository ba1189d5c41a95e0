/**
 * The build prints the page's weight and its time to first message on a cold load
 * (`scripts/web-cold-load.mjs`, run by `npm run build`): one line of a fixed form, and without Chromium
 * the size with the timing said to be skipped (a fresh machine's build must not fail).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { before, describe, it } from 'node:test';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const SIZE = String.raw`web client: app\.js \d+\.\d KB \(\d+\.\d KB gzipped\)`;

/** Runs the script against the server in src/ (tsx), as `npm run build` runs it against dist/. */
function coldLoad(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'scripts/web-cold-load.mjs', '--from-source', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 90_000,
  });
}

describe('time to first message on a cold load, printed by the build', () => {
  before(() => {
    const built = spawnSync(process.execPath, ['scripts/build-web.mjs', '--out', 'src/web/dist'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    assert.equal(built.status, 0, built.stderr);
  });

  it(
    'prints the size and the time, in ms, until a line said on the line door is shown',
    {
      skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed`,
    },
    () => {
      const r = coldLoad('--chromium', CHROMIUM);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`^${SIZE}; first message on a cold load in \\d+ ms\\n$`));
      const ms = Number(/in (\d+) ms/.exec(r.stdout)![1]);
      assert.ok(ms > 0 && ms < 30_000, `${ms} ms`);
    },
  );

  it('without Chromium, prints the size and says the timing was skipped, and succeeds', () => {
    const r = coldLoad('--chromium', '/nonexistent/chromium');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^${SIZE}; timing skipped: /nonexistent/chromium is not installed\\n$`));
  });
});
