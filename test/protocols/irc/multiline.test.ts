import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lineUser } from '../../helpers/wire.js';
import { RawClient } from './client.js';
import { ircSuite } from './suite.js';

const ML = ['draft/multiline', 'batch', 'message-tags', 'echo-message', 'labeled-response'];

describe('IRC draft/multiline', () => {
  const srv = ircSuite();
  const reg = async (nick: string, caps: string[] = []) => {
    const c = await RawClient.register(srv.port, nick, caps);
    srv.clients.push(c);
    c.send('JOIN #geral');
    await c.expect(new RegExp(` 366 ${nick} #geral `));
    return c;
  };

  it('advertises its limits, relays a batch as a batch, as lines without the capability, joined elsewhere', async () => {
    const probe = new RawClient(srv.port);
    srv.clients.push(probe);
    await probe.ready;
    probe.send('CAP LS 302');
    assert.match(await probe.expect(/ CAP \* LS /), / draft\/multiline=max-bytes=4096,max-lines=20( |$)/);
    const line = await lineUser(srv.server.address('line')!.port, 'terminal');
    srv.clients.push(line);
    const ana = await reg('ana', ML);
    const bia = await reg('bia', ['draft/multiline', 'batch', 'message-tags']);
    const caio = await reg('caio');
    ana.send(
      '@label=L1;+draft/reply=7 BATCH +x1 draft/multiline #geral',
      '@batch=x1 PRIVMSG #geral :primeira linha',
      '@batch=x1 PRIVMSG #geral :',
      '@batch=x1 PRIVMSG #geral :terceira, ',
      '@batch=x1;draft/multiline-concat PRIVMSG #geral :continuada',
      'BATCH -x1',
    );
    // The echo: one multiline batch, the label on its opening BATCH (no labeled-response batch around it).
    const open = await ana.expect(/ BATCH \+/);
    const m = /^@\S*msgid=(\d+)\S* :ana!\S+ BATCH \+(\S+) draft\/multiline #geral$/.exec(open);
    assert.ok(m, open);
    assert.match(open, /[@;]label=L1[; ]/);
    assert.match(open, /[@;]\+draft\/reply=7[; ]/);
    const id = m[2]!;
    const echo = await ana.collect(new RegExp(`BATCH -${id}$`));
    assert.deepEqual(
      echo.map((l) => l.replace(/(^| ):ana!\S+ /, '$1')),
      [
        `@batch=${id} PRIVMSG #geral :primeira linha`,
        `@batch=${id} PRIVMSG #geral :`,
        // The joined text is what is kept: a concatenated line comes back whole (split again only where
        // it is too long for one IRC line).
        `@batch=${id} PRIVMSG #geral :terceira, continuada`,
        `BATCH -${id}`,
      ],
    );
    // bia has the capability: the same batch, the message id on its opening line.
    const got = await bia.expect(/ BATCH \+/);
    assert.match(got, new RegExp(`msgid=${m[1]}.* :ana!\\S+ BATCH \\+\\S+ draft/multiline #geral$`));
    const lines = await bia.collect(/ BATCH -/);
    assert.equal(lines.filter((l) => / PRIVMSG #geral /.test(l)).length, 3);
    // caio has not: one PRIVMSG per line, the blank one left out.
    assert.match(await caio.expect(/ PRIVMSG #geral /), / PRIVMSG #geral :primeira linha$/);
    assert.match(await caio.expect(/ PRIVMSG #geral /), / PRIVMSG #geral :terceira, continuada$/);
    assert.ok(!caio.lines.some((l) => / BATCH /.test(l)));
    // The line door: the joined text on one line.
    await line.waitFor('ana: primeira linha  terceira, continuada\n');
    // History keeps the joined text, line feeds and all.
    const stored = await srv.server.hub.roomHistory('#geral', { limit: 1 });
    assert.equal(stored[0]!.text, 'primeira linha\n\nterceira, continuada');
    // A line longer than one IRC line is continued with draft/multiline-concat, nothing lost.
    const long = 'é'.repeat(245); // fits the client's line, not the relayed one
    ana.send(
      'BATCH +x0 draft/multiline #geral',
      `@batch=x0 PRIVMSG #geral :${long}`,
      '@batch=x0 PRIVMSG #geral :fim',
      'BATCH -x0',
    );
    const parts = await bia.collect(/ BATCH -/);
    const texts = parts.filter((l) => / PRIVMSG /.test(l));
    assert.equal(texts.length, 3, parts.join('\n'));
    assert.match(texts[1]!, /;draft\/multiline-concat /);
    assert.equal(
      texts
        .slice(0, 2)
        .map((l) => l.slice(l.indexOf(' :', l.indexOf('PRIVMSG')) + 2))
        .join(''),
      long,
    );
    await ana.expect(/ BATCH -/);
  });

  it('refuses a wrong target, too many lines or bytes, and stray batch lines, relaying nothing', async () => {
    const eva = await reg('eva', ML);
    const gil = await reg('gil');
    eva.send('BATCH +a draft/multiline #geral', '@batch=a PRIVMSG #outra :oi', 'BATCH -a');
    assert.equal(
      await eva.expect(/ FAIL /),
      ':tomada.local FAIL BATCH MULTILINE_INVALID_TARGET #geral #outra :Invalid multiline target',
    );
    // The batch is gone: its close is a stray.
    assert.match(await eva.expect(/ FAIL /), / FAIL BATCH MULTILINE_INVALID :Invalid multiline batch$/);
    eva.send(
      'BATCH +b draft/multiline #geral',
      ...Array.from({ length: 21 }, (_, i) => `@batch=b PRIVMSG #geral :${i}`),
    );
    assert.match(await eva.expect(/ FAIL /), / FAIL BATCH MULTILINE_MAX_LINES 20 :/);
    // The remaining lines of the refused batch are strays, one FAIL each at most; then BATCH -b is one too.
    eva.send('BATCH -b', 'BATCH +c draft/multiline #geral');
    eva.send(...Array.from({ length: 10 }, () => `@batch=c PRIVMSG #geral :${'x'.repeat(450)}`));
    assert.match(await eva.expect(/ MULTILINE_MAX_BYTES /), / FAIL BATCH MULTILINE_MAX_BYTES 4096 :/);
    eva.send('@batch=zz PRIVMSG #geral :perdida');
    await eva.expect(/ FAIL BATCH MULTILINE_INVALID /);
    eva.send('BATCH +d draft/multiline #geral', '@batch=d PRIVMSG #geral :', 'BATCH -d');
    await eva.expect(/ FAIL BATCH MULTILINE_INVALID /);
    eva.send('PRIVMSG #geral :depois');
    await gil.expect(/ PRIVMSG #geral :depois$/);
    assert.deepEqual(
      gil.lines.filter((l) => /^:eva!/.test(l) && / PRIVMSG /.test(l)),
      [':eva!eva@127.0.0.1 PRIVMSG #geral :depois'],
    );
    // Without the capability a client cannot open one.
    gil.send('BATCH +e draft/multiline #geral');
    await gil.expect(/ FAIL BATCH MULTILINE_INVALID /);
  });
});
