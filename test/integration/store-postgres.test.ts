import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { CliProcess, ensureStopped, runCli } from '../helpers/cli.js';
import { lineUser, WireClient } from '../helpers/wire.js';
import { JsonClient } from '../protocols/web/helpers.js';
import { PostgresServer } from '../storage/postgres.js';

const pgServer = new PostgresServer();
const procs: CliProcess[] = [];
const clients: WireClient[] = [];
const dirs: string[] = [];
before(() => pgServer.start());
after(async () => {
  for (const c of clients) c.close();
  for (const p of procs) await ensureStopped(p);
  await pgServer.dispose();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function serve(
  args: string[],
  web = false,
): Promise<{ proc: CliProcess; line: number; irc: number; http: number }> {
  const proc = new CliProcess([
    'chat',
    'serve',
    '--line',
    '127.0.0.1:0',
    '--irc',
    '127.0.0.1:0',
    '--http',
    web ? '127.0.0.1:0' : 'off',
    ...args,
  ]);
  procs.push(proc);
  const line = Number((await proc.waitFor(/line door listening on [\d.]+:(\d+)/))[1]);
  const irc = Number((await proc.waitFor(/irc door listening on [\d.]+:(\d+)/))[1]);
  const http = web ? Number((await proc.waitFor(/http door listening on [\d.]+:(\d+)/))[1]) : 0;
  return { proc, line, irc, http };
}

async function user(port: number, nick: string): Promise<WireClient> {
  const c = await lineUser(port, nick);
  clients.push(c);
  return c;
}

async function ircUser(port: number, nick: string, caps?: string): Promise<WireClient> {
  const c = await WireClient.connect(port);
  clients.push(c);
  if (caps) c.send(`CAP LS 302\r\nCAP REQ :${caps}\r\n`);
  c.send(`NICK ${nick}\r\nUSER ${nick} 0 * :${nick}\r\n`);
  if (caps) {
    await c.waitFor(/CAP \S+ ACK/);
    c.send('CAP END\r\n');
  }
  await c.waitFor(/ 001 /);
  c.send('JOIN #geral\r\n');
  await c.waitFor(/ 366 /);
  return c;
}

/** `/history after 0` on the line door: the messages and the last id the server names. */
async function historyAfter0(c: WireClient): Promise<{ lines: string; last: string }> {
  c.send('/history after 0\n');
  const all = await c.waitFor(/[^]*?\* #geral: \d+ message\(s\) after id 0, up to id (\d+)\.\n/);
  return { lines: all, last: /up to id (\d+)/.exec(all)![1]! };
}

describe('tomada chat serve --store postgres://…', () => {
  it('keeps a line-door message in PostgreSQL, read back by a second server with the same id; the password is never logged', async () => {
    const url = await pgServer.createDatabase('segredo-42');
    assert.match(url, /segredo-42/);
    const a = await serve(['--store', url]);
    await a.proc.waitFor(/history in PostgreSQL at postgres:\/\/tomada@127\.0\.0\.1:\d+\/t\d+ \(last id 0\)/);
    const ana = await user(a.line, 'ana');
    const bia = await user(a.line, 'bia');
    ana.send('guardada no postgres\n');
    await bia.waitFor('ana: guardada no postgres\n');
    const onA = await historyAfter0(bia);
    assert.match(onA.lines, /\] ana: guardada no postgres\n/);

    const b = await serve(['--store', url]);
    await b.proc.waitFor(new RegExp(`history in PostgreSQL at .* \\(last id ${onA.last}\\)`));
    const caio = await user(b.line, 'caio');
    const onB = await historyAfter0(caio);
    assert.match(onB.lines, /\] ana: guardada no postgres\n/);
    assert.equal(onB.last, onA.last);
    // The next id continues after the stored ones (read at open).
    caio.send('do segundo servidor\n');
    caio.send('/history after ' + onA.last + '\n');
    const next = await caio.waitFor(/up to id (\d+)\.\n/);
    assert.ok(Number(/up to id (\d+)/.exec(next)![1]) > Number(onA.last), next);
    // IRC's CHATHISTORY reads the same rows, with the same msgid, inside its labeled-response batch.
    const dani = await ircUser(b.irc, 'dani', 'batch labeled-response draft/chathistory message-tags server-time');
    dani.send('@label=h1 CHATHISTORY LATEST #geral * 10\r\n');
    const reply = await dani.waitFor(/@label=h1 [^]*?BATCH -\S+\r\n(?:[^]*?BATCH -\S+\r\n)?/);
    assert.match(reply, /^@label=h1 :\S+ BATCH \+\S+ labeled-response\r\n/);
    assert.match(reply, new RegExp(`msgid=${onA.last}[^\r]* PRIVMSG #geral :guardada no postgres\r\n`));
    for (const p of [a.proc, b.proc]) {
      assert.doesNotMatch(p.stdout + p.stderr, /segredo-42/);
    }
    await a.proc.stop();
    await b.proc.stop();
  });

  it('refuses messages to their sender while PostgreSQL is down (no one receives them), and carries on once it is back', async () => {
    const url = await pgServer.createDatabase();
    const { proc, line, irc, http } = await serve(['--store', url], true);
    const ana = await user(line, 'ana');
    const bia = await user(line, 'bia');
    const caio = await ircUser(irc, 'caio');
    const web = await JsonClient.chat(`ws://127.0.0.1:${http}`, 'eva');
    ana.send('antes da queda\n');
    await bia.waitFor('ana: antes da queda\n');
    await caio.waitFor('PRIVMSG #geral :antes da queda\r\n');
    await web.next((m) => m.type === 'message' && (m.message as { text: string }).text === 'antes da queda');

    await pgServer.stop(); // by the postmaster's PID
    ana.send('durante a queda\n');
    await ana.waitFor(
      '! Not sent: the message to #geral could not be stored (history unavailable). Try again.\n',
      15_000,
    );
    caio.send('PRIVMSG #geral :irc durante a queda\r\n');
    await caio.waitFor(
      /:\S+ 404 caio #geral :Cannot send to channel: the message could not be stored, try again\r\n/,
      15_000,
    );
    web.send({ type: 'message', target: '#geral', text: 'web durante a queda', ref: 9 });
    const refused = await web.next((m) => m.type === 'error' && m.ref === 9, 15_000);
    assert.equal(refused.code, 'NOT_STORED');
    assert.equal(refused.text, 'Not sent: the message to #geral could not be stored (history unavailable). Try again.');
    web.send({ type: 'history', room: '#geral', ref: 10 });
    const unread = await web.next((m) => m.type === 'error' && m.ref === 10, 15_000);
    assert.equal(unread.code, 'HISTORY_UNAVAILABLE');
    await proc.waitFor(/history store operation failed/);

    await pgServer.start();
    ana.send('depois da volta\n');
    await bia.waitFor('ana: depois da volta\n', 15_000);
    await caio.waitFor('PRIVMSG #geral :depois da volta\r\n');
    caio.send('PRIVMSG #geral :irc depois da volta\r\n');
    await bia.waitFor('caio: irc depois da volta\n');
    web.send({ type: 'history', room: '#geral', ref: 11 });
    const page = await web.next((m) => m.type === 'history' && m.ref === 11);
    assert.deepEqual(
      (page.messages as Array<{ text: string }>).map((m) => m.text),
      ['antes da queda', 'depois da volta', 'irc depois da volta'],
    );
    // What was refused reached no one, and is not in the history.
    assert.doesNotMatch(bia.received + caio.received + JSON.stringify(web.received), /durante a queda/);
    await web.close();
    const { lines } = await historyAfter0(bia);
    assert.doesNotMatch(lines, /durante a queda/);
    assert.match(lines, /antes da queda[^]*depois da volta[^]*irc depois da volta/);
    await proc.stop();
  });
});

describe('tomada store migrate', () => {
  it('deletes (REDACT) and searches (SEARCH, /search) in PostgreSQL: what one server deletes, another no longer finds', async () => {
    const url = await pgServer.createDatabase();
    const a = await serve(['--store', url]);
    const b = await serve(['--store', url]);
    const caps = 'batch message-tags echo-message server-time draft/message-redaction soju.im/search';
    const ana = await ircUser(a.irc, 'ana', caps);
    ana.send('PRIVMSG #geral :bolo de fubá\r\nPRIVMSG #geral :bolo queimado, apaga\r\n');
    const burnt = await ana.waitFor(/msgid=\d+[^\r]* PRIVMSG #geral :bolo queimado, apaga\r\n/);
    const id = /msgid=(\d+)/.exec(burnt)![1]!;
    ana.send('SEARCH text=BOLO\r\n');
    const found = await ana.waitFor(/BATCH \+\S+ soju\.im\/search\r\n[^]*?BATCH -\S+\r\n/);
    assert.equal(found.match(/ PRIVMSG #geral :bolo/g)?.length, 2, found);
    ana.send(`REDACT #geral ${id} :queimou\r\n`);
    await ana.waitFor(new RegExp(`REDACT #geral ${id} :?queimou\r\n`));
    // Another server on the same database: its search and its /history no longer have it.
    const caio = await user(b.line, 'caio');
    caio.send('/search bolo\n');
    assert.equal(await caio.waitFor(/\* .*found.*\n/), '* 1 message(s) found for "bolo", oldest first:\n');
    assert.match(await caio.waitFor(/.*\n/), /\] #geral ana: bolo de fubá\n$/);
    const h = await historyAfter0(caio);
    assert.doesNotMatch(h.lines, /queimado/);
    assert.match(h.lines, /ana: bolo de fubá/);
    await a.proc.stop();
    await b.proc.stop();
  });

  it('copies a real SQLite data dir with the same ids, times and rooms, and a second run copies nothing', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tomada-migrate-'));
    dirs.push(dataDir);
    const single = await serve(['--data-dir', dataDir]);
    const ana = await user(single.line, 'ana');
    for (const t of ['um', 'dois', 'três']) ana.send(t + '\n');
    ana.send('/join #outra\n');
    await ana.waitFor('* You are in #outra');
    ana.send('quatro\n');
    ana.send('/history after 0\n');
    await ana.waitFor(/\* #outra: 1 message\(s\) after id 0, up to id \d+\.\n/);
    assert.equal(await single.proc.stop(), 0);
    const db = new Database(join(dataDir, 'history.sqlite'));
    const sqliteRows = db.prepare('SELECT seq, time, room, text FROM messages ORDER BY seq').all();
    // A reaction kept with the first message (as the server keeps one from +draft/react).
    const firstSeq = (sqliteRows[0] as { seq: number }).seq;
    db.prepare('INSERT INTO reactions (seq, nick, emoji, time) VALUES (?, ?, ?, ?)').run(firstSeq, 'bia', '👍', 1);
    db.close();
    assert.equal(sqliteRows.length, 4);

    const url = await pgServer.createDatabase('s3nha');
    const first = await runCli(['store', 'migrate', '--from', dataDir, '--to', url, '--batch', '3']);
    assert.equal(first.code, 0, first.stderr);
    assert.match(
      first.stdout,
      /^copied 4 messages from .* to postgres:\/\/tomada@127\.0\.0\.1:\d+\/t\d+ \(0 were already there\)\n$/,
    );
    assert.doesNotMatch(first.stdout + first.stderr, /s3nha/);
    const second = await runCli(['store', 'migrate', '--from', dataDir, '--to', url]);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /^copied 0 messages .*\(4 were already there\)\n$/);

    const pgc = new pg.Client(url);
    await pgc.connect();
    const reactions = await pgc.query('SELECT seq, nick, emoji FROM reactions');
    await pgc.end();
    assert.deepEqual(reactions.rows, [{ seq: String(firstSeq), nick: 'bia', emoji: '👍' }], 'copied once');

    // A server on PostgreSQL shows them as the single machine did, with the same ids.
    const grown = await serve(['--store', url]);
    const bia = await user(grown.line, 'bia');
    const { lines, last } = await historyAfter0(bia);
    assert.match(lines, /ana: um\n[^]*ana: dois\n[^]*ana: três\n/);
    const geral = sqliteRows.filter((r) => (r as { room: string }).room === '#geral') as Array<{ seq: number }>;
    assert.equal(last, String(geral.at(-1)!.seq));
    await grown.proc.stop();
  });

  it('says in one line what is wrong: a missing dir and a bad URL (exit 2), an unreachable server (exit 1)', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'tomada-migrate-'));
    dirs.push(empty);
    const url = await pgServer.createDatabase();
    const missing = await runCli(['store', 'migrate', '--from', join(empty, 'nada'), '--to', url]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^tomada: .*no history in .*nada \(no history\.sqlite there\).*\n$/);
    const badUrl = await runCli(['store', 'migrate', '--from', empty, '--to', 'mysql://x@h/db']);
    assert.equal(badUrl.code, 2);
    assert.match(badUrl.stderr, /^tomada: .*not a PostgreSQL URL: mysql:\/\/x@h\/db .*\n$/);
    const dataDir = mkdtempSync(join(tmpdir(), 'tomada-migrate-'));
    dirs.push(dataDir);
    const db = new Database(join(dataDir, 'history.sqlite'));
    db.exec(
      'CREATE TABLE messages (seq INTEGER PRIMARY KEY, time INTEGER, room TEXT, room_key TEXT, sender TEXT, sender_mask TEXT, text TEXT, kind TEXT)',
    );
    db.close();
    const down = await runCli(['store', 'migrate', '--from', dataDir, '--to', 'postgres://u:pw9@127.0.0.1:1/db']);
    assert.equal(down.code, 1);
    assert.match(
      down.stderr,
      /^tomada: .*cannot reach the history store postgres:\/\/u@127\.0\.0\.1:1\/db: .*ECONNREFUSED.*\n$/,
    );
    assert.doesNotMatch(down.stderr, /pw9|\n\s+at /);
    const serveDown = await runCli([
      'chat',
      'serve',
      '--line',
      '127.0.0.1:0',
      '--irc',
      'off',
      '--http',
      'off',
      '--store',
      'postgres://u:pw9@127.0.0.1:1/db',
    ]);
    assert.equal(serveDown.code, 1);
    assert.match(serveDown.stderr, /cannot reach the history store postgres:\/\/u@127\.0\.0\.1:1\/db/);
    assert.doesNotMatch(serveDown.stdout + serveDown.stderr, /pw9/);
  });

  it('--help in English and Portuguese', async () => {
    const en = await runCli(['store', 'migrate', '--help']);
    assert.equal(en.code, 0);
    assert.match(en.stdout, /--from <dir>\s+the data directory of the server/);
    assert.match(en.stdout, /--to <url>\s+the PostgreSQL database: postgres:\/\/USER\[:PASS\]@HOST:PORT\/DB/);
    const pt = await runCli(['--lang', 'pt-BR', 'store', 'migrate', '--help']);
    assert.equal(pt.code, 0);
    assert.match(pt.stdout, /copia o histórico SQLite de um diretório de dados para o PostgreSQL/);
    assert.match(pt.stdout, /--to <url>\s+o banco PostgreSQL/);
  });
});
