import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/cli.js';
import { parseHostPort, parseListen } from '../../src/address.js';

describe('tomada command line', () => {
  it('shows help with exit 0', async () => {
    const r = await runCli(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Usage: tomada/);
  });

  it('shows help in Portuguese with LANG=pt_BR.UTF-8', async () => {
    const r = await runCli(['--help'], { env: { LANG: 'pt_BR.UTF-8' } });
    assert.equal(r.code, 0);
    assert.match(r.stdout, /os tutoriais de sockets/);
    assert.match(r.stdout, /^Uso: tomada/);
    assert.match(r.stdout, /\nOpções:\n/);
    assert.match(r.stdout, /-h, --help +mostra a ajuda do comando/);
    const serve = await runCli(['chat', 'serve', '--help'], { env: { LANG: 'pt_BR.UTF-8' } });
    assert.match(serve.stdout, /\(valores: "fatal",[\s\S]*padrão:\s+"info"\)/);
  });

  it("says commander's usage errors in the person's language, exit 2", async () => {
    const pt = { env: { LANG: 'pt_BR.UTF-8' } };
    const unknown = await runCli(['chat', 'serve', '--frobnicate'], pt);
    assert.equal(unknown.code, 2);
    assert.equal(unknown.stderr, "tomada: erro: opção desconhecida '--frobnicate' (--help lista as opções)\n");
    const typo = await runCli(['hello', 'servx'], pt);
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /comando desconhecido 'servx'.*\(você quis dizer serve\?\)/);
    const missing = await runCli(['chat', 'serve', '--line']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^tomada: error: option '--line <\[host:\]port\|off>' needs a value\n$/);
  });

  it('exits 2 on an unknown command or a bad --lang', async () => {
    const r = await runCli(['nope']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown command/);
    const r2 = await runCli(['--lang', 'xx', '--help']);
    assert.equal(r2.code, 2);
    assert.match(r2.stderr, /unknown language "xx"/);
  });
});

describe('address parsing', () => {
  const d = { host: 'localhost', port: 5000 };
  it('reads [HOST:]PORT forms', () => {
    assert.deepEqual(parseHostPort('6000', d), { host: 'localhost', port: 6000 });
    assert.deepEqual(parseHostPort('example.org:6000', d), { host: 'example.org', port: 6000 });
    assert.deepEqual(parseHostPort('example.org', d), { host: 'example.org', port: 5000 });
    assert.deepEqual(parseHostPort('[::1]:7', d), { host: '::1', port: 7 });
    assert.deepEqual(parseHostPort('::1', d), { host: '::1', port: 5000 });
    assert.equal(parseListen('off', d), null);
  });
  it('rejects bad ports', () => {
    assert.throws(() => parseHostPort('h:99999', d), /TOMADA_ERR_USAGE|cli.usage.badPort/);
    assert.throws(() => parseHostPort('h:x', d));
  });
});
