import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { closedAfterTests, lineServer } from '../../helpers/chat-server.js';
import { lineUser, WireClient } from '../../helpers/wire.js';

const { open, servers } = closedAfterTests<WireClient>();
async function server(overrides: Parameters<typeof lineServer>[0] = {}) {
  const s = await lineServer(overrides);
  servers.push(s.server);
  return s.port;
}
async function user(port: number, nick: string) {
  const c = await lineUser(port, nick);
  open.push(c);
  return c;
}
async function raw(port: number) {
  const c = await WireClient.connect(port);
  open.push(c);
  return c;
}
/** A client that answers APELIDO with `text` (the nickname and its lines) in one write, then is gone. */
async function sendAndLeave(port: number, text: string) {
  const c = await raw(port);
  await c.waitFor('APELIDO');
  // A FIN, and a reset for whatever the server answers.
  c.socket.end(text);
  c.socket.destroy();
}
describe('line door: the tutorial handshake', () => {
  it('sends APELIDO alone, then Conectado ao servidor! and a join notice to the others', async () => {
    const port = await server();
    const ana = await user(port, 'ana');
    const c = await raw(port);
    assert.equal(await c.waitFor('APELIDO'), 'APELIDO');
    assert.equal(c.unread, '', 'APELIDO has no line ending and nothing after it');
    c.send('bia'); // no line ending, as the tutorial's client sends it: the idle flush takes it
    await c.waitFor('Conectado ao servidor!\n');
    await ana.waitFor('bia entrou no chat!\n');
  });

  it('explains a taken or invalid nickname and asks again', async () => {
    const port = await server();
    await user(port, 'Ana');
    const c = await raw(port);
    await c.waitFor('APELIDO');
    c.send('ana\n');
    await c.waitFor('The nickname ana is taken, choose another.\n');
    await c.waitFor('APELIDO');
    c.send('9lives\n');
    await c.waitFor(/may not start with a digit.*\n/);
    await c.waitFor('APELIDO');
    c.send('has space\n');
    await c.waitFor(/characters that are not allowed.*\n/);
    await c.waitFor('APELIDO');
    c.send('bia\n');
    await c.waitFor('Conectado ao servidor!\n');
  });

  it('closes after five refused nicknames (the tutorial client would repeat the same one forever)', async () => {
    const port = await server();
    await user(port, 'ana');
    const c = await raw(port);
    for (let i = 0; i < 5; i++) {
      await c.waitFor('APELIDO');
      c.send('ana\n');
      await c.waitFor('taken');
    }
    await c.waitFor('Too many nickname attempts; closing.\n');
    await c.waitClosed();
  });

  it('answers in Portuguese with --lang pt-BR, wire strings unchanged', async () => {
    const port = await server({ lang: 'pt-BR' });
    await user(port, 'ana').catch(() => undefined);
    const c = await raw(port);
    await c.waitFor('APELIDO');
    c.send('ana\n');
    await c.waitFor('O apelido ana já está em uso, escolha outro.\n');
    await c.waitFor('APELIDO');
    c.send('bia\n');
    await c.waitFor('Conectado ao servidor!\n');
    await c.waitFor('* Você está em #geral (2 online). Digite /help para ver os comandos.\n');
  });
});

