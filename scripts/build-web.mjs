#!/usr/bin/env node
// Builds the browser client: bundles src/web/app.ts with esbuild and copies index.html, style.css and
// favicon.svg next to it, into src/web/dist/ (what `tsx` runs serve) and, when dist/ exists (after
// `tsc -p tsconfig.build.json`), into dist/web/dist/ too (what the compiled server serves).
// Usage: node scripts/build-web.mjs [--out DIR]   (a given DIR replaces both defaults)
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src', 'web');
const i = process.argv.indexOf('--out');
const outs =
  i !== -1
    ? [process.argv[i + 1]]
    : [join(src, 'dist'), ...(existsSync(join(root, 'dist')) ? [join(root, 'dist', 'web', 'dist')] : [])];

for (const out of outs) {
  mkdirSync(out, { recursive: true });
  await build({
    entryPoints: [join(src, 'app.ts')],
    outfile: join(out, 'app.js'),
    bundle: true,
    format: 'esm',
    target: ['es2022'],
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
  });
  for (const f of ['index.html', 'style.css', 'favicon.svg']) copyFileSync(join(src, f), join(out, f));
  // The page's weight, printed so that a change that makes it grow is seen (README, "The web client").
  const js = readFileSync(join(out, 'app.js'));
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  console.log(`web client built in ${out}: app.js ${kb(js.length)} (${kb(gzipSync(js).length)} gzipped)`);
}
