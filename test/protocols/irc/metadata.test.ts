import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RawClient } from './client.js';
import { ircSuite } from './suite.js';

const META = ['draft/metadata-2', 'batch'];

describe('IRC metadata (draft/metadata-2)', () => {
  const srv = ircSuite({ serverName: 'irc.test', line: null });
  const { reg } = srv;

  it('advertises its limits; SET answers 761; subscribers in a shared room are told, others not', async () => {
    const probe = new RawClient(srv.port);
    srv.clients.push(probe);
    await probe.ready;
    probe.send('CAP LS 302');
    assert.match(
      await probe.expect(/ CAP \* LS /),
      / draft\/metadata-2=max-subs=20,max-keys=10,max-value-bytes=300,maxsub=20,maxkey=10( |$)/,
    );
    const ana = await reg('ana', META);
    // On connection: the (empty) batch of the client's own stored metadata.
    assert.ok(
      ana.lines.some((l) => / BATCH \+\S+ metadata$/.test(l)),
      ana.lines.join('\n'),
    );
    const bia = await reg('bia', META);
    const caio = await reg('caio', META);
    const semcap = await reg('semcap');
    for (const c of [ana, bia, caio, semcap]) c.send('JOIN #meta');
    await semcap.expect(/ 366 semcap #meta /);
    bia.send('METADATA * SUB display-name Avatar $ruim');
    assert.match(await bia.expect(/ FAIL /), / FAIL METADATA KEY_INVALID \$ruim :Invalid key$/);
    assert.equal(await bia.expect(/ 770 /), ':irc.test 770 bia :display-name avatar');
    bia.send('METADATA * SUBS');
    assert.equal(await bia.expect(/ 772 /), ':irc.test 772 bia :display-name avatar');
    ana.send('METADATA * SET display-name :Ana Maria');
    assert.equal(await ana.expect(/ 761 /), ':irc.test 761 ana ana display-name * :Ana Maria');
    assert.equal(await bia.expect(/ METADATA /), ':irc.test METADATA ana display-name * :Ana Maria');
    ana.send('METADATA * SET avatar :https://example.test/ana.png');
    assert.equal(await ana.expect(/ 761 /), ':irc.test 761 ana ana avatar * https://example.test/ana.png');
    assert.equal(await bia.expect(/ METADATA /), ':irc.test METADATA ana avatar * :https://example.test/ana.png');
    // caio did not subscribe, semcap has no capability: neither hears of it.
    for (const c of [caio, semcap]) {
      c.send('PING :fim');
      await c.expect(/ PONG .*fim/);
      assert.ok(!c.lines.some((l) => / METADATA ana /.test(l)), c.lines.join('\n'));
    }
    // But anyone may ask: GET (in a metadata batch), LIST.
    caio.send('METADATA ana GET display-name website');
    const got = await caio.collect(/ BATCH -/);
    assert.ok(
      got.some((l) => / 761 caio ana display-name \* :Ana Maria$/.test(l)),
      got.join('\n'),
    );
    assert.ok(
      got.some((l) => / 766 caio ana website :No matching key$/.test(l)),
      got.join('\n'),
    );
    assert.match(got[0]!, /BATCH \+\S+ metadata$/);
    caio.send('METADATA ana LIST');
    const listed = await caio.collect(/ BATCH -/);
    assert.equal(listed.filter((l) => / 761 caio ana /.test(l)).length, 2);
    // Removing: 761 without a value, subscribers told; removing what is not set: 768.
    ana.send('METADATA * SET avatar');
    assert.equal(await ana.expect(/ 761 /), ':irc.test 761 ana ana avatar *');
    assert.equal(await bia.expect(/ METADATA /), ':irc.test METADATA ana avatar :*');
    ana.send('METADATA * SET avatar');
    assert.equal(await ana.expect(/ 768 /), ':irc.test 768 ana ana avatar :Key not set');
  });

  it('on joining a room, the members’ subscribed keys; SYNC; refusals as standard replies', async () => {
    const dani = await reg('dani', META);
    dani.send('METADATA * SET display-name :Daniela', 'JOIN #sync');
    await dani.expect(/ 366 dani #sync /);
    const eva = await reg('eva', META);
    eva.send('METADATA * SUB display-name', 'JOIN #sync');
    const joined = await eva.collect(/ BATCH -/);
    assert.ok(joined.some((l) => / 366 eva #sync /.test(l)));
    assert.ok(
      joined.some((l) => /batch=\S+ :irc\.test METADATA dani display-name \* :Daniela$/.test(l)),
      joined.join('\n'),
    );
    // WHOIS shows the display name and avatar (760) to clients with the capability.
    eva.send('WHOIS dani');
    assert.equal(await eva.expect(/ 760 /), ':irc.test 760 eva dani display-name * Daniela');
    eva.send('METADATA #sync SYNC');
    const synced = await eva.collect(/ BATCH -/);
    assert.ok(synced.some((l) => / METADATA dani display-name \* :Daniela$/.test(l)));
    eva.send('METADATA dani SET display-name :Outra');
    assert.equal(
      await eva.expect(/ FAIL /),
      ':irc.test FAIL METADATA KEY_NO_PERMISSION dani display-name :Permission denied',
    );
    eva.send('METADATA ninguem GET x');
    assert.equal(await eva.expect(/ FAIL /), ':irc.test FAIL METADATA INVALID_TARGET ninguem :Invalid target');
    eva.send(`METADATA * SET avatar :${'x'.repeat(301)}`);
    assert.match(await eva.expect(/ FAIL /), / FAIL METADATA VALUE_INVALID :/);
    eva.send('METADATA * QUEBRA');
    assert.match(await eva.expect(/ FAIL /), / FAIL METADATA SUBCOMMAND_INVALID QUEBRA :/);
    for (let i = 0; i < 10; i++) eva.send(`METADATA * SET k${i} :v`);
    eva.send('METADATA * SET k10 :v');
    assert.match(await eva.expect(/ FAIL /), / FAIL METADATA LIMIT_REACHED eva :Metadata limit reached$/);
    eva.send(`METADATA * SUB ${Array.from({ length: 25 }, (_, i) => `s${i}`).join(' ')}`);
    assert.match(await eva.expect(/ FAIL /), / FAIL METADATA TOO_MANY_SUBS s19 :/);
    eva.send('METADATA * CLEAR');
    const cleared = await eva.collect(/ BATCH -/);
    assert.equal(cleared.filter((l) => / 761 eva eva k\d /.test(l)).length, 10);
    assert.equal(srv.server.hub.findUser('eva')!.metadata, undefined);
  });
});
