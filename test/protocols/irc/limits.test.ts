import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RawClient, startTestServer } from './client.js';
import { ircSuite } from './suite.js';

describe('IRC limits and bad input', () => {
  const srv = ircSuite({
    serverName: 'irc.test',
    limits: {
      registrationTimeoutSecs: 1,
      pingIntervalSecs: 1,
      pingTimeoutSecs: 1,
      floodRate: 10,
      floodBurst: 5,
      floodQueue: 30,
      maxPerIp: 6,
    },
  });
  const open = async () => {
    const c = new RawClient(srv.port);
    srv.clients.push(c);
    await c.ready;
    return c;
  };

  it('works when the input arrives one byte at a time, and keeps UTF-8 whole', async () => {
    const c = await open();
    const bytes = Buffer.from('NICK lento\r\nUSER l 0 * :Lento Ç\r\nJOIN #devagar\nPRIVMSG #devagar :ação ✓\r\n');
    for (const b of bytes) c.socket.write(Buffer.from([b]));
    await c.expect(/ 001 lento /);
    await c.expect(/ 366 lento #devagar /);
    c.send('WHOIS lento');
    await c.expect(/ 311 lento lento l 127\.0\.0\.1 \* :Lento Ç$/);
    c.close();
  });

  it('nothing smuggles CR, LF or NUL to others', async () => {
    const a = await RawClient.register(srv.port, 'alvo');
    const b = await RawClient.register(srv.port, 'fonte');
    srv.clients.push(a, b);
    b.send('PRIVMSG alvo :um\rQUIT :x\0dois');
    const got = await a.expect(/PRIVMSG alvo/);
    assert.equal(got, ':fonte!fonte@127.0.0.1 PRIVMSG alvo :um QUIT :x dois');
    a.close();
    b.close();
  });

  it('a body over 512 bytes, or a line over 512 + 8191 bytes, gets 417 and the connection stays', async () => {
    const c = await RawClient.register(srv.port, 'longo');
    srv.clients.push(c);
    c.send(`PRIVMSG longo :${'x'.repeat(500)}`);
    await c.expect(/^:irc\.test 417 longo :Input line was too long$/);
    const d = await open();
    d.socket.write(Buffer.alloc(10_000, 'a'));
    await d.expect(/^:irc\.test 417 \* :Input line was too long$/);
    d.socket.write('\r\nNICK depois\r\nUSER d 0 * :D\r\n');
    await d.expect(/ 001 depois /);
  });

  it('an HTTP request gets a one-line explanation', async () => {
    const c = await open();
    c.send('GET / HTTP/1.1', 'Host: localhost', '');
    await c.waitClosed();
    assert.equal(c.lines[0], 'HTTP/1.0 400 Bad Request');
    assert.match(c.lines.at(-1)!, /^This is an IRC server \(tomada\); connect with an IRC client/);
  });

  it('closes a connection that does not register in time', async () => {
    const c = await open();
    c.send('NICK devagar');
    await c.expect(/^ERROR :Closing Link: 127\.0\.0\.1 \(Registration timed out\)$/, 3000);
    await c.waitClosed();
  });

  it('closes after too many lines before registration', async () => {
    // Generous flood limits, so the registration limit is the one that closes.
    const { server: s2, port: p2 } = await startTestServer({
      line: null,
      limits: { floodBurst: 1000, floodQueue: 1000 },
    });
    const c = new RawClient(p2);
    try {
      await c.ready;
      c.socket.write('CAP LS\r\n'.repeat(301));
      await c.expect(/^ERROR .*Too many lines before registration/);
      await c.waitClosed();
      assert.equal(c.lines.filter((l) => / CAP \* LS /.test(l)).length, 300);
    } finally {
      c.close();
      await s2.close();
    }
  });

  it('PINGs an idle client and frees the nick of one that does not answer', async () => {
    const alive = await RawClient.register(srv.port, 'vivo');
    const dead = await RawClient.register(srv.port, 'morto');
    srv.clients.push(alive, dead);
    alive.send('JOIN #ping');
    dead.send('JOIN #ping');
    await dead.expect(/ 366 morto /);
    const ping = await alive.expect(/^:irc\.test PING /, 3000);
    alive.send(`PONG ${ping.split(' ')[2]!}`);
    await dead.expect(/^:irc\.test PING /, 3000);
    await alive.expect(/^:morto!morto@127\.0\.0\.1 QUIT :Ping timeout: 1 seconds$/, 4000);
    await dead.expect(/^ERROR :Closing Link: 127\.0\.0\.1 \(Ping timeout: 1 seconds\)$/);
    const again = await RawClient.register(srv.port, 'morto');
    again.close();
    alive.close();
  });

  it('flood control: a burst, then a steady rate (fake lag); a sustained flood disconnects', async () => {
    const c = await RawClient.register(srv.port, 'rapido');
    srv.clients.push(c);
    // Registration used up the burst; let it refill (5 tokens at 10/s).
    await new Promise((r) => setTimeout(r, 600));
    const t0 = Date.now();
    c.send(...Array.from({ length: 15 }, (_, i) => `PING :p${i}`));
    await c.expect(/PONG irc\.test :p4$/);
    const burst = Date.now() - t0;
    await c.expect(/PONG irc\.test :p14$/, 3000);
    const all = Date.now() - t0;
    assert.ok(burst < 600, `burst took ${burst} ms`);
    assert.ok(all >= 800, `10 lines past the burst took only ${all} ms`);
    c.send(...Array.from({ length: 60 }, (_, i) => `PING :f${i}`));
    await c.expect(/^ERROR :Closing Link: 127\.0\.0\.1 \(Excess Flood\)$/);
    await c.waitClosed();
  });

  it('a notifier that sends its lines and closes (… | nc) has all of them said, fake-lagged ones too', async () => {
    const watcher = await RawClient.register(srv.port, 'leitor');
    srv.clients.push(watcher);
    watcher.send('JOIN #aviso');
    await watcher.expect(/ 366 leitor #aviso /);
    const c = await open();
    // Nine lines against a burst of five: four wait for fake lag when the FIN (and, for our answers, a reset) comes.
    const says = Array.from({ length: 5 }, (_, i) => `PRIVMSG #aviso :build ${i} ok`);
    c.socket.end(['NICK robo', 'USER robo 0 * :robo', 'JOIN #aviso', ...says, 'QUIT :tchau'].join('\r\n') + '\r\n');
    c.socket.destroy();
    await watcher.expect(/^:robo!\S+ JOIN :?#aviso$/);
    for (let i = 0; i < 5; i++) await watcher.expect(new RegExp(`^:robo!\\S+ PRIVMSG #aviso :build ${i} ok$`));
    await watcher.expect(/^:robo!\S+ QUIT :Quit: tchau$/);
  });

  it('a client gone with lines still queued keeps its place in the per-address limit until they are handled', async () => {
    const { server: s2, port: p2 } = await startTestServer({
      serverName: 'irc.test',
      limits: { maxPerIp: 2, floodRate: 5, floodBurst: 3, floodQueue: 30 },
    });
    try {
      const watcher = await RawClient.register(p2, 'vigia');
      srv.clients.push(watcher);
      watcher.send('JOIN #fila');
      await watcher.expect(/ 366 vigia #fila /);
      const c = new RawClient(p2);
      await c.ready;
      // The PONGs meet a closed socket: the server sees it close (a reset) while lines remain.
      const says = Array.from({ length: 8 }, (_, i) => `PRIVMSG #fila :m${i}`);
      const lines = ['NICK fila', 'USER fila 0 * :fila', 'JOIN #fila', says[0]!, 'PING :a', 'PING :b', 'PING :c'];
      c.socket.end([...lines, ...says.slice(1)].join('\r\n') + '\r\n');
      c.socket.destroy();
      await watcher.expect(/^:fila!\S+ PRIVMSG #fila :m1$/);
      // Six lines to go at 5 a second: the gone client's session still holds the address's second place.
      const third = new RawClient(p2);
      srv.clients.push(third);
      await third.expect(/^ERROR :Closing Link: .*Too many connections from your IP address/);
      await watcher.expect(/^:fila!\S+ PRIVMSG #fila :m7$/);
      await watcher.expect(/^:fila!\S+ QUIT :Client closed connection$/);
      const fourth = await RawClient.register(p2, 'quarto');
      srv.clients.push(fourth);
    } finally {
      await s2.close();
    }
  });

  it('a client that half-closes (nc -N) still gets its answers, then the connection ends', async () => {
    const c = await open();
    c.socket.end('NICK meio\r\nUSER meio 0 * :meio\r\n' + 'PING :a\r\n'.repeat(8));
    await c.expect(/ 001 meio /);
    await c.expect(/^:irc\.test PONG irc\.test :a$/);
    await c.waitClosed();
    assert.equal(c.lines.filter((l) => / PONG /.test(l)).length, 8, c.lines.join('\n'));
  });

  it('disconnects a client that does not read once its send queue is full; others see the QUIT', async () => {
    const { server: s2, port: p2 } = await startTestServer({
      line: null,
      limits: { maxSendQueue: 64 * 1024, floodRate: 100_000, floodBurst: 100_000, floodQueue: 100_000 },
    });
    const slow = await RawClient.register(p2, 'lerdo');
    const watcher = await RawClient.register(p2, 'olho');
    const talker = await RawClient.register(p2, 'falante');
    try {
      slow.send('JOIN #sq');
      watcher.send('JOIN #sq');
      await watcher.expect(/ 366 olho #sq /);
      await slow.expect(/ 366 lerdo #sq /);
      slow.socket.pause(); // reads nothing more: the kernel buffers fill, then the server's queue
      // NOTICE, not PRIVMSG: once lerdo is gone, 401 replies to each PRIVMSG still in flight could fill
      // the talker's own (small) send queue too, and make it a second slow consumer.
      const line = `NOTICE lerdo :${'x'.repeat(400)}\r\n`;
      // Up to 40 MB in 1 MB writes, until the server gives up on the reader (kernel buffers can hold MBs).
      for (let i = 0; i < 40 && !watcher.lines.some((l) => /QUIT/.test(l)); i++) {
        talker.socket.write(line.repeat(2500));
        await new Promise((r) => setTimeout(r, 50));
      }
      await watcher.expect(/^:lerdo!lerdo@127\.0\.0\.1 QUIT :Max SendQ exceeded$/, 10_000);
      assert.equal(s2.stats.door('irc').slowConsumers, 1);
      // The nick is free again at once.
      const again = await RawClient.register(p2, 'lerdo');
      again.close();
    } finally {
      for (const c of [slow, watcher, talker]) c.close();
      await s2.close();
    }
  });

  it('folds nicks and channels by CASEMAPPING=rfc1459 ([]\\~ are the upper case of {}|^)', async () => {
    const a = await RawClient.register(srv.port, 'Caixa[a]');
    const b = await RawClient.register(srv.port, 'outro');
    srv.clients.push(a, b);
    a.send('JOIN #Sala{X}^');
    await a.expect(/ 366 Caixa\[a\] #Sala\{X\}\^ /);
    // The same channel, whatever the case: the name keeps the spelling of its creator.
    b.send('JOIN #sALA[x]~');
    await b.expect(/^:outro!\S+ JOIN #Sala\{X\}\^$/);
    await b.expect(/ 353 outro = #Sala\{X\}\^ :(@Caixa\[a\] outro|outro @Caixa\[a\])$/);
    b.send('PRIVMSG #SALA{x}~ :oi', 'PRIVMSG caixa{A} :em privado');
    await a.expect(/^:outro!\S+ PRIVMSG #Sala\{X\}\^ :oi$/);
    await a.expect(/^:outro!\S+ PRIVMSG Caixa\[a\] :em privado$/);
    b.send('NICK CAIXA{A}');
    await b.expect(/ 433 outro CAIXA\{A\} :Nickname is already in use$/);
    a.close();
    b.close();
  });

  it('limits connections per IP address', async () => {
    const { server: s2, port: p2 } = await startTestServer({ line: null, limits: { maxPerIp: 2 } });
    const cs = [new RawClient(p2), new RawClient(p2), new RawClient(p2)];
    try {
      await Promise.all(cs.map((c) => c.ready));
      await cs[2]!.expect(/^ERROR :Closing Link: \S+ \(Too many connections from your IP address\)$/);
      await cs[2]!.waitClosed();
      cs[0]!.send('NICK ok', 'USER ok 0 * :ok');
      await cs[0]!.expect(/ 001 ok /);
    } finally {
      for (const c of cs) c.close();
      await s2.close();
    }
  });
});
