/** Every nick colour of each theme reads at 4.5:1 or better (WCAG AA) on that theme's backgrounds. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { NICK_COLOURS } from '../../src/web/palette.js';
import { contrast, paletteOf, variable } from './palette.js';

const css = readFileSync(new URL('../../src/web/style.css', import.meta.url), 'utf8');

describe('nick palette', () => {
  for (const scheme of ['light', 'dark'] as const) {
    it(`${scheme}: ${NICK_COLOURS} colours, each ≥ 4.5:1 on the page and on the side panels`, () => {
      const palette = paletteOf(css, scheme);
      assert.equal(palette.length, NICK_COLOURS);
      for (const bg of ['bg', 'panel', 'mention']) {
        const back = variable(css, scheme, bg);
        palette.forEach((c, i) => {
          const ratio = contrast(c, back);
          assert.ok(ratio >= 4.5, `${scheme} --nick-${i} on --${bg}: ${ratio.toFixed(2)}`);
        });
      }
    });
  }

  for (const scheme of ['light', 'dark'] as const) {
    it(`${scheme}: the connection banner and a pending or failed message read at 4.5:1 or better`, () => {
      const pairs: Array<[string, string]> = [
        ['fg', 'warn-bg'],
        ['muted', 'bg'],
        ['error', 'bg'],
      ];
      for (const [fg, bg] of pairs) {
        const ratio = contrast(variable(css, scheme, fg), variable(css, scheme, bg));
        assert.ok(ratio >= 4.5, `${scheme} --${fg} on --${bg}: ${ratio.toFixed(2)}`);
      }
    });
  }
});
