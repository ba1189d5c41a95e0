import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { Command } from 'commander';
import { buildProgram, run } from '../../src/cli/program.js';
import type { CliContext } from '../../src/cli/context.js';
import { catalogueEntry, catalogueKeys, translator, type Lang } from '../../src/i18n/index.js';
import { runCli } from '../helpers/cli.js';

const PT = { LANG: 'pt_BR.UTF-8' };

/** The program as it is built for one language (not run): its commands, options and texts. */
function program(lang: Lang): Command {
  const sink = new PassThrough();
  const ctx: CliContext = {
    lang,
    tr: translator(lang),
    out: () => undefined,
    err: () => undefined,
    stdout: sink,
    stderr: sink,
    stdin: new PassThrough(),
  };
  return buildProgram(ctx);
}

/** Every command's path (`[]`, `['chat']`, `['chat', 'serve']` …) with the command itself. */
function commands(cmd: Command, path: string[] = []): Array<[string[], Command]> {
  return [[path, cmd], ...cmd.commands.flatMap((c) => commands(c, [...path, c.name()]))];
}

/** Runs `tomada ARGS` in this process (the same `run` as bin/tomada), with its own output streams. */
async function tomada(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.resume();
  const code = await run(args, { stdout, stderr, stdin: new PassThrough(), env });
  return { code, stdout: out };
}

// commander's own English words: titles, the notes it appends to descriptions, the usage terms.
const COMMANDER_ENGLISH =
  /Usage:|Options:|Commands:|Arguments:|display help|output the version|\[options\]|\[command\]|\((default|choices|preset|env): |, (default|choices): /;

// The English placeholder words tomada translates (`<file>`, `[address]`): none may be left in a term.
const englishTerms = catalogueKeys()
  .filter((k) => k.startsWith('cli.term.'))
  .map((k) => catalogueEntry(k)!)
  .filter((e) => e.en !== e['pt-BR'])
  .map((e) => e.en);

describe('pt-BR throughout the command line', () => {
  const en = new Map(commands(program('en')).map(([path, cmd]) => [path.join(' '), cmd]));
  const pt = commands(program('pt-BR'));

  it('covers every command of the program (new commands are walked automatically)', () => {
    assert.ok(pt.length >= 15, `only ${pt.length} commands found`);
    assert.deepEqual(pt.map(([p]) => p.join(' ')).sort(), [...en.keys()].sort());
  });

  for (const [path, cmd] of pt) {
    const name = ['tomada', ...path].join(' ');
    it(`${name} --help has no English left with LANG=pt_BR.UTF-8`, async () => {
      const r = await tomada([...path, '--help'], PT);
      assert.equal(r.code, 0);
      assert.match(r.stdout, /^Uso: tomada/);
      assert.doesNotMatch(r.stdout, COMMANDER_ENGLISH);
      // A catalogue key that is missing shows as the key itself.
      assert.doesNotMatch(r.stdout, /\b(cli|chat|tools|bench|irc|web|config|server)\.[a-z]+\.[a-zA-Z]+/);
      for (const term of r.stdout.match(/[<[][^\s]*/g) ?? []) {
        for (const word of term.match(/[a-z]+/g) ?? [])
          assert.ok(!englishTerms.includes(word), `English placeholder "${word}" in ${term} of ${name}`);
      }
      // Every text of tomada's own differs from its English catalogue text.
      const english = en.get(path.join(' '))!;
      if (english.description()) assert.notEqual(cmd.description(), english.description(), `${name}'s description`);
      for (const option of cmd.options) {
        if (option.hidden) continue;
        const twin = english.options.find((o) => o.flags === option.flags)!;
        assert.ok(twin, `${option.flags} of ${name} missing in English`);
        assert.notEqual(option.description, twin.description, `${option.flags} of ${name} is still English`);
      }
      for (const [i, argument] of cmd.registeredArguments.entries()) {
        assert.notEqual(
          argument.description,
          english.registeredArguments[i]!.description,
          `${name} <${argument.name()}>`,
        );
      }
    });
  }

  it("commander's usage errors, in Portuguese with the flag as typed", async () => {
    const required = await runCli(['bench', 'chat'], { env: PT });
    assert.equal(required.code, 2);
    assert.equal(required.stderr, "tomada: erro: a opção '--port <porta>' é obrigatória\n");
    const choice = await runCli(['chat', 'serve', '--log-level', 'loud'], { env: PT });
    assert.equal(choice.code, 2);
    assert.match(choice.stderr, /^tomada: erro: --log-level deve ser um de fatal, .*, recebeu "loud"\n$/);
  });
});

describe('pt-BR start-up refusals of chat serve', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tomada-pt-br-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const quiet = ['--irc', 'off', '--http', 'off', '--data-dir', ':memory:'];
  const config = (name: string, value: unknown) => {
    const file = join(dir, name);
    writeFileSync(file, JSON.stringify(value));
    return file;
  };

  /** One line on stderr, exit 2, nothing started. */
  async function refused(args: string[], env: NodeJS.ProcessEnv, line: string | RegExp): Promise<void> {
    const r = await runCli(['chat', 'serve', ...args], { env });
    assert.equal(r.code, 2, r.stderr + r.stdout);
    if (typeof line === 'string') assert.equal(r.stderr, line + '\n');
    else assert.match(r.stderr, line);
    assert.equal(r.stdout, '');
  }

  it('a misspelt key in --config: the Portuguese text, the key path as written, exit 2', async () => {
    const file = config('typo.json', { limits: { maxLines: 10 } });
    await refused(
      ['--config', file, ...quiet],
      PT,
      'tomada: erro: erro de configuração: limits.maxLines: configuração desconhecida',
    );
    await refused(
      ['--config', file, ...quiet],
      {},
      'tomada: error: configuration error: limits.maxLines: unknown setting',
    );
  });

  it('a value of the wrong type, too big, or not among the choices: said in Portuguese', async () => {
    await refused(
      ['--config', config('type.json', { history: 'vinte' }), ...quiet],
      PT,
      'tomada: erro: erro de configuração: history: esperado um número, recebido "vinte"',
    );
    await refused(
      ['--config', config('big.json', { limits: { maxPerIp: 0 } }), ...quiet],
      PT,
      'tomada: erro: erro de configuração: limits.maxPerIp: deve ser no mínimo 1, recebido 0',
    );
    await refused(
      ['--config', config('lang.json', { lang: 'fr' }), ...quiet],
      PT,
      'tomada: erro: erro de configuração: lang: deve ser um de "en", "pt-BR", recebido "fr"',
    );
    await refused(
      ['--config', config('addr.json', { line: 'aqui:porta' }), ...quiet],
      PT,
      /^tomada: erro: erro de configuração: line: endereço inválido "aqui:porta": esperado \[HOST:\]PORTA/,
    );
  });

  it("tomada's own refusals (no effect, every door off, a file that cannot be read): in Portuguese", async () => {
    await refused(
      ['--line', '127.0.0.1:0', ...quiet, '--allow-origin', 'http://x'],
      PT,
      'tomada: erro: erro de configuração: allowOrigins: não tem efeito: as entradas web (http, ircWs) estão desligadas',
    );
    await refused(['--line', 'off', ...quiet], PT, /: line: todas as entradas estão desligadas: ligue pelo menos uma/);
    const missing = join(dir, 'nothing.pem');
    await refused(
      ['--line', '127.0.0.1:0', ...quiet, '--tls-cert', missing, '--tls-key', missing],
      PT,
      `tomada: erro: erro de configuração: tlsCert: não foi possível ler ${missing}: ENOENT`,
    );
  });
});
