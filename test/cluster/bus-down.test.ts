import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { WireClient } from '../helpers/wire.js';
import { JsonClient } from '../protocols/web/helpers.js';
import { RawClient } from '../protocols/irc/client.js';
import { nodesOnRedis } from './nodes.js';

// While the network's Redis is away, taking a nickname and joining are refused in words, not done wrongly.
const { redis, nodes } = nodesOnRedis();

/** Waits for a condition the node changes by itself (a connection's state), checking every 20 ms. */
async function until(test: () => boolean, what: string, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the bus down', () => {
  it('refuses a new nickname and a join on IRC (437) and on the line door (its own words); both work again when Redis is back', async () => {
    const network = nodes.network();
    const a = await nodes.start(network, {
      nodeName: 'a',
      line: { host: '127.0.0.1', port: 0 },
      http: { host: '127.0.0.1', port: 0 },
    });
    const ana = await RawClient.register(a.address('irc')!.port, 'ana');
    const line = await WireClient.connect(a.address('line')!.port);
    await line.waitFor('APELIDO');
    await redis.stop();
    await until(() => a.hub.bus.connected === false, 'the node sees Redis gone');

    ana.send('JOIN #sala');
    await ana.expect(
      / 437 ana #sala :Nick\/channel is temporarily unavailable: the network is unreachable, try again$/,
    );
    ana.send('NICK outra');
    await ana.expect(/ 437 ana outra :Nick\/channel is temporarily unavailable/);
    const bia = new RawClient(a.address('irc')!.port);
    await bia.ready;
    bia.send('NICK bia', 'USER bia 0 * :bia');
    await bia.expect(/ 437 \S+ bia :Nick\/channel is temporarily unavailable/);
    const web = await JsonClient.open(`ws://127.0.0.1:${a.address('http')!.port}`);
    web.send({ type: 'hello', nick: 'eva', lang: 'pt-BR', ref: 1 });
    const refused = await web.next((m) => m.type === 'error' && m.ref === 1);
    assert.equal(refused.code, 'CLUSTER_UNAVAILABLE');
    assert.equal(
      refused.text,
      'A rede está inacessível no momento: não dá para pegar um apelido nem entrar numa sala agora. Tente de novo.',
    );
    web.ws.close();
    line.socket.write('caio\n');
    await line.waitFor('! The nickname caio cannot be taken now: the network is unreachable. Try again in a moment.');

    await redis.start();
    await until(() => a.hub.bus.connected === true, 'the node sees Redis back');
    ana.send('JOIN #sala');
    await ana.expect(/ 366 ana #sala /);
    // The registry's own connection may come back a moment after the bus's: until then it still refuses.
    for (let i = 0; ; i++) {
      bia.send('NICK bia');
      if (/ 001 /.test(await bia.expect(/ (001|437) /))) break;
      assert.ok(i < 100, 'the nickname registry did not come back');
      await new Promise((r) => setTimeout(r, 50));
    }
    ana.close();
    bia.close();
    line.socket.destroy();
  });

  it('Redis restarted with nothing kept: the nodes take their leases and names again, and messages cross as before', async () => {
    const network = nodes.network();
    const a = await nodes.start(network, { nodeName: 'a' });
    const b = await nodes.start(network, { nodeName: 'b' });
    const ana = await RawClient.register(a.address('irc')!.port, 'ana');
    const bia = await RawClient.register(b.address('irc')!.port, 'bia');
    ana.send('JOIN #sala');
    await ana.expect(/ 366 ana #sala /);
    bia.send('JOIN #sala');
    await ana.expect(/^:bia!\S+ JOIN #sala$/);
    await redis.stop(); // SIGKILL, no persistence: leases, names and the stream are gone
    await until(() => a.hub.bus.connected === false && b.hub.bus.connected === false, 'both see Redis gone');
    await redis.start();
    await until(() => a.hub.bus.connected === true && b.hub.bus.connected === true, 'both see Redis back');
    const r = new Redis(redis.url);
    try {
      const leases = async () =>
        (await r.mget(`tomada:${network}:lease:${a.hub.bus.node}`, `tomada:${network}:lease:${b.hub.bus.node}`)).every(
          (v) => v !== null,
        );
      for (let i = 0; !(await leases()); i++) {
        if (i > 100) throw new Error('the leases were not taken again');
        await new Promise((done) => setTimeout(done, 50)); // the next renewal, within a second
      }
      assert.equal(await r.hget(`tomada:${network}:nodes`, String(a.hub.bus.node)), 'a');
      assert.equal(await r.get(`tomada:${network}:nick:ana`), `${a.hub.bus.node}:${a.hub.findUser('ana')!.id}`);
    } finally {
      r.disconnect();
    }
    ana.send('PRIVMSG #sala :depois do reinício');
    await bia.expect(/^:ana!\S+ PRIVMSG #sala :depois do reinício$/);
    // The name is taken again: a third process calling itself "a" is refused.
    await assert.rejects(nodes.start(network, { nodeName: 'a' }), /cluster\.nameInUse/);
    ana.close();
    bia.close();
  });
});
