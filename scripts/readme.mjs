#!/usr/bin/env node
// README.md is assembled from docs/readme-parts/*.md (one part per feature, so each can be edited on its
// own). `node scripts/readme.mjs` writes it; `--check` (part of `npm run lint`) fails when it is stale.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = 'docs/readme-parts';
const parts = readdirSync(dir)
  .filter((f) => f.endsWith('.md'))
  .sort()
  .map((f) => readFileSync(join(dir, f), 'utf8').trim());
const text =
  parts.join('\n\n') +
  '\n\n<!-- README.md is generated from docs/readme-parts/ by scripts/readme.mjs: edit the parts. -->\n';

if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync('README.md', 'utf8');
  } catch {
    // missing counts as stale
  }
  if (current !== text) {
    console.error('README.md is out of date with docs/readme-parts/: run `node scripts/readme.mjs`');
    process.exit(1);
  }
} else {
  writeFileSync('README.md', text);
}
