import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ircSuite } from './suite.js';

const ALL = [
  'message-tags',
  'server-time',
  'echo-message',
  'batch',
  'labeled-response',
  'multi-prefix',
  'userhost-in-names',
  'setname',
  'away-notify',
];
const ISO = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z';

describe('IRCv3 capabilities', () => {
  const srv = ircSuite({ serverName: 'irc.test', history: 5 });
  const { reg } = srv;

  it('server-time, msgid and echo-message carry the same id to sender and receiver', async () => {
    const a = await reg('tagger', ALL);
    const b = await reg('plain');
    const c = await reg('timed', ['server-time']);
    for (const x of [a, b, c]) x.send('JOIN #v3');
    await a.expect(/ 366 tagger #v3/);
    await b.expect(/ 366 plain #v3/);
    await c.expect(/ 366 timed #v3/);
    a.send('PRIVMSG #v3 :com tags');
    const echo = await a.expect(/PRIVMSG #v3 :com tags$/);
    const m = new RegExp(`^@time=(${ISO});msgid=(\\d+) :tagger!tagger@127\\.0\\.0\\.1 PRIVMSG #v3 :com tags$`).exec(
      echo,
    );
    assert.ok(m, echo);
    assert.equal(await b.expect(/com tags/), ':tagger!tagger@127.0.0.1 PRIVMSG #v3 :com tags');
    assert.equal(await c.expect(/com tags/), `@time=${m[1]} :tagger!tagger@127.0.0.1 PRIVMSG #v3 :com tags`);
  });

  it('labeled-response: ACK for no reply, the label on one reply, a batch for several', async () => {
    const a = await reg('labels', ALL);
    a.send('@label=l1 PONG x');
    assert.equal(await a.expect(/ACK/), '@label=l1 :irc.test ACK');
    a.send('@label=l2 PING tok');
    assert.equal(await a.expect(/PONG/), '@label=l2 :irc.test PONG irc.test :tok');
    a.send('@label=l3 WHOIS labels');
    assert.match(await a.expect(/BATCH \+/), /^@label=l3 :irc\.test BATCH \+(\S+) labeled-response$/);
    assert.match(await a.expect(/ 311 /), /^@batch=\S+ :irc\.test 311 labels /);
    await a.expect(/^:irc\.test BATCH -\S+$/);
    a.send('@label=l4 JOIN #lab');
    await a.expect(/^@label=l4 :irc\.test BATCH \+\S+ labeled-response$/);
    assert.match(await a.expect(/JOIN #lab/), /^@time=\S+;batch=\S+ :labels!labels@127\.0\.0\.1 JOIN #lab$/);
  });

  it('history: a chathistory batch with server-time on join, plain lines for plain clients', async () => {
    const a = await reg('talker');
    a.send('JOIN #hist');
    await a.expect(/ 366 talker #hist/);
    for (let i = 1; i <= 7; i++) a.send(`PRIVMSG #hist :msg ${i}`);
    a.send('PING :sync');
    await a.expect(/PONG/);
    const b = await reg('batcher', ['batch', 'server-time']);
    b.send('JOIN #hist');
    await b.expect(/ 366 batcher #hist/);
    const start = await b.expect(/BATCH \+/);
    const id = /BATCH \+(\S+) chathistory #hist$/.exec(start)?.[1];
    assert.ok(id, start);
    const lines = await b.collect(/BATCH -/);
    assert.equal(lines.length, 6);
    assert.match(
      lines[0]!,
      new RegExp(`^@time=${ISO};batch=${id} :talker!talker@127\\.0\\.0\\.1 PRIVMSG #hist :msg 3$`),
    );
    assert.match(lines[4]!, / :msg 7$/);
    const p = await reg('plainhist');
    p.send('JOIN #hist');
    await p.expect(/ 366 plainhist #hist/);
    assert.equal(await p.expect(/msg 3/), ':talker!talker@127.0.0.1 PRIVMSG #hist :msg 3');
  });

  it('draft/chathistory: LATEST, BEFORE, AFTER, BETWEEN, AROUND and FAIL', async () => {
    const a = await reg('historian', ['draft/chathistory', 'batch', 'server-time', 'message-tags']);
    a.send('JOIN #hist');
    await a.expect(/ 366 historian #hist/);
    const texts = (lines: string[]) => lines.filter((l) => l.includes('PRIVMSG')).map((l) => l.split(' :').pop());
    a.send('CHATHISTORY LATEST #hist * 3');
    await a.expect(/BATCH \+\S+ chathistory #hist/);
    const latest = await a.collect(/BATCH -/);
    assert.deepEqual(texts(latest), ['msg 5', 'msg 6', 'msg 7']);
    const msgid5 = /msgid=(\d+)/.exec(latest[0]!)![1];
    a.send(`CHATHISTORY BEFORE #hist msgid=${msgid5} 2`);
    await a.expect(/BATCH \+/);
    assert.deepEqual(texts(await a.collect(/BATCH -/)), ['msg 3', 'msg 4']);
    a.send(`CHATHISTORY AFTER #hist msgid=${msgid5} 10`);
    await a.expect(/BATCH \+/);
    assert.deepEqual(texts(await a.collect(/BATCH -/)), ['msg 6', 'msg 7']);
    a.send(`CHATHISTORY AROUND #hist msgid=${msgid5} 3`);
    await a.expect(/BATCH \+/);
    assert.deepEqual(texts(await a.collect(/BATCH -/)), ['msg 4', 'msg 5', 'msg 6']);
    a.send(`CHATHISTORY BETWEEN #hist msgid=${Number(msgid5) + 2} msgid=${Number(msgid5) - 3} 10`);
    await a.expect(/BATCH \+/);
    assert.deepEqual(texts(await a.collect(/BATCH -/)), ['msg 3', 'msg 4', 'msg 5', 'msg 6']);
    a.send(`CHATHISTORY AFTER #hist timestamp=2000-01-01T00:00:00.000Z 1`);
    await a.expect(/BATCH \+/);
    assert.deepEqual(texts(await a.collect(/BATCH -/)), ['msg 1']);
    a.send('CHATHISTORY LATEST #hist bogus 3');
    await a.expect(/^:irc\.test FAIL CHATHISTORY INVALID_PARAMS LATEST bogus :Invalid message reference$/);
    a.send('CHATHISTORY NONSENSE #hist');
    await a.expect(/FAIL CHATHISTORY UNKNOWN_COMMAND NONSENSE/);
    a.send('CHATHISTORY BEFORE #hist');
    await a.expect(/FAIL CHATHISTORY NEED_MORE_PARAMS BEFORE/);
  });

  it('setname and cap-notify', async () => {
    const a = await reg('renamer', ['setname']);
    const b = await reg('watcher', ['setname']);
    a.send('JOIN #sn');
    await a.expect(/ 366 /);
    b.send('JOIN #sn');
    await b.expect(/ 366 /);
    a.send('SETNAME :Novo Nome');
    await a.expect(/^:renamer!renamer@127\.0\.0\.1 SETNAME :Novo Nome$/);
    await b.expect(/^:renamer!renamer@127\.0\.0\.1 SETNAME :Novo Nome$/);
    b.send('CAP LIST');
    assert.match(await b.expect(/CAP watcher LIST/), /cap-notify/);
  });

  it('message-tags: tags longer than 8191 bytes get 417; the connection stays', async () => {
    const a = await reg('bigtags', ['message-tags']);
    a.send(`@+x=${'a'.repeat(8200)} TAGMSG #x`);
    await a.expect(/ 417 bigtags :Input line was too long/);
    a.send('PING :still');
    await a.expect(/PONG irc\.test :still/);
  });
});
