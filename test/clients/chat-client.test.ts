import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliProcess, ensureStopped, runCli } from '../helpers/cli.js';
import { lineServer } from '../helpers/chat-server.js';
import { lineUser } from '../helpers/wire.js';
import type { ChatServer } from '../../src/server/chat-server.js';
import { backoffSecs, heldRetrySecs, unseen } from '../../src/clients/chat-client.js';
import { endRow, stringWidth } from '../../src/clients/width.js';

const procs: CliProcess[] = [];
const servers: ChatServer[] = [];
const dirs: string[] = [];
after(async () => {
  for (const p of procs) await ensureStopped(p);
  for (const s of servers) await s.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('the terminal chat client: nicknames', () => {
  it('a taken nickname with --nick fails at once: one line on stderr, exit 1', async () => {
    const { server, port } = await lineServer();
    servers.push(server);
    await lineUser(port, 'bia');
    const started = Date.now();
    const r = await runCli(['chat', 'connect', `127.0.0.1:${port}`, '--nick', 'bia']);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      'tomada: error: the server refused the nickname "bia": The nickname bia is taken, choose another.\n',
    );
    // Not after the server's five tries (one every 100 ms and more): at the first refusal.
    assert.ok(Date.now() - started < 5000);
  });

  it('an invalid nickname fails the same way, exit 1 (not 0)', async () => {
    const { server, port } = await lineServer();
    servers.push(server);
    const r = await runCli(['chat', 'connect', `127.0.0.1:${port}`, '--nick', '#bad'], { input: 'oi\n' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^tomada: error: the server refused the nickname "#bad": .+\n$/);
  });

  it('pt-BR: the refusal in Portuguese', async () => {
    const { server, port } = await lineServer();
    servers.push(server);
    await lineUser(port, 'bia');
    const r = await runCli(['chat', 'connect', `127.0.0.1:${port}`, '--nick', 'bia'], {
      env: { LANG: 'pt_BR.UTF-8' },
    });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^tomada: erro: o servidor recusou o apelido "bia": /);
  });
});

describe('the terminal chat client: language', () => {
  it("LANG=pt_BR: the server's texts to this client are in Portuguese (asked with /lang, its answer not shown)", async () => {
    const { server, port } = await lineServer();
    servers.push(server);
    const ana = new CliProcess(['chat', 'connect', `127.0.0.1:${port}`, '--nick', 'ana'], { LANG: 'pt_BR.UTF-8' });
    procs.push(ana);
    await ana.waitFor(/Conectado ao servidor!/);
    ana.write('/help\n');
    await ana.waitFor(/^\* Comandos: /m);
    assert.doesNotMatch(ana.stdout, /agora estão em português/);
    ana.endInput();
    assert.equal(await ana.exited, 0);
  });

  it('LANG=pt_BR against a server in English: Portuguese from the first line after Conectado ao servidor!', async () => {
    const { server, port } = await lineServer({ lang: 'en' });
    servers.push(server);
    const bia = await lineUser(port, 'bia');
    bia.send('/topic bem-vindos\n');
    await bia.waitFor('* bia set the topic of #geral to: bem-vindos\n');
    const ana = new CliProcess(['chat', 'connect', `127.0.0.1:${port}`, '--nick', 'ana'], { LANG: 'pt_BR.UTF-8' });
    procs.push(ana);
    await ana.waitFor(/\* Você está em #geral \(2 online\)/);
    ana.write('/who\n');
    await ana.waitFor(/^\* .*#geral.*bia/m);
    ana.endInput();
    assert.equal(await ana.exited, 0);
    bia.close();
    const lines = ana.stdout.split('\n');
    const from = lines.findIndex((l) => l.includes('Conectado ao servidor!'));
    assert.deepEqual(
      lines.slice(from + 1, from + 3).map((l) => l.replace(/^\[\d\d:\d\d\] /, '')),
      ['* Tópico de #geral: bem-vindos', '* Você está em #geral (2 online). Digite /help para ver os comandos.'],
    );
    assert.doesNotMatch(ana.stdout, /You are in|Topic of|Server messages|agora estão em português/);
  });
});

describe('the terminal chat client: --reconnect', () => {
  it('backs off 1, 2, 4 s while refused, comes back to its room, shows only what it missed', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tomada-reconnect-'));
    dirs.push(dataDir);
    const first = await lineServer({ dataDir });
    const port = first.port;
    const ana = new CliProcess(['chat', 'connect', `127.0.0.1:${port}`, '--nick', 'ana', '--reconnect']);
    procs.push(ana);
    await ana.waitFor(/Conectado ao servidor!/);
    ana.write('/join #sala\n');
    // In #sala before bia speaks there (else bia's line is history, not live).
    await ana.waitFor(/^\* You are in #sala/m);
    const bia = await lineUser(port, 'bia');
    bia.send('/join #sala\n');
    await bia.waitFor(/\* .*#sala/);
    bia.send('antes da queda\n');
    await ana.waitFor(/^bia: antes da queda$/m);
    await first.server.close();
    await ana.waitFor(/connection to 127\.0\.0\.1:\d+ lost/);
    // Three refused attempts: the wait doubles each time (with ±20 %), a refusal does not reset it.
    const m = await ana.waitFor(
      /reconnecting in ([\d.]+) s[^]*reconnecting in ([\d.]+) s[^]*reconnecting in ([\d.]+) s/,
      'stdout',
      20000,
    );
    const secs = [m[1], m[2], m[3]].map(Number);
    assert.ok(secs[0]! >= 0.8 && secs[0]! <= 1.2, String(secs));
    assert.ok(secs[1]! >= 1.6 && secs[1]! <= 2.4, String(secs));
    assert.ok(secs[2]! >= 3.2 && secs[2]! <= 4.8, String(secs));
    const again = await lineServer({ dataDir, line: { host: '127.0.0.1', port } });
    servers.push(again.server);
    const caio = await lineUser(port, 'caio');
    caio.send('/join #sala\n');
    await caio.waitFor(/\* .*#sala/);
    caio.send('durante a queda\n');
    await caio.waitFor(/ana entrou no chat!\n/, 15000);
    // Missed while away: shown once, as history (with the time it was said), whether ana was back yet or not.
    await ana.waitFor(/^(\[[\d-]+ [\d:]+\] )?caio: durante a queda$/m);
    // Back in #sala: what is said there reaches ana.
    caio.send('depois da volta\n');
    await ana.waitFor(/^caio: depois da volta$/m);
    const count = (re: RegExp) => (ana.stdout.match(re) ?? []).length;
    assert.equal(count(/antes da queda/g), 1, ana.stdout);
    assert.equal(count(/durante a queda/g), 1, ana.stdout);
    ana.endInput();
    assert.equal(await ana.exited, 0);
  });

  it('the back-off: 1, 2, 4 … capped at 30 s', () => {
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5, 6, 9].map((n) => backoffSecs(n, 0.5)),
      [1, 2, 4, 8, 16, 30, 30, 30],
    );
  });

  it('a nickname refused on the way back in (held by the session lost with its node) is tried again in 1, then 2 s', () => {
    assert.deepEqual(
      [0, 1, 2, 9].map((n) => heldRetrySecs(n, 0.5)),
      [1, 2, 2, 2],
    );
  });

  it('what was missed: the answer after the lines already shown', () => {
    assert.deepEqual(unseen(['bia: a', 'bia: b', 'caio: c'], ['x entrou no chat!', 'bia: a', 'bia: b']), ['caio: c']);
    assert.deepEqual(unseen(['bia: a', 'bia: a'], ['bia: a']), ['bia: a']);
    assert.deepEqual(unseen(['caio: c'], []), ['caio: c']);
  });
});

describe('terminal widths', () => {
  it('counts wide characters as two columns, combining marks as none', () => {
    assert.equal(stringWidth('abc'), 3);
    assert.equal(stringWidth('日本語'), 6);
    assert.equal(stringWidth('😀'), 2);
    assert.equal(stringWidth('e\u0301'), 1);
    assert.equal(stringWidth('\x1b[31mred\x1b[0m'), 3);
    // readline's rule: a wide character does not straddle the edge, it starts the next row.
    assert.equal(endRow('abcd日', 5), 1);
    assert.equal(endRow('abc日', 5), 1);
    assert.equal(endRow('ab日', 5), 0);
  });
});
