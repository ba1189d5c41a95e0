/**
 * The page stays small: the bundled client is under a budget (README, "The web client", says what it
 * weighs and why it grew); the build prints its size.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Bytes of minified app.js allowed; raise it only with the reason written in the README. */
const BUDGET = 48 * 1024;

describe('web client bundle', () => {
  it(`is under ${BUDGET / 1024} KB minified, and the build says how big it is`, () => {
    const out = mkdtempSync(join(tmpdir(), 'tomada-web-bundle-'));
    try {
      const r = spawnSync(process.execPath, ['scripts/build-web.mjs', '--out', out], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const size = statSync(join(out, 'app.js')).size;
      assert.match(r.stdout, /app\.js \d+\.\d KB \(\d+\.\d KB gzipped\)/);
      // (The look-alike table of nickKey, 117 KB, once came in through core/names.ts: casefold is alone now.)
      assert.ok(size < BUDGET, `app.js is ${size} bytes, over the budget of ${BUDGET}`);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