describe('line door: messages', () => {
  it("delivers <nick>: <text> to the others only, stripping the sender's own prefix", async () => {
    const port = await server();
    const ana = await user(port, 'ana');
    const bia = await user(port, 'bia');
    await ana.waitFor('bia entrou no chat!\n');
    bia.send('bia: olá, ana\n'); // what the tutorial's client sends
    await ana.waitFor('bia: olá, ana\n');
    bia.send('sem prefixo\r\n'); // CRLF works too
    await ana.waitFor('bia: sem prefixo\n');
    assert.doesNotMatch(bia.unread, /olá/);
  });

  it("never lets a client pass a line off as another user's", async () => {
    const port = await server();
    const ana = await user(port, 'ana');
    const bia = await user(port, 'bia');
    bia.send('ana: eu sou a ana\ncarla entrou no chat!\n');
    await ana.waitFor('bia: ana: eu sou a ana\n');
    await ana.waitFor('bia: carla entrou no chat!\n');
  });

  it('takes text without a line ending as a message once the client pauses', async () => {
    const port = await server();
    const ana = await user(port, 'ana');
    const c = await raw(port);
    await c.waitFor('APELIDO');
    c.send('tuto');
    await c.waitFor('Conectado ao servidor!\n');
    c.send('tuto: mensagem sem fim de linha');
    await ana.waitFor('tuto: mensagem sem fim de linha\n');
  });

  it('keeps two rooms apart', async () => {
    const port = await server();
    const ana = await user(port, 'ana');
    const bia = await user(port, 'bia');
    const caio = await user(port, 'caio');
    bia.send('/join #outra\n');
    await bia.waitFor('* You are in #outra (1 online).');
    caio.send('/join outra\n');
    await bia.waitFor('caio entrou no chat!\n');
    await ana.waitFor('bia saiu do chat!\n');
    await ana.waitFor('caio saiu do chat!\n');
    caio.send('só para #outra\n');
    await bia.waitFor('caio: só para #outra\n');
    ana.send('só para #geral\n');
    bia.send('/who\n');
    await bia.waitFor('* In #outra (2): @bia caio\n');
    caio.send('/rooms\n');
    await caio.waitFor('* Rooms:\n');
    assert.doesNotMatch(bia.received + caio.received, /só para #geral/);
  });

  it('handles /nick, /msg, /me, /topic, /history, /help and unknown commands', async () => {
    const port = await server();
    const ana = await user(port, 'ana');
    const bia = await user(port, 'bia');
    bia.send('/nick beatriz\n');
    await ana.waitFor('* bia is now beatriz\n');
    bia.send('/msg ana segredo\n');
    await ana.waitFor('(private) beatriz: segredo\n');
    bia.send('/msg ninguem oi\n');
    await bia.waitFor('! There is no user ninguem.\n');
    ana.send('/me acena\n');
    await bia.waitFor('* ana acena\n');
    ana.send('/topic Bem-vindos\n');
    await bia.waitFor('* ana set the topic of #geral to: Bem-vindos\n');
    bia.send('/topic outro\n');
    await bia.waitFor('! You are not an operator of #geral.\n');
    ana.send('primeira\n');
    await bia.waitFor('ana: primeira\n');
    bia.send('/history 2\n');
    await bia.waitFor('* Last 2 messages of #geral:\n');
    await bia.waitFor(/^\[\d{4}-\d\d-\d\d \d\d:\d\d\] \* ana acena\n\[[^\]]+\] ana: primeira\n/m);
    bia.send('/help\n');
    await bia.waitFor(/\* Commands: \/nick/);
    bia.send('/dance\n');
    await bia.waitFor('! Unknown command /dance. Type /help.\n');
    bia.send('/lang pt-BR\n');
    await bia.waitFor('* As mensagens do servidor agora estão em português.\n');
    bia.send('/who\n');
    await bia.waitFor('* Em #geral (2): @ana beatriz\n');
    bia.send('/quit tchau\n');
    await bia.waitFor('* Até mais!\n');
    await bia.waitClosed();
    await ana.waitFor('beatriz saiu do chat!\n');
  });

  it("shows the room's last messages, with their times, to whoever joins", async () => {
    const port = await server({ history: 2 });
    const ana = await user(port, 'ana');
    const bia = await user(port, 'bia');
    for (const t of ['um', 'dois', 'três']) {
      ana.send(t + '\n');
      await bia.waitFor(`ana: ${t}\n`);
    }
    const c = await raw(port);
    await c.waitFor('APELIDO');
    c.send('caio\n');
    await c.waitFor('Conectado ao servidor!\n');
    const lines = await c.waitFor(/(\[[^\]]+\] ana: \S+\n){2}/);
    assert.match(lines, /ana: dois\n.*ana: três\n$/s);
    assert.doesNotMatch(c.received, /ana: um/);
  });
});

