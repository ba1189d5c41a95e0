import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CliProcess, ensureStopped, serveArgs } from '../helpers/cli.js';
import { lineUser, WireClient } from '../helpers/wire.js';

const procs: CliProcess[] = [];
const clients: WireClient[] = [];
const dirs: string[] = [];
after(async () => {
  for (const c of clients) c.close();
  for (const p of procs) await ensureStopped(p);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'tomada-serve-'));
  dirs.push(d);
  return d;
}

async function serve(args: string[]): Promise<{ proc: CliProcess; port: number }> {
  const proc = new CliProcess(['chat', 'serve', '--line', '127.0.0.1:0', '--irc', 'off', '--http', 'off', ...args]);
  procs.push(proc);
  const m = await proc.waitFor(/line door listening on [\d.]+:(\d+)/);
  return { proc, port: Number(m[1]) };
}

async function user(port: number, nick: string) {
  const c = await lineUser(port, nick);
  clients.push(c);
  return c;
}

describe('tomada chat serve', () => {
  it('loses no message any client received when killed with SIGKILL, and keeps history across a restart', async () => {
    const dataDir = tempDir();
    const first = await serve(['--data-dir', dataDir, '--flood-rate', '10000', '--flood-burst', '10000']);
    const ana = await user(first.port, 'ana');
    const bia = await user(first.port, 'bia');
    const texts = Array.from({ length: 60 }, (_, i) => `mensagem ${i}`);
    ana.send(texts.map((t) => t + '\n').join(''));
    await bia.waitFor('ana: mensagem 59\n');
    first.proc.child.kill('SIGKILL');
    await first.proc.exited;
    // Every message bia saw is a row in the database.
    const db = new Database(join(dataDir, 'history.sqlite'), { readonly: true });
    const rows = db.prepare("SELECT sender, text FROM messages WHERE room_key = '#geral' ORDER BY seq").all() as Array<{
      sender: string;
      text: string;
    }>;
    db.close();
    assert.deepEqual(
      rows.map((r) => `${r.sender}: ${r.text}`),
      texts.map((t) => `ana: ${t}`),
    );
    const second = await serve(['--data-dir', dataDir, '--history', '5']);
    const caio = await WireClient.connect(second.port);
    clients.push(caio);
    await caio.waitFor('APELIDO');
    caio.send('caio\n');
    await caio.waitFor('Conectado ao servidor!\n');
    const shown = await caio.waitFor(/(\[\d{4}-\d\d-\d\d \d\d:\d\d\] ana: mensagem \d+\n){5}/);
    assert.match(shown, /mensagem 55\n[^]*mensagem 59\n$/);
    caio.send('/history 60\n');
    await caio.waitFor('* Last 60 messages of #geral:\n');
    await caio.waitFor('ana: mensagem 0\n');
    caio.send('depois do reinício\n');
    await caio.waitFor('ana: mensagem 59\n');
  });

  it('on SIGTERM tells every client, closes, and exits 0', async () => {
    const { proc, port } = await serve(['--data-dir', ':memory:']);
    const ana = await user(port, 'ana');
    proc.child.kill('SIGTERM');
    await ana.waitFor('* The server is stopping: SIGTERM\n');
    await ana.waitClosed();
    assert.equal(await proc.exited, 0);
  });

  it('says plainly when the port is taken, exit 1', async () => {
    const { port } = await serve(['--data-dir', ':memory:']);
    const second = new CliProcess(serveArgs({ line: `127.0.0.1:${port}` }));
    procs.push(second);
    assert.equal(await second.exited, 1);
    assert.match(
      second.stderr,
      new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use: another server may be running there`),
    );
  });

  it('rejects bad flags with exit 2', async () => {
    const bad = new CliProcess(['chat', 'serve', '--line', '127.0.0.1:70000']);
    procs.push(bad);
    assert.equal(await bad.exited, 2);
    assert.match(bad.stderr, /invalid port "70000"/);
  });

  it('reads --config, with flags taking precedence, and enables TCP keepalive', async () => {
    const dir = tempDir();
    const file = join(dir, 'tomada.json');
    writeFileSync(file, JSON.stringify({ room: '#sala', dataDir: ':memory:', line: { host: '127.0.0.1', port: 1 } }));
    const { port } = await serve(['--config', file, '--keepalive', '30']);
    assert.notEqual(port, 1, 'the --line flag won over the file');
    const ana = await WireClient.connect(port);
    clients.push(ana);
    await ana.waitFor('APELIDO');
    ana.send('ana\n');
    await ana.waitFor('* You are in #sala (1 online).');
    // While bytes are in flight ss shows the retransmit timer instead; the keepalive one shows once idle.
    let line = '';
    for (let i = 0; i < 50 && !/timer:\(keepalive,/.test(line); i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 50));
      const ss = execFileSync('ss', ['-tnoH', 'state', 'established'], { encoding: 'utf8' });
      line = ss.split('\n').find((l) => new RegExp(`^\\S+\\s+\\S+\\s+127\\.0\\.0\\.1:${port}\\s`).test(l)) ?? '';
    }
    assert.match(line, /timer:\(keepalive,/);
  });
});
