import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { CliProcess, ensureStopped, serveArgs } from '../helpers/cli.js';
import { RawClient } from '../protocols/irc/client.js';
import { nodesOnRedis } from './nodes.js';

// The lease: a node that loses it stops; a node that dies is noticed by the others within seconds.
const processes: CliProcess[] = [];
const { redis, nodes } = nodesOnRedis(async () => {
  for (const p of processes) await ensureStopped(p);
});

/** `tomada chat serve` as a process of its own (so that it can be killed), IRC on a free port. */
async function nodeProcess(network: string, name: string): Promise<{ p: CliProcess; port: number }> {
  const p = new CliProcess(
    serveArgs(
      { irc: true },
      '--network',
      network,
      '--cluster',
      redis.url,
      '--node-name',
      name,
      '--flood-rate',
      '1000',
      '--flood-burst',
      '1000',
    ),
  );
  processes.push(p);
  return { p, port: await p.listeningPort('irc.* listening on') };
}

describe('the node lease', () => {
  it('a node whose lease another process took stops acting: its clients are told and cut off', async () => {
    const network = nodes.network();
    const a = await nodes.start(network, { nodeName: 'a' });
    const ana = await RawClient.register(a.address('irc')!.port, 'ana');
    const r = new Redis(redis.url);
    try {
      await r.set(`tomada:${network}:lease:${a.hub.bus.node}`, 'another-process', 'PX', 60_000);
    } finally {
      r.disconnect();
    }
    await ana.expect(/^ERROR :Closing Link: .*This server lost contact with the network; reconnect/, 10_000);
    await ana.waitClosed();
  });

  it('kill -9 of a node: its users quit everywhere with a reason that says so, and their names are free', async () => {
    const network = nodes.network();
    const a = await nodes.start(network, { nodeName: 'a' });
    const b = await nodeProcess(network, 'b');
    const ana = await RawClient.register(a.address('irc')!.port, 'ana');
    const bia = await RawClient.register(b.port, 'bia');
    ana.send('JOIN #sala');
    await ana.expect(/ 366 ana #sala /);
    bia.send('JOIN #sala');
    await ana.expect(/^:bia!\S+ JOIN #sala$/);
    const killedAt = Date.now();
    b.p.child.kill('SIGKILL');
    await ana.expect(/^:bia!\S+ QUIT :Node lost: b stopped answering$/, 15_000);
    const took = Date.now() - killedAt;
    assert.ok(took < 10_000, `noticed after ${took} ms`);
    ana.send('NAMES #sala');
    assert.match(await ana.expect(/ 353 ana = #sala /), / :?@ana$/);
    // The name is free again, on any node.
    const again = await RawClient.register(a.address('irc')!.port, 'bia');
    again.close();
    ana.close();
    bia.close();
  });

  it('a lost node noticed by one node is dropped at once by the others, even one that has not looked yet', async () => {
    const network = nodes.network();
    const a = await nodes.start(network, { nodeName: 'a' });
    // C looks at the others' leases every 60 s: on its own it would notice B's loss a minute late.
    const c = await nodes.start(network, { nodeName: 'c' }, [], { lease: { renewMs: 60_000, ttlMs: 180_000 } });
    const b = await nodeProcess(network, 'b');
    const ana = await RawClient.register(a.address('irc')!.port, 'ana');
    const caio = await RawClient.register(c.address('irc')!.port, 'caio');
    const bia = await RawClient.register(b.port, 'bia');
    for (const [who, nick] of [
      [ana, 'ana'],
      [caio, 'caio'],
      [bia, 'bia'],
    ] as const) {
      who.send('JOIN #sala');
      await who.expect(new RegExp(` 366 ${nick} #sala `));
    }
    await caio.expect(/^:bia!\S+ JOIN #sala$/);
    b.p.child.kill('SIGKILL');
    await ana.expect(/^:bia!\S+ QUIT :Node lost: b stopped answering$/, 15_000);
    const aSaw = Date.now();
    await caio.expect(/^:bia!\S+ QUIT :Node lost: b stopped answering$/, 5_000);
    assert.ok(Date.now() - aSaw < 5_000, 'C was told by A, not by its own look');
    // Coming back through C at once: the name is free there too.
    const again = await RawClient.register(c.address('irc')!.port, 'bia');
    again.send('JOIN #sala');
    await ana.expect(/^:bia!\S+ JOIN #sala$/);
    again.close();
    ana.close();
    caio.close();
    bia.close();
  });
});
