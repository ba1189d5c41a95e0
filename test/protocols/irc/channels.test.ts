import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ircSuite } from './suite.js';

describe('IRC channels and messages', () => {
  const srv = ircSuite({ serverName: 'irc.test' });
  const { reg } = srv;

  it('JOIN: first joiner is operator; topic, NAMES and the JOIN reach members', async () => {
    const a = await reg('ana');
    const b = await reg('bia');
    a.send('JOIN #sala,#outra');
    await a.expect(/^:ana!ana@127\.0\.0\.1 JOIN #sala$/);
    await a.expect(/^:irc\.test 353 ana = #sala :?@ana$/);
    await a.expect(/^:irc\.test 366 ana #sala :End of \/NAMES list$/);
    await a.expect(/ 366 ana #outra /);
    a.send('TOPIC #sala :Bem-vindos');
    await a.expect(/^:ana!ana@127\.0\.0\.1 TOPIC #sala :Bem-vindos$/);
    b.send('JOIN #SALA');
    await b.expect(/^:bia!bia@127\.0\.0\.1 JOIN #sala$/);
    await b.expect(/^:irc\.test 332 bia #sala :?Bem-vindos$/);
    await b.expect(/^:irc\.test 333 bia #sala ana \d+$/);
    await b.expect(/^:irc\.test 353 bia = #sala :@ana bia$/);
    await a.expect(/^:bia!bia@127\.0\.0\.1 JOIN #sala$/);
    b.send('PRIVMSG #sala :olá a todos', 'NOTICE #sala :aviso');
    await a.expect(/^:bia!bia@127\.0\.0\.1 PRIVMSG #sala :olá a todos$/);
    await a.expect(/^:bia!bia@127\.0\.0\.1 NOTICE #sala :aviso$/);
    a.send('PRIVMSG bia :\x01ACTION acena\x01');
    assert.equal(await b.expect(/ACTION acena/), ':ana!ana@127.0.0.1 PRIVMSG bia :\x01ACTION acena\x01');
    b.send('TOPIC #sala :nova');
    await b.expect(/ 482 bia #sala :You're not channel operator/);
    b.send('TOPIC #sala');
    await b.expect(/ 332 bia #sala :?Bem-vindos/);
    b.send('PART #sala :tchau');
    await a.expect(/^:bia!bia@127\.0\.0\.1 PART #sala :tchau$/);
    b.send('PART #sala');
    await b.expect(/ 442 bia #sala :You're not on that channel/);
    a.send('JOIN 0');
    await a.expect(/^:ana!ana@127\.0\.0\.1 PART #(sala|outra)$/);
    await a.expect(/^:ana!ana@127\.0\.0\.1 PART #(sala|outra)$/);
  });

  it('MODE: keys, limits, invite-only, bans, moderation, voice and op, with their numerics', async () => {
    const op = await reg('dono');
    const u = await reg('user1');
    op.send('JOIN #m');
    await op.expect(/ 366 dono #m /);
    op.send('MODE #m');
    await op.expect(/^:irc\.test 324 dono #m \+nt$/);
    op.send('MODE #m +kl senha 1');
    await op.expect(/^:dono!dono@127\.0\.0\.1 MODE #m \+kl senha 1$/);
    u.send('JOIN #m');
    await u.expect(/ 475 user1 #m :Cannot join channel \(\+k\)/);
    u.send('JOIN #m senha');
    await u.expect(/ 471 user1 #m :Cannot join channel \(\+l\)/);
    op.send('MODE #m -kl+i *');
    await op.expect(/ MODE #m -kl\+i/);
    u.send('JOIN #m');
    await u.expect(/ 473 user1 #m :Cannot join channel \(\+i\)/);
    op.send('INVITE user1 #m');
    await op.expect(/^:irc\.test 341 dono user1 #m$/);
    await u.expect(/^:dono!dono@127\.0\.0\.1 INVITE user1 #m$/);
    u.send('JOIN #m');
    await op.expect(/user1!user1@127\.0\.0\.1 JOIN #m/);
    op.send('INVITE user1 #m');
    await op.expect(/ 443 dono user1 #m :is already on channel/);
    op.send('MODE #m +m');
    await op.expect(/ MODE #m \+m$/);
    u.send('PRIVMSG #m :posso?');
    await u.expect(/ 404 user1 #m :Cannot send to channel/);
    op.send('MODE #m +v user1');
    await u.expect(/^:dono!dono@127\.0\.0\.1 MODE #m \+v user1$/);
    u.send('PRIVMSG #m :agora sim');
    await op.expect(/PRIVMSG #m :agora sim/);
    u.send('MODE #m +o user1');
    await u.expect(/ 482 user1 #m /);
    op.send('MODE #m +z');
    await op.expect(/ 472 dono z :is unknown mode char to me/);
    op.send('MODE #m +o ghost');
    await op.expect(/ 401 dono ghost /);
    op.send('MODE #m +b user1', 'MODE #m +b');
    await op.expect(/ MODE #m \+b user1!\*@\*$/);
    await op.expect(/^:irc\.test 367 dono #m user1!\*@\* dono \d+$/);
    await op.expect(/ 368 dono #m /);
    op.send('KICK #m user1 :fora');
    await u.expect(/^:dono!dono@127\.0\.0\.1 KICK #m user1 :fora$/);
    op.send('MODE #m -i');
    await op.expect(/MODE #m -i/);
    u.send('JOIN #m');
    await u.expect(/ 474 user1 #m :Cannot join channel \(\+b\)/);
    op.send('KICK #m user1');
    await op.expect(/ 441 dono user1 #m :They aren't on that channel/);
    op.send('KICK #m');
    await op.expect(/ 461 dono KICK :Not enough parameters/);
  });

  it('user modes, NAMES with multi-prefix and userhost-in-names, LIST', async () => {
    const a = await reg('multi', ['multi-prefix', 'userhost-in-names']);
    a.send('MODE multi +i', 'MODE multi');
    await a.expect(/^:multi!multi@127\.0\.0\.1 MODE multi \+i$/);
    await a.expect(/ 221 multi \+i$/);
    a.send('MODE ana +i');
    await a.expect(/ 502 multi /);
    a.send('MODE multi +x');
    await a.expect(/ 501 multi /);
    a.send('JOIN #mp', 'MODE #mp +v multi', 'NAMES #mp');
    await a.expect(/ 353 multi = #mp :?@\+multi!multi@127\.0\.0\.1$/);
    a.send('TOPIC #mp :assunto', 'LIST');
    await a.expect(/^:irc\.test 322 multi #mp 1 :\[\+nt\] assunto$/);
    await a.expect(/ 323 multi :End of \/LIST/);
    // ELIST=U: filters by the number of users.
    a.send('LIST >1', 'LIST <2');
    const more = await a.collect(/ 323 multi /);
    assert.ok(!more.some((l) => / 322 multi #mp /.test(l)), more.join('\n'));
    await a.expect(/ 322 multi #mp 1 /);
    await a.expect(/ 323 multi /);
  });

  it('message errors: 401, 403, 404, 411, 412, and NOTICE never gets one', async () => {
    const a = await reg('errs');
    a.send('PRIVMSG nobody :hi');
    await a.expect(/ 401 errs nobody :No such nick\/channel/);
    a.send('PRIVMSG #nowhere :hi');
    await a.expect(/ 403 errs #nowhere :No such channel/);
    a.send('PRIVMSG');
    await a.expect(/ 411 errs :No recipient given \(PRIVMSG\)/);
    a.send('PRIVMSG errs');
    await a.expect(/ 412 errs :No text to send/);
    a.send('JOIN bad', 'PART #nowhere', 'TOPIC #nowhere', 'INVITE errs #nowhere', 'NAMES #nowhere');
    await a.expect(/ 403 errs bad /);
    await a.expect(/ 403 errs #nowhere /);
    await a.expect(/ 403 errs #nowhere /);
    await a.expect(/ 403 errs #nowhere /);
    await a.expect(/ 366 errs #nowhere /);
    const b = await reg('outsider');
    a.send('JOIN #closed');
    await a.expect(/ 366 errs #closed /);
    b.send('PRIVMSG #closed :knock', 'NOTICE #closed :knock', 'NOTICE nobody :x', 'PING :done');
    await b.expect(/ 404 outsider #closed /);
    const rest = await b.collect(/PONG/);
    assert.deepEqual(rest, [':irc.test PONG irc.test :done']);
  });

  it('AWAY, WHOIS, WHOWAS, WHO, ISON, USERHOST, and the server queries', async () => {
    const a = await reg('quem');
    const b = await reg('ausente', ['away-notify']);
    a.send('JOIN #w');
    await a.expect(/ 366 quem #w /);
    b.send('JOIN #w');
    await b.expect(/ 366 ausente #w /);
    a.send('AWAY :almoço');
    await a.expect(/ 306 quem :You have been marked as being away/);
    await b.expect(/^:quem!quem@127\.0\.0\.1 AWAY :almoço$/);
    b.send('PRIVMSG quem :oi');
    await b.expect(/ 301 ausente quem :?almoço/);
    b.send('WHOIS quem');
    await b.expect(/ 311 ausente quem quem 127\.0\.0\.1 \* :Real quem/);
    await b.expect(/ 319 ausente quem :?@#w/);
    await b.expect(/ 301 ausente quem :?almoço/);
    await b.expect(/ 318 ausente quem /);
    b.send('WHOIS ninguem');
    await b.expect(/ 401 ausente ninguem /);
    await b.expect(/ 318 ausente ninguem /);
    b.send('WHO #w');
    await b.expect(/ 352 ausente #w quem 127\.0\.0\.1 irc\.test quem G@ :0 Real quem/);
    await b.expect(/ 315 ausente #w :End of WHO list/);
    b.send('ISON quem ninguem ausente', 'USERHOST quem');
    await b.expect(/ 303 ausente :?quem ausente$/);
    await b.expect(/ 302 ausente :?quem=-quem@127\.0\.0\.1$/);
    a.send('AWAY');
    await a.expect(/ 305 quem /);
    await b.expect(/^:quem!quem@127\.0\.0\.1 AWAY$/);
    a.send('NICK quem2');
    await b.expect(/NICK quem2/);
    b.send('WHOWAS quem', 'WHOWAS nunca');
    await b.expect(/ 314 ausente quem quem 127\.0\.0\.1 \* :Real quem/);
    await b.expect(/ 369 ausente quem /);
    await b.expect(/ 406 ausente nunca :There was no such nickname/);
    b.send('VERSION', 'TIME', 'INFO', 'ADMIN', 'LUSERS', 'MOTD', 'VERSION other.server');
    await b.expect(/ 351 ausente tomada-\S+ irc\.test /);
    await b.expect(/ 391 ausente irc\.test /);
    await b.expect(/ 374 ausente /);
    await b.expect(/ 256 ausente /);
    await b.expect(/ 251 ausente /);
    await b.expect(/ 376 ausente /);
    await b.expect(/ 402 ausente other\.server :No such server/);
  });

  it('TOO_MANY_ROOMS is 405', async () => {
    const a = await reg('joiner');
    a.send(
      Array.from({ length: 51 }, (_, i) => `#r${i}`)
        .join(',')
        .replace(/^/, 'JOIN '),
    );
    await a.expect(/ 405 joiner #r50 :You have joined too many channels/, 10000);
  });
});
