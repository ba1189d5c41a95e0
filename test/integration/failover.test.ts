import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { CliProcess, ensureStopped, serveArgs } from '../helpers/cli.js';
import { lineUser, type WireClient } from '../helpers/wire.js';
import { buildWebClient, launchChromium, noChromium } from '../helpers/browser.js';
import { numbered, shownNumbers, upTo } from '../helpers/failover.js';
import { freePort, RedisServer } from '../cluster/redis.js';
import { TestNodes } from '../cluster/nodes.js';
import { Haproxy } from '../cluster/haproxy.js';
import { PostgresServer } from '../storage/postgres.js';

// A node dies behind HAProxy (kill -9). The terminal client (--reconnect) and the web page that were on
// it come back through HAProxy to the node that lives, by themselves, and show the room's messages once
// each, none missing: what was said while they were away comes from history. One scenario for both
// clients (a PostgreSQL, a node process and Chromium are slow to start).
const redis = new RedisServer();
const pg = new PostgresServer();
const nodes = new TestNodes(redis);
const haproxy = new Haproxy();
const procs: CliProcess[] = [];
const clients: WireClient[] = [];
let browser: Browser | undefined;
before(async () => {
  assert.ok(RedisServer.available(), 'redis-server is missing: run `bash scripts/setup-test-deps.sh` as root');
  assert.ok(PostgresServer.available(), 'PostgreSQL is missing: run `bash scripts/setup-test-deps.sh` as root');
  assert.ok(Haproxy.available(), 'haproxy is missing: run `bash scripts/setup-test-deps.sh`');
  if (noChromium()) return;
  buildWebClient();
  [browser] = await Promise.all([launchChromium(), redis.start(), pg.start()]);
});
after(async () => {
  for (const c of clients) c.close();
  await browser?.close();
  for (const p of procs) await ensureStopped(p);
  await haproxy.stop();
  await nodes.close();
  await Promise.all([redis.dispose(), pg.dispose()]);
});

const local = (port: number) => `127.0.0.1:${port}`;
/** More than the line door's page of history (200) and the terminal client's memory of lines shown (1000). */
const BURST = 1100;
const line = (n: number) => new RegExp(`^(\\[[\\d-]+ [\\d:]+\\] )?bia: mensagem ${n}$`, 'm');

/** Waits until the page shows the message `mensagem N`. */
async function pageShows(page: Page, n: number, timeout = 15_000): Promise<void> {
  await page
    .locator('#messages li.msg .text', { hasText: new RegExp(`^mensagem ${n}$`) })
    .first()
    .waitFor({ timeout });
}

describe('a node killed behind HAProxy', { skip: noChromium() }, () => {
  it('the terminal client and the web page on it come back through HAProxy by themselves and show 1..N once each', async () => {
    const store = await pg.createDatabase();
    const network = nodes.network();
    // The node that dies: a process of its own, the only one HAProxy finds up when ana and eva come.
    const doomed = new CliProcess(
      serveArgs(
        { line: true, http: true },
        '--network',
        network,
        '--cluster',
        redis.url,
        '--store',
        store,
        '--node-name',
        'doomed',
      ),
    );
    procs.push(doomed);
    const doomedLine = Number((await doomed.waitFor(/line door listening on [\d.]+:(\d+)/, 'stdout', 60_000))[1]);
    const doomedHttp = Number((await doomed.waitFor(/http door listening on [\d.]+:(\d+)/))[1]);
    const survivor = { line: await freePort(), http: await freePort() };
    const later = { line: local(survivor.line), http: local(survivor.http) };
    await haproxy.start([{ line: local(doomedLine), http: local(doomedHttp) }, later, later]);
    for (const backend of ['line_nodes', 'web_nodes'])
      for (const server of ['node2', 'node3']) await haproxy.waitServer(backend, server, 'DOWN');

    const ana = new CliProcess(['chat', 'connect', local(haproxy.ports.line), '--nick', 'ana', '--reconnect']);
    procs.push(ana);
    const ctx = await browser!.newContext({ viewport: { width: 960, height: 540 }, locale: 'en-US' });
    const eva = await ctx.newPage();
    const errors: string[] = [];
    eva.on('pageerror', (e) => errors.push(e.message));
    await eva.goto(`http://${local(haproxy.ports.http)}/`);
    await eva.fill('#nick', 'eva');
    await eva.click('#login-form button[type=submit]');
    await eva.locator('#status', { hasText: 'online as eva' }).waitFor({ timeout: 10_000 });
    await ana.waitFor(/^\* You are in #geral/m);

    // The node that lives, on the addresses HAProxy has for its two other servers.
    await nodes.start(network, {
      nodeName: 'survivor',
      line: { host: '127.0.0.1', port: survivor.line },
      http: { host: '127.0.0.1', port: survivor.http },
      store,
      limits: { floodRate: 5000, floodBurst: 5000, floodQueue: 5000 },
    });
    await haproxy.waitServer('line_nodes', 'node2', 'UP');
    await haproxy.waitServer('web_nodes', 'node2', 'UP');
    const bia = await lineUser(survivor.line, 'bia');
    clients.push(bia);
    await ana.waitFor(/^bia entrou no chat!$/m);

    // bia says numbered messages: a burst first (more than one page of history since they came in),
    // then one every 25 ms all along: before, while they are away, after.
    const said = numbered((text) => bia.send(`${text}\n`), 25, BURST);
    try {
      await ana.waitFor(line(BURST + 10), 'stdout', 10_000);
      await pageShows(eva, BURST + 10);
      doomed.child.kill('SIGKILL');
      await ana.waitFor(/connection to .* lost/);
      // Back in through HAProxy (once the network has freed their names), on the node that lives.
      await ana.waitFor(/Conectado ao servidor![^]*Conectado ao servidor!/, 'stdout', 20_000);
      await bia.waitFor(/^(?=[^]*ana entrou no chat!\n)(?=[^]*eva entrou no chat!\n)/, 20_000);
      const back = said.count;
      await ana.waitFor(line(back + 10), 'stdout', 10_000);
      await pageShows(eva, back + 10);
    } finally {
      said.stop();
    }
    const last = said.count;
    await ana.waitFor(line(last));
    await pageShows(eva, last);
    assert.deepEqual(shownNumbers(ana.stdout, 'bia: mensagem '), upTo(last), ana.stdout);
    const texts = await eva.locator('#messages li.msg .text').allTextContents();
    assert.deepEqual(shownNumbers(texts.join('\n'), 'mensagem '), upTo(last));
    assert.deepEqual(errors, []);
    ana.endInput();
    assert.equal(await ana.exited, 0);
  });
});
