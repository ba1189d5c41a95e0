import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RawClient } from './client.js';
import { ircSuite } from './suite.js';

describe('STATUSMSG, invite exceptions (+I), no-CTCP (+C) and the mute extban (+b m:)', () => {
  const srv = ircSuite({ serverName: 'irc.test', history: 10 });
  const { reg } = srv;
  /** `op` creates `room`; the others join it. */
  const room = async (name: string, op: RawClient, ...others: RawClient[]) => {
    op.send(`JOIN ${name}`);
    await op.expect(new RegExp(` 366 \\S+ ${name} `));
    for (const o of others) {
      o.send(`JOIN ${name}`);
      await o.expect(new RegExp(` 366 \\S+ ${name} `));
    }
  };

  it('PRIVMSG @#room reaches its operators only, +#room its voices too; neither is kept in history', async () => {
    const op = await reg('op1');
    const voz = await reg('voz1');
    const povo = await reg('povo1');
    await room('#st', op, voz, povo);
    op.send('MODE #st +v voz1');
    await voz.expect(/MODE #st \+v voz1/);
    povo.send('PRIVMSG @#st :só para ops', 'PRIVMSG +#st :ops e vozes', 'PRIVMSG #st :todos');
    assert.equal(await op.expect(/só para ops/), ':povo1!povo1@127.0.0.1 PRIVMSG @#st :só para ops');
    assert.equal(await op.expect(/ops e vozes/), ':povo1!povo1@127.0.0.1 PRIVMSG +#st :ops e vozes');
    assert.equal(await voz.expect(/ops e vozes|só para ops/), ':povo1!povo1@127.0.0.1 PRIVMSG +#st :ops e vozes');
    await voz.expect(/todos/);
    assert.deepEqual(
      (await srv.server.hub.roomHistory('#st', { limit: 10 })).map((m) => m.text),
      ['todos'],
    );
    // TAGMSG honours STATUSMSG too.
    const tagger = await reg('tag1', ['message-tags']);
    const opTags = await reg('optag1', ['message-tags']);
    await room('#st2', opTags, tagger);
    tagger.send('@+typing=active TAGMSG @#st2');
    assert.match(await opTags.expect(/TAGMSG/), /^@msgid=\d+;\+typing=active :tag1!\S+ TAGMSG @#st2$/);
  });

  it('+I lets a matching mask into a +i room; MODE +I lists them (346, 347)', async () => {
    const op = await reg('op2');
    const amigo = await reg('amigo2');
    const outro = await reg('outro2');
    await room('#inv', op);
    op.send('MODE #inv +iI amigo2!*@*');
    assert.equal(await op.expect(/MODE #inv/), ':op2!op2@127.0.0.1 MODE #inv +iI amigo2!*@*');
    op.send('MODE #inv +I');
    const list = await op.collect(/ 347 /);
    assert.match(list[0]!, /^:irc\.test 346 op2 #inv amigo2!\*@\* op2 \d+$/);
    assert.equal(list[1], ':irc.test 347 op2 #inv :End of channel invite list');
    amigo.send('JOIN #inv');
    await amigo.expect(/ 366 amigo2 #inv /);
    outro.send('JOIN #inv');
    await outro.expect(/ 473 outro2 #inv /);
    op.send('MODE #inv');
    assert.match(await op.expect(/ 324 /), / 324 op2 #inv \+int$/);
  });

  it('+C refuses CTCP other than ACTION with 404', async () => {
    const op = await reg('op3');
    const fala = await reg('fala3');
    await room('#ctcp', op, fala);
    op.send('MODE #ctcp +C');
    await fala.expect(/MODE #ctcp \+C/);
    fala.send('PRIVMSG #ctcp :\x01VERSION\x01');
    assert.equal(await fala.expect(/ 404 /), ':irc.test 404 fala3 #ctcp :Cannot send to channel (+C)');
    fala.send('PRIVMSG #ctcp :\x01ACTION acena\x01', 'NOTICE #ctcp :\x01PING 1\x01', 'PRIVMSG #ctcp :ok');
    assert.equal(await op.expect(/acena|PING|ok/), ':fala3!fala3@127.0.0.1 PRIVMSG #ctcp :\x01ACTION acena\x01');
    assert.equal(await op.expect(/PING|ok/), ':fala3!fala3@127.0.0.1 PRIVMSG #ctcp :ok');
    op.send('MODE #ctcp');
    assert.match(await op.expect(/ 324 /), / 324 op3 #ctcp \+ntC$/);
  });

  it('+b m:mask mutes: the user may join but not speak; voices and ops pass; listed with the bans', async () => {
    const op = await reg('op4');
    const mudo = await reg('mudo4');
    await room('#mute', op);
    op.send('MODE #mute +b m:mudo4!*@*');
    assert.equal(await op.expect(/MODE #mute/), ':op4!op4@127.0.0.1 MODE #mute +b m:mudo4!*@*');
    mudo.send('JOIN #mute');
    await mudo.expect(/ 366 mudo4 #mute /);
    mudo.send('PRIVMSG #mute :posso falar?');
    assert.equal(await mudo.expect(/ 404 /), ':irc.test 404 mudo4 #mute :Cannot send to channel');
    op.send('MODE #mute +b');
    assert.match(await op.expect(/ 367 /), /^:irc\.test 367 op4 #mute m:mudo4!\*@\* op4 \d+$/);
    await op.expect(/ 368 /);
    op.send('MODE #mute +v mudo4');
    await mudo.expect(/MODE #mute \+v mudo4/);
    mudo.send('PRIVMSG #mute :agora sim');
    await op.expect(/agora sim/);
    op.send('MODE #mute -vb mudo4 m:mudo4!*@*');
    assert.equal(await mudo.expect(/MODE #mute -/), ':op4!op4@127.0.0.1 MODE #mute -vb mudo4 m:mudo4!*@*');
    mudo.send('PRIVMSG #mute :livre');
    await op.expect(/livre/);
  });
});
