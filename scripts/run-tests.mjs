#!/usr/bin/env node
// Runs every test file under test/ with node:test through tsx. Node 20 does not expand globs for
// --test, so the files are listed here. Extra arguments are passed on (e.g. a file to run alone).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function find(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...find(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const args = process.argv.slice(2);
const files = args.length > 0 ? args : find('test').sort();
const setup = spawnSync('bash', ['scripts/setup-test-deps.sh'], { stdio: 'inherit' });
if (setup.status !== 0) process.exit(setup.status ?? 1);
const res = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-timeout=120000', ...files],
  { stdio: 'inherit', env: { ...process.env, LANG: 'C.UTF-8', LC_ALL: '', LC_MESSAGES: '', TOMADA_TEST: '1' } },
);
process.exit(res.status ?? 1);
