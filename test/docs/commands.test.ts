import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { run } from '../../src/cli/program.js';

// "Every command shown still runs as shown": each `tomada …` line in a code block of the README and of
// docs/*.md names a command that exists, and every flag on it is one that command takes.
const ROOT = new URL('../../', import.meta.url);
const pages = [
  'README.md',
  ...readdirSync(new URL('docs/', ROOT))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const GLOBAL = new Set(['--help', '-h', '--lang', '--version', '-V']);

interface Shown {
  page: string;
  line: string;
  path: string[];
  flags: string[];
}

function shownCommands(): Shown[] {
  const out: Shown[] = [];
  for (const page of pages) {
    let inBlock = false;
    for (const raw of readFileSync(new URL(page, ROOT), 'utf8').split('\n')) {
      if (raw.startsWith('```')) {
        inBlock = !inBlock;
        continue;
      }
      if (!inBlock) continue;
      const m = /^(?:\$\s+)?(?:time\s+)?(?:npx\s+)?tomada\s+(.*)$/.exec(raw.trim());
      if (!m) continue;
      // Only the tomada part of a shell line (pipes, redirections, comments and what follows are not).
      const cmd = m[1]!.split(/\s\||\s&&|;|\s#|\s2?>/)[0]!.replace(/\s+&$/, '');
      const words = cmd.split(/\s+/).filter(Boolean);
      const path: string[] = [];
      for (const w of words) {
        if (!/^[a-z][a-z-]*$/.test(w) || path.length === 2) break;
        path.push(w);
      }
      const flags = words.filter((w) => w.startsWith('-')).map((w) => w.split('=')[0]!);
      out.push({ page, line: raw.trim(), path, flags });
    }
  }
  return out;
}

async function help(path: string[]): Promise<{ code: number; text: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let text = '';
  stdout.on('data', (d: Buffer) => (text += d.toString()));
  stderr.on('data', (d: Buffer) => (text += d.toString()));
  const code = await run([...path, '--help'], { stdout, stderr, stdin: new PassThrough(), env: { LANG: 'C' } });
  return { code, text };
}

describe('the commands the README and docs/ show', () => {
  const shown = shownCommands();

  it('finds them (the README shows the main commands)', () => {
    assert.ok(shown.length >= 20, `only ${shown.length} commands found`);
    for (const want of ['chat serve', 'chat connect', 'hello serve', 'echo serve', 'bench chat']) {
      assert.ok(
        shown.some((s) => s.path.join(' ') === want),
        want,
      );
    }
  });

  it('each exists, and each flag shown is one it takes', async () => {
    const helps = new Map<string, { code: number; text: string }>();
    const problems: string[] = [];
    for (const s of shown) {
      const key = s.path.join(' ');
      if (!helps.has(key)) helps.set(key, await help(s.path));
      const h = helps.get(key)!;
      if (h.code !== 0) {
        problems.push(`${s.page}: \`${s.line}\`: no such command (${h.text.trim()})`);
        continue;
      }
      for (const flag of s.flags) {
        if (GLOBAL.has(flag)) continue;
        if (!new RegExp(`(^|[\\s,])${flag.replace(/[-]/g, '\\-')}(\\s|,|$|\\[|<)`, 'm').test(h.text))
          problems.push(`${s.page}: \`${s.line}\`: ${key} has no ${flag}`);
      }
    }
    assert.deepEqual(problems, []);
  });
});
