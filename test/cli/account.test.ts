import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { run } from '../../src/cli/program.js';
import { verifyPassword } from '../../src/core/passwords.js';
import { SqliteAccountStore } from '../../src/storage/sqlite-accounts.js';

/** Runs `tomada ARGS` in this process with `input` on stdin (a terminal when `tty`). */
async function tomada(
  args: string[],
  input = '',
  opts: { tty?: boolean; env?: NodeJS.ProcessEnv } = {},
): Promise<{ code: number; stdout: string; stderr: string; raw: boolean[] }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough() as PassThrough & { isTTY?: boolean; setRawMode?: (on: boolean) => void };
  const raw: boolean[] = [];
  if (opts.tty) {
    stdin.isTTY = true;
    stdin.setRawMode = (on: boolean) => void raw.push(on);
  }
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  // A terminal sends what is typed once the prompt is there; a pipe has it all at once.
  if (opts.tty) {
    const lines = input.split(/(?<=\r)/);
    stderr.on('data', (d: Buffer) => {
      if (/: $/.test(d.toString()) && lines.length > 0) setImmediate(() => stdin.write(lines.shift()!));
    });
  } else stdin.end(input);
  const code = await run(args, { stdout, stderr, stdin, env: opts.env ?? {} });
  return { code, stdout: out, stderr: err, raw };
}

describe('tomada account', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tomada-acct-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const d = ['--data-dir', dir];

  it('add --password-stdin, then list and info; the store has the scrypt hash, never the password', async () => {
    const r = await tomada(['account', 'add', 'Ana', '--password-stdin', ...d], 's3nha-da-ana\n');
    assert.deepEqual(r, { code: 0, stdout: 'Account Ana registered.\n', stderr: '', raw: [] });
    const op = await tomada(['account', 'add', 'bia', '--oper', '--password-stdin', ...d], 'outra senha');
    assert.equal(op.code, 0);
    const list = await tomada(['account', 'list', ...d]);
    assert.match(list.stdout, /^Ana\t\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\nbia\t\S+\toper\n$/);
    const info = await tomada(['account', 'info', 'ANA', ...d]);
    assert.match(info.stdout, /^Account Ana: registered \S+; operator: no\n$/);
    const store = new SqliteAccountStore(dir);
    const a = await store.get('ana');
    store.close();
    assert.ok(a && (await verifyPassword('s3nha-da-ana', a.secrets.hash)));
    assert.ok(!JSON.stringify(a).includes('s3nha'));
  });

  it('on a terminal asks twice without echo (raw mode), and refuses two different answers', async () => {
    const r = await tomada(['account', 'add', 'caio', ...d], 'segredo1\rsegredo1\r', { tty: true });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, 'Password for caio: \nAgain: \n');
    assert.deepEqual(r.raw, [true, false, true, false]);
    const bad = await tomada(['account', 'passwd', 'caio', ...d], 'um-um-um\rdois-dois\r', { tty: true });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /tomada: error: the passwords differ\n$/);
  });

  it('passwd changes the password, del deletes; one-line errors with exit 1 or 2', async () => {
    assert.equal((await tomada(['account', 'passwd', 'ana', '--password-stdin', ...d], 'nova senha\n')).code, 0);
    const store = new SqliteAccountStore(dir);
    assert.ok(await verifyPassword('nova senha', (await store.get('ana'))!.secrets.hash));
    store.close();
    const exists = await tomada(['account', 'add', 'ANA', '--password-stdin', ...d], 'x1234');
    assert.deepEqual([exists.code, exists.stderr], [1, 'tomada: error: account ANA already exists\n']);
    const noTty = await tomada(['account', 'add', 'dora', ...d]);
    assert.deepEqual(
      [noTty.code, noTty.stderr],
      [2, 'tomada: error: no terminal to ask the password on: use --password-stdin\n'],
    );
    const short = await tomada(['account', 'add', 'dora', '--password-stdin', ...d], 'abc\n');
    assert.equal(short.code, 2);
    assert.match(short.stderr, /^tomada: error: the password is too short/);
    const badName = await tomada(['account', 'add', '#sala', '--password-stdin', ...d], 'abcdef\n');
    assert.equal(badName.code, 2);
    assert.equal((await tomada(['account', 'del', 'ana', ...d])).stdout, 'Account ana deleted.\n');
    const gone = await tomada(['account', 'del', 'ana', ...d]);
    assert.deepEqual([gone.code, gone.stderr], [1, 'tomada: error: no account ana\n']);
    const pt = await tomada(['account', 'info', 'ana', ...d], '', { env: { LANG: 'pt_BR.UTF-8' } });
    assert.deepEqual([pt.code, pt.stderr], [1, 'tomada: erro: não há conta ana\n']);
  });
});

describe('tomada chat serve: the accounts flags', () => {
  it('--nick-grace and --registration reach the configuration; bad values are usage errors', async () => {
    const { serveConfig } = await import('../../src/cli/commands/chat.js');
    const { translator } = await import('../../src/i18n/index.js');
    const ctx = { lang: 'en' as const, tr: translator('en') } as Parameters<typeof serveConfig>[1];
    const input = serveConfig({ nickGrace: '5', registration: 'closed', logLevel: 'info' }, ctx, false);
    assert.equal(input.nickGraceSecs, 5);
    assert.equal(input.registration, 'closed');
    assert.throws(() => serveConfig({ nickGrace: 'x', logLevel: 'info' }, ctx, false), { code: 'TOMADA_ERR_USAGE' });
    const bad = await tomada(['chat', 'serve', '--registration', 'maybe']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--registration/);
  });
});