describe('line door: limits and bad input', () => {
  it('closes a line longer than the limit with a clear error; others are unaffected', async () => {
    const port = await server({ limits: { maxLine: 100 } });
    const ana = await user(port, 'ana');
    const bia = await user(port, 'bia');
    bia.send('x'.repeat(101) + '\n');
    await bia.waitFor('! Line too long (more than 100 bytes); closing.\n');
    await bia.waitClosed();
    await ana.waitFor('bia saiu do chat!\n');
  });

  it('replaces invalid UTF-8 instead of passing it on', async () => {
    const port = await server();
    const ana = await user(port, 'ana');
    const bia = await user(port, 'bia');
    bia.send(Buffer.from([0x61, 0xff, 0x62, 0x0a]));
    await ana.waitFor('bia: a\uFFFDb\n');
  });

  it('delays a burst beyond the flood limit, then disconnects a sustained flood', async () => {
    const port = await server({ limits: { floodRate: 20, floodBurst: 2, floodQueue: 5 } });
    const ana = await user(port, 'ana');
    const bia = await user(port, 'bia');
    bia.send('1\n2\n3\n4\n');
    // All four arrive, in order: the excess is delayed, not dropped.
    await ana.waitFor(/bia: 1\nbia: 2\nbia: 3\nbia: 4\n/);
    bia.send(Array.from({ length: 20 }, (_, i) => `f${i}\n`).join(''));
    await bia.waitFor('! Too many messages too fast (flood); closing.\n');
    await bia.waitClosed();
    await ana.waitFor('bia saiu do chat!\n');
  });

  it('says every line a client sent before it closed, even those the flood limit held back', async () => {
    const port = await server({ limits: { floodRate: 50, floodBurst: 2, floodQueue: 20 } });
    const ana = await user(port, 'ana');
    await sendAndLeave(port, 'bia\n' + Array.from({ length: 10 }, (_, i) => `m${i}\n`).join(''));
    const said = Array.from({ length: 10 }, (_, i) => `bia: m${i}\n`).join('');
    await ana.waitFor('bia entrou no chat!\n');
    await ana.waitFor(said + 'bia saiu do chat!\n');
  });

  it('a client gone with lines still to say keeps its place in the per-address limit until they are said', async () => {
    const port = await server({ limits: { maxPerIp: 2, floodRate: 5, floodBurst: 1, floodQueue: 20 } });
    const ana = await user(port, 'ana');
    // The answers to /who meet a closed socket: the server sees it close (a reset) while lines remain.
    await sendAndLeave(
      port,
      'bia\nm0\n/who\n/who\n/who\n' + Array.from({ length: 7 }, (_, i) => `m${i + 1}\n`).join(''),
    );
    await ana.waitFor('bia: m1\n');
    // Six lines to go at 5 a second: bia's session, its socket gone, still holds the address's second place.
    const third = await raw(port);
    await third.waitFor('! Too many connections from your address.\n');
    await ana.waitFor('bia: m7\nbia saiu do chat!\n');
    const fourth = await raw(port);
    await fourth.waitFor('APELIDO');
  });

  it('still answers a client that half-closes (nc -N), then ends the connection', async () => {
    const port = await server({ limits: { floodRate: 50, floodBurst: 2, floodQueue: 20 } });
    const ana = await user(port, 'ana');
    const bia = await raw(port);
    await bia.waitFor('APELIDO');
    bia.socket.end('bia\nm0\nm1\nm2\n/who\nm3\n');
    await bia.waitFor('Conectado ao servidor!\n');
    await bia.waitFor(/ana.*bia|bia.*ana/);
    await ana.waitFor('bia: m0\nbia: m1\nbia: m2\nbia: m3\nbia saiu do chat!\n');
    await bia.waitClosed();
  });

  it('drops a client that stops reading once its queue passes the limit, and nobody else slows down', async () => {
    const port = await server({ limits: { maxSendQueue: 64 * 1024, maxLine: 65536 } });
    const ana = await user(port, 'ana');
    const slow = await user(port, 'lento');
    slow.socket.pause(); // stops reading: the kernel buffers fill, then tomada's queue grows
    const line = 'y'.repeat(60_000);
    let delivered = 0;
    const bia = await user(port, 'bia');
    for (let i = 0; i < 400; i++) {
      bia.send(`${i} ${line}\n`);
      await ana.waitFor(`bia: ${i} `);
      delivered++;
      if (ana.received.includes('lento saiu do chat!')) break;
    }
    await ana.waitFor('lento saiu do chat!\n');
    assert.ok(delivered < 400, 'the slow client was dropped before the end');
    bia.send('ainda aqui\n');
    await ana.waitFor('bia: ainda aqui\n');
  });

  it('limits connections per IP address and in total', async () => {
    const port = await server({ limits: { maxPerIp: 2 } });
    await user(port, 'ana');
    await user(port, 'bia');
    const third = await raw(port);
    await third.waitFor('! Too many connections from your address.\n');
    await third.waitClosed();
    const port2 = await server({ limits: { maxConnections: 1 } });
    await user(port2, 'ana');
    const second = await raw(port2);
    await second.waitFor('! The server is full; try again later.\n');
  });

  it('frees the nickname of a client that never registers within the timeout', async () => {
    const port = await server({ limits: { registrationTimeoutSecs: 1 } });
    const c = await raw(port);
    await c.waitFor('APELIDO');
    await c.waitFor('! No nickname given in time; closing.\n', 4000);
    await c.waitClosed();
  });
});
