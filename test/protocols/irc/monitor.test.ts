import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RawClient } from './client.js';
import { ircSuite } from './suite.js';

describe('MONITOR and extended-monitor (IRCv3)', () => {
  const srv = ircSuite();
  const client = async (nick: string, caps: string[] = []) => {
    const c = await RawClient.register(srv.port, nick, caps);
    srv.clients.push(c);
    return c;
  };

  it('advertises MONITOR=100 and extended-monitor', async () => {
    const c = new RawClient(srv.port);
    srv.clients.push(c);
    await c.ready;
    c.send('CAP LS 302');
    assert.match(await c.expect(/ CAP \* LS /), /extended-monitor/);
    c.send('CAP END', 'NICK isu', 'USER isu 0 * :i');
    assert.match(await c.expect(/ 005 .*MONITOR=/), / MONITOR=100 /);
  });

  it('says who is online and offline, then tells of sign-on, nick changes and quits', async () => {
    const ana = await client('ana');
    ana.send('MONITOR + Bia,cid');
    assert.match(await ana.expect(/ 731 /), /^:tomada\.local 731 ana :?Bia,cid$/);
    const bia = await client('bia');
    assert.match(await ana.expect(/ 730 /), /^:\S+ 730 ana :?bia!bia@127\.0\.0\.1$/);
    bia.send('NICK bea');
    assert.match(await ana.expect(/ 731 /), / 731 ana :?bia$/);
    bia.send('NICK BIA');
    assert.match(await ana.expect(/ 730 /), / 730 ana :?BIA!bia@127\.0\.0\.1$/);
    ana.send('MONITOR L');
    const listed = await ana.collect(/ 733 /);
    assert.deepEqual(
      listed.filter((l) => / 73[23] /.test(l)).map((l) => l.replace(/^:\S+ /, '')),
      ['732 ana Bia,cid', '733 ana :End of MONITOR list'],
    );
    ana.send('MONITOR S');
    assert.match(await ana.expect(/ 730 /), / 730 ana :?BIA!bia@127\.0\.0\.1$/);
    assert.match(await ana.expect(/ 731 /), / 731 ana :?cid$/);
    bia.send('QUIT :tchau');
    assert.match(await ana.expect(/ 731 /), / 731 ana :?BIA$/);
    // Removed, then nothing more is said of it.
    ana.send('MONITOR - cid', 'MONITOR L');
    const after = await ana.collect(/ 733 /);
    assert.ok(
      after.some((l) => / 732 ana :?Bia$/.test(l)),
      after.join('\n'),
    );
    ana.send('MONITOR C', 'MONITOR L');
    const cleared = await ana.collect(/ 733 /);
    assert.ok(!cleared.some((l) => / 732 /.test(l)), cleared.join('\n'));
    const cid = await client('cid');
    ana.send('PING :sentinela');
    const upTo = await ana.collect(/PONG .*sentinela/);
    assert.ok(!upTo.some((l) => / 730 /.test(l)), 'a cleared list says nothing');
    cid.send('QUIT');
  });

  it('answers 734 past the limit, with the targets that did not fit', async () => {
    const dan = await client('dan');
    const names = Array.from({ length: 100 }, (_, i) => `n${i}`);
    for (let i = 0; i < names.length; i += 20) dan.send(`MONITOR + ${names.slice(i, i + 20).join(',')}`);
    dan.send('MONITOR + extra1,extra2');
    assert.match(await dan.expect(/ 734 /), / 734 dan 100 extra1,extra2 :Monitor list is full\.$/);
  });

  it('extended-monitor: away and realname changes of a watched user who shares no room', async () => {
    const eva = await client('eva', ['extended-monitor', 'away-notify', 'setname']);
    const plain = await client('fia', ['away-notify']);
    eva.send('MONITOR + gil');
    plain.send('MONITOR + gil');
    await eva.expect(/ 731 /);
    await plain.expect(/ 731 /);
    const gil = await client('gil', ['setname']);
    await eva.expect(/ 730 /);
    gil.send('AWAY :almoço', 'SETNAME :Gil Gomes');
    assert.match(await eva.expect(/ AWAY /), /^:gil!gil@127\.0\.0\.1 AWAY :almoço$/);
    assert.match(await eva.expect(/ SETNAME /), /^:gil!gil@127\.0\.0\.1 SETNAME :Gil Gomes$/);
    // Without extended-monitor, MONITOR says only online and offline.
    plain.send('PING :sentinela');
    const seen = await plain.collect(/PONG .*sentinela/);
    assert.ok(!seen.some((l) => / AWAY /.test(l)), seen.join('\n'));
    // Sharing a room, the room's own notice is the only one (not two).
    eva.send('JOIN #sala');
    gil.send('JOIN #sala');
    await eva.expect(/gil\S* JOIN/);
    gil.send('AWAY');
    await eva.expect(/ AWAY$/);
    eva.send('PING :fim');
    const rest = await eva.collect(/PONG .*fim/);
    assert.ok(!rest.some((l) => / AWAY/.test(l)), rest.join('\n'));
  });
});
