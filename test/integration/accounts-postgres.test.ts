/**
 * Accounts in PostgreSQL end to end: `tomada account … --store URL` and `tomada chat serve --store URL`
 * share them (the CLI's account logs in on the server; one registered on the web is listed by the CLI),
 * and the web door's sign-ins live there too, so a second node (or a restart) knows the cookie.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { CliProcess, ensureStopped, runCli, serveArgs } from '../helpers/cli.js';
import { WireClient } from '../helpers/wire.js';
import { api } from '../protocols/web/sign-in-helpers.js';
import { JsonClient } from '../protocols/web/helpers.js';
import { PostgresServer } from '../storage/postgres.js';

const pgServer = new PostgresServer();
const procs: CliProcess[] = [];
const clients: WireClient[] = [];
before(() => pgServer.start());
after(async () => {
  for (const c of clients) c.close();
  for (const p of procs) await ensureStopped(p);
  await pgServer.dispose();
});

async function serve(url: string): Promise<{ line: number; http: number }> {
  const proc = new CliProcess(serveArgs({ line: true, http: true }, '--store', url));
  procs.push(proc);
  const line = Number((await proc.waitFor(/line door listening on [\d.]+:(\d+)/))[1]);
  const http = Number((await proc.waitFor(/http door listening on [\d.]+:(\d+)/))[1]);
  return { line, http };
}

describe('accounts in PostgreSQL (--store)', () => {
  it('the CLI and two servers share the accounts and the web sign-ins', async () => {
    const url = await pgServer.createDatabase('segredo-do-banco');
    const add = await runCli(['account', 'add', 'Ana', '--password-stdin', '--store', url], {
      input: 'senha da ana\n',
    });
    assert.equal(add.code, 0, add.stderr);
    assert.equal(add.stdout, 'Account Ana registered.\n');

    const one = await serve(url);
    // The CLI's account logs in on the line door.
    const ana = await WireClient.connect(one.line);
    clients.push(ana);
    await ana.waitFor('APELIDO');
    ana.send('ana\n');
    await ana.waitFor(/The nickname ana is registered/);
    ana.send('/login senha da ana\n');
    await ana.waitFor('* You are logged in as Ana.\n');
    // A room registered on it is kept in PostgreSQL too (beside the accounts).
    ana.send('/register #geral\n');
    await ana.waitFor(/#geral is now registered to Ana/);

    // One registered on the web is in PostgreSQL: the CLI lists it.
    const base = `http://127.0.0.1:${one.http}/`;
    const reg = await api(base, 'api/register', { name: 'bia', password: 'senha da bia' });
    assert.equal(reg.status, 200);
    const list = await runCli(['account', 'list', '--store', url]);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^Ana\t\S+\nbia\t\S+\n$/);
    assert.doesNotMatch(list.stdout + list.stderr, /segredo-do-banco/);

    // The sign-in is a row there (its hash): another node knows the cookie.
    const c = new pg.Client(url);
    await c.connect();
    const rows = (await c.query('SELECT account FROM web_sign_ins')).rows as Array<{ account: string }>;
    const rooms = (await c.query('SELECT name, founder FROM registered_rooms')).rows as unknown[];
    assert.deepEqual(rooms, [{ name: '#geral', founder: 'Ana' }]);
    await c.end();
    assert.deepEqual(rows, [{ account: 'bia' }]);
    const two = await serve(url);
    const me = await api(`http://127.0.0.1:${two.http}/`, 'api/me', undefined, { cookie: reg.cookie });
    assert.deepEqual(me.body, { account: { name: 'bia' } });
    const ws = await JsonClient.open(`ws://127.0.0.1:${two.http}`, {
      headers: { Cookie: `tomada_session=${reg.cookie}` },
    });
    ws.send({ type: 'hello', nick: 'bia' });
    assert.equal((await ws.next((m) => m.type === 'welcome')).account, 'bia');
    await ws.close();

    // Deleted with the CLI while the servers run: the next login is refused.
    const del = await runCli(['account', 'del', 'bia', '--store', url]);
    assert.equal(del.code, 0, del.stderr);
    const again = await api(base, 'api/login', { name: 'bia', password: 'senha da bia' });
    assert.equal(again.status, 401);
    assert.deepEqual((await api(base, 'api/me', undefined, { cookie: reg.cookie })).body, { account: null });
  });

  it('says in one line what is wrong with --store', async () => {
    const bad = await runCli(['account', 'list', '--store', 'mysql://x/y']);
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr.trim().split('\n').length, 1);
    const down = await runCli(['account', 'list', '--store', 'postgres://tomada:segredo@127.0.0.1:1/x']);
    assert.equal(down.code, 1);
    assert.equal(down.stderr.trim().split('\n').length, 1);
    assert.doesNotMatch(down.stderr, /segredo/);
  });
});
