import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSelfSignedCert } from '../../src/cli/commands/cert.js';
import { CliProcess, ensureStopped, runCli, serveArgs } from '../helpers/cli.js';
import { lineUser, WireClient } from '../helpers/wire.js';
import { RedisServer } from '../cluster/redis.js';
import { PostgresServer, rows } from '../storage/postgres.js';

// Issue 12's `rediss://` and `sslmode`: a Redis that speaks TLS only and a PostgreSQL that takes TLS
// connections only (hostssl), both with a certificate of a private authority (a self-signed one), as a
// community's own servers would have. Two `tomada chat serve` processes trust it the documented ways.
const dir = mkdtempSync(join(tmpdir(), 'tomada-tls-'));
let cert = { cert: '', key: '' };
let redis: RedisServer;
let pgServer: PostgresServer;
const procs: CliProcess[] = [];
const clients: WireClient[] = [];
before(async () => {
  assert.ok(RedisServer.available(), 'redis-server is missing: run `bash scripts/setup-test-deps.sh` as root');
  cert = await writeSelfSignedCert({ hosts: ['localhost', '127.0.0.1'], days: 1, out: dir });
  redis = new RedisServer({ tls: cert });
  pgServer = new PostgresServer({ tls: cert });
  await Promise.all([redis.start(), pgServer.start()]);
});
after(async () => {
  for (const c of clients) c.close();
  for (const p of procs) await ensureStopped(p);
  await Promise.all([redis?.dispose(), pgServer?.dispose()]);
  rmSync(dir, { recursive: true, force: true });
});

/** The environment that makes Node trust the test's authority (NODE_EXTRA_CA_CERTS, read at start). */
const trusting = () => ({ NODE_EXTRA_CA_CERTS: cert.cert });

describe('several machines over TLS: rediss:// and PostgreSQL’s sslmode', () => {
  it('two nodes on a TLS-only Redis and PostgreSQL: one room across them, its history stored', async () => {
    const store = await pgServer.createDatabase();
    assert.match(store, /sslmode=verify-full&sslrootcert=/);
    const ports: number[] = [];
    for (const name of ['a', 'b']) {
      const args = ['--network', 'tls', '--cluster', redis.url, '--node-name', name, '--store', store];
      const proc = new CliProcess(serveArgs({ line: true }, ...args), trusting());
      procs.push(proc);
      await proc.waitFor(new RegExp(`node ${name} \\(number \\d\\) in the network tls through Redis at rediss://`));
      ports.push(await proc.listeningPort('line door listening on'));
    }
    const ana = await lineUser(ports[0]!, 'ana');
    const bia = await lineUser(ports[1]!, 'bia');
    clients.push(ana, bia);
    await ana.waitFor('bia entrou no chat!\n');
    ana.send('olá por TLS\n');
    await bia.waitFor('ana: olá por TLS\n');
    const stored = await rows<{ text: string }>(store, `SELECT text FROM messages WHERE text = 'olá por TLS'`);
    assert.equal(stored.length, 1);
    // Every connection to the database is encrypted (pg_hba.conf refuses the others, this checks it).
    const plain = await rows<{ n: string }>(
      store,
      `SELECT count(*) AS n FROM pg_stat_ssl JOIN pg_stat_activity USING (pid) WHERE datname = current_database() AND NOT ssl`,
    );
    assert.equal(plain[0]!.n, '0');
  });

  it('a Redis certificate the node does not trust: one line saying how to trust it, exit 1', async () => {
    const r = await runCli(serveArgs({ line: true }, '--cluster', redis.url, '--node-name', 'x'));
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stderr,
      /cannot reach the cluster’s Redis rediss:\/\/localhost:\d+: self-signed certificate \(a private certificate authority is trusted with NODE_EXTRA_CA_CERTS=ca\.pem in tomada’s environment\)/,
    );
  });

  it('a PostgreSQL certificate the URL does not trust: one line saying how to trust it, exit 1', async () => {
    const store = (await pgServer.createDatabase()).replace(/&sslrootcert=.*$/, '');
    const r = await runCli(serveArgs({ line: true }, '--store', store));
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stderr,
      /cannot reach the history store postgres:\/\/tomada@127\.0\.0\.1:\d+\/t\d+\?sslmode=verify-full: self-signed certificate \(a private certificate authority is trusted with sslrootcert=ca\.pem in the URL\)/,
    );
  });
});
