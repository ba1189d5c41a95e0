import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import type { ChatServer } from '../../../src/server/chat-server.js';
import { RawClient, startTestServer } from './client.js';

/** A raw line-door connection: the tutorial's protocol (`APELIDO`, then one message per line). */
class LineClient {
  readonly socket: net.Socket;
  text = '';
  #waiters: Array<() => void> = [];

  constructor(port: number) {
    this.socket = net.connect({ host: '127.0.0.1', port });
    this.socket.setEncoding('utf8');
    this.socket.on('error', () => undefined);
    this.socket.on('data', (d: string) => {
      this.text += d;
      const w = this.#waiters;
      this.#waiters = [];
      for (const f of w) f();
    });
  }

  async waitFor(s: string, ms = 5000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!this.text.includes(s)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timeout waiting for ${JSON.stringify(s)}; got:\n${this.text}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  send(line: string): void {
    this.socket.write(line + '\n');
  }

  static async login(port: number, nick: string): Promise<LineClient> {
    const c = new LineClient(port);
    await c.waitFor('APELIDO');
    c.send(nick);
    await c.waitFor('Conectado ao servidor!');
    return c;
  }
}

describe('IRC commands: the rest of the list, and line-door users as IRC users', () => {
  let server: ChatServer;
  let port: number;
  let linePort: number;
  const clients: RawClient[] = [];
  const lines: LineClient[] = [];
  const reg = async (nick: string, caps: string[] = []) => {
    const c = await RawClient.register(port, nick, caps);
    clients.push(c);
    return c;
  };
  before(async () => {
    ({ server, port } = await startTestServer({ serverName: 'irc.test', history: 0 }));
    linePort = server.address('line')!.port;
  });
  after(async () => {
    for (const c of clients) c.close();
    for (const l of lines) l.socket.destroy();
    await server.close();
  });

  it('JOIN several channels with their keys; a missing key is 475 for that channel only', async () => {
    const op = await reg('chaves');
    op.send('JOIN #k1,#k2,#k3');
    await op.expect(/ 366 chaves #k3 /);
    op.send('MODE #k1 +k um', 'MODE #k2 +k dois');
    await op.expect(/ MODE #k2 \+k dois$/);
    const u = await reg('visita');
    u.send('JOIN #k1,#k2,#k3 um');
    await u.expect(/^:visita!\S+ JOIN #k1$/);
    await u.expect(/ 475 visita #k2 :Cannot join channel \(\+k\)$/);
    await u.expect(/^:visita!\S+ JOIN #k3$/);
    u.send('JOIN #k2,#k1 dois');
    await u.expect(/^:visita!\S+ JOIN #k2$/);
    // Already in #k1: nothing, not an error.
    u.send('PING :fim');
    const rest = await u.collect(/PONG/);
    assert.ok(!rest.some((l) => / 4\d\d /.test(l)), rest.join('\n'));
    // JOIN 0 leaves them all; the others see each PART.
    u.send('JOIN 0');
    for (let i = 0; i < 3; i++) await op.expect(/^:visita!\S+ PART #k[123]$/);
    u.send('NAMES #k1');
    await u.expect(/ 353 visita = #k1 :?@chaves$/);
  });

  it('INVITE: 341 and the INVITE, 301 when away, 401, 403, 442, 443, 482 on +i, 461', async () => {
    const op = await reg('anfitriao');
    const guest = await reg('convidado');
    const other = await reg('terceiro');
    op.send('JOIN #festa');
    await op.expect(/ 366 anfitriao #festa /);
    guest.send('AWAY :fora');
    await guest.expect(/ 306 /);
    op.send('INVITE convidado #festa');
    await op.expect(/^:irc\.test 341 anfitriao convidado #festa$/);
    await op.expect(/^:irc\.test 301 anfitriao convidado :?fora$/);
    await guest.expect(/^:anfitriao!\S+ INVITE convidado #festa$/);
    op.send('INVITE ninguem #festa', 'INVITE convidado #nada', 'INVITE convidado');
    await op.expect(/ 401 anfitriao ninguem :No such nick\/channel$/);
    await op.expect(/ 403 anfitriao #nada :No such channel$/);
    await op.expect(/ 461 anfitriao INVITE :Not enough parameters$/);
    other.send('INVITE convidado #festa');
    await other.expect(/ 442 terceiro #festa :You're not on that channel$/);
    other.send('JOIN #festa');
    await other.expect(/ 366 terceiro #festa /);
    op.send('INVITE terceiro #festa');
    await op.expect(/ 443 anfitriao terceiro #festa :is already on channel$/);
    op.send('MODE #festa +i');
    await other.expect(/ MODE #festa \+i$/);
    other.send('INVITE convidado #festa');
    await other.expect(/ 482 terceiro #festa :You're not channel operator$/);
    // The invitation lets the guest past +i (and +k, +l), once.
    guest.send('JOIN #festa');
    await op.expect(/^:convidado!\S+ JOIN #festa$/);
  });

  it('KICK: several nicks, the default reason, 441, 442, 482, 403, and the kicked user is out', async () => {
    const op = await reg('juiz');
    const a = await reg('jogador1');
    const b = await reg('jogador2');
    const out = await reg('fora');
    op.send('JOIN #campo');
    await op.expect(/ 366 juiz #campo /);
    for (const [c, n] of [
      [a, 'jogador1'],
      [b, 'jogador2'],
    ] as const) {
      c.send('JOIN #campo');
      await op.expect(new RegExp(`^:${n}!\\S+ JOIN #campo$`));
    }
    a.send('KICK #campo jogador2 :não');
    await a.expect(/ 482 jogador1 #campo :You're not channel operator$/);
    out.send('KICK #campo jogador1');
    await out.expect(/ 442 fora #campo :You're not on that channel$/);
    op.send('KICK #nada jogador1', 'KICK #campo fora');
    await op.expect(/ 403 juiz #nada :No such channel$/);
    await op.expect(/ 441 juiz fora #campo :They aren't on that channel$/);
    op.send('KICK #campo jogador1,jogador2');
    await a.expect(/^:juiz!\S+ KICK #campo jogador1 :juiz$/);
    await b.expect(/^:juiz!\S+ KICK #campo jogador1 :juiz$/);
    await b.expect(/^:juiz!\S+ KICK #campo jogador2 :juiz$/);
    a.send('PRIVMSG #campo :ainda aqui?');
    await a.expect(/ 404 jogador1 #campo /);
    op.send('NAMES #campo');
    await op.expect(/ 353 juiz = #campo :?@juiz$/);
  });

  it('CAP: LIST, removing a cap with -, NAK for all of a request when one is unknown', async () => {
    const c = await reg('capaz', ['server-time', 'echo-message']);
    c.send('CAP LIST');
    await c.expect(/^:irc\.test CAP capaz LIST :.*server-time/);
    c.send('CAP REQ :-echo-message');
    await c.expect(/^:irc\.test CAP capaz ACK :-echo-message$/);
    c.send('CAP LIST');
    const list = await c.expect(/ CAP capaz LIST /);
    assert.ok(!list.includes('echo-message'), list);
    c.send('CAP REQ :away-notify nada');
    await c.expect(/^:irc\.test CAP capaz NAK :away-notify nada$/);
    c.send('CAP LIST');
    assert.ok(!(await c.expect(/ CAP capaz LIST /)).includes('away-notify'));
    // cap-notify came with CAP LS 302 and cannot be turned off.
    c.send('CAP REQ :-cap-notify');
    await c.expect(/ CAP capaz NAK :-cap-notify$/);
  });

  it('away-notify: AWAY when a user goes away or comes back, and when an away user joins', async () => {
    const w = await reg('vigia', ['away-notify']);
    const plain = await reg('simples');
    const z = await reg('dorminhoco');
    w.send('JOIN #away');
    plain.send('JOIN #away');
    await plain.expect(/ 366 simples #away /);
    z.send('AWAY :zzz', 'JOIN #away');
    await w.expect(/^:dorminhoco!\S+ JOIN #away$/);
    await w.expect(/^:dorminhoco!\S+ AWAY :zzz$/);
    z.send('AWAY');
    await w.expect(/^:dorminhoco!\S+ AWAY$/);
    z.send('AWAY :de novo');
    await w.expect(/^:dorminhoco!\S+ AWAY :de novo$/);
    // Without the cap: no AWAY lines at all.
    await plain.expect(/^:dorminhoco!\S+ JOIN #away$/);
    plain.send('PING :x');
    const seen = await plain.collect(/PONG/);
    assert.ok(!plain.lines.some((l) => /^:\S+ AWAY/.test(l)), seen.join('\n'));
  });

  it('WHOWAS after a QUIT, newest first, with a count', async () => {
    const q = await reg('asker');
    const gone = await reg('sumido');
    gone.send('NICK sumido2', 'NICK sumido');
    await gone.expect(/ NICK sumido$/);
    gone.send('QUIT :tchau');
    await gone.waitClosed();
    for (let i = 0; i < 50 && server.hub.findUser('sumido'); i++) await new Promise((r) => setTimeout(r, 20));
    q.send('WHOWAS sumido');
    await q.expect(/^:irc\.test 314 asker sumido sumido 127\.0\.0\.1 \* :Real sumido$/);
    await q.expect(/^:irc\.test 312 asker sumido irc\.test :/);
    await q.expect(/^:irc\.test 314 asker sumido /);
    await q.expect(/ 369 asker sumido :End of WHOWAS$/);
    q.send('WHOWAS sumido 1');
    const one = await q.collect(/ 369 asker sumido /);
    assert.equal(one.filter((l) => / 314 /.test(l)).length, 1, one.join('\n'));
    q.send('WHOWAS');
    await q.expect(/ 431 asker :No nickname given$/);
  });

  it('line-door users are ordinary users: NAMES, WHO, WHOIS, and their JOIN, PART, QUIT, messages', async () => {
    const irc = await reg('ircuser');
    irc.send('JOIN #geral');
    await irc.expect(/ 366 ircuser #geral /);
    const ana = await LineClient.login(linePort, 'ana');
    lines.push(ana);
    await irc.expect(/^:ana!line@127\.0\.0\.1 JOIN #geral$/);
    await ana.waitFor('* You are in #geral');
    irc.send('NAMES #geral', 'WHO #geral', 'WHOIS ana');
    await irc.expect(/ 353 ircuser = #geral :(@ircuser ana|ana @ircuser)$/);
    await irc.expect(/ 352 ircuser #geral line 127\.0\.0\.1 irc\.test ana H :0 ana$/);
    await irc.expect(/ 315 ircuser #geral /);
    await irc.expect(/ 311 ircuser ana line 127\.0\.0\.1 \* :?ana$/);
    await irc.expect(/ 312 ircuser ana irc\.test :tomada \(line door\)$/);
    ana.send('oi do terminal');
    await irc.expect(/^:ana!line@127\.0\.0\.1 PRIVMSG #geral :oi do terminal$/);
    irc.send('PRIVMSG #geral :oi do irc');
    await ana.waitFor('ircuser: oi do irc\n');
    // /join moves a line user: a JOIN elsewhere and a PART here; /part leaves.
    ana.send('/join #outra');
    await irc.expect(/^:ana!line@127\.0\.0\.1 PART #geral$/);
    irc.send('JOIN #outra');
    await irc.expect(/ 366 ircuser #outra /);
    ana.send('/part até já');
    await irc.expect(/^:ana!line@127\.0\.0\.1 PART #outra :até já$/);
    ana.send('/join #geral');
    await irc.expect(/^:ana!line@127\.0\.0\.1 JOIN #geral$/);
    ana.socket.end();
    await irc.expect(/^:ana!line@127\.0\.0\.1 QUIT :/);
  });

  it('a text too long for one IRC line (from the line door) arrives whole, in lines of at most 512 bytes', async () => {
    const irc = await reg('leitor', ['message-tags']);
    const ana = await LineClient.login(linePort, 'longa');
    lines.push(ana);
    ana.send('/join #longo');
    await ana.waitFor('#longo');
    irc.send('JOIN #longo');
    await irc.expect(/ 366 leitor #longo /);
    const text = Array.from({ length: 300 }, (_, i) => `ação${i}`).join(' ');
    ana.send(text);
    const got: string[] = [];
    while (got.join(' ') !== text) {
      const line = await irc.expect(/ PRIVMSG #longo :/);
      assert.ok(Buffer.byteLength(line.replace(/^@\S+ /, '')) + 2 <= 512, `${Buffer.byteLength(line)} bytes`);
      got.push(line.slice(line.indexOf(' :', line.indexOf('PRIVMSG')) + 2));
      assert.ok(got.join(' ').length <= text.length, 'more text than was sent');
    }
    assert.ok(got.length >= 5);
    // Only the first piece carries the message's msgid.
    const tagged = irc.lines.filter((l) => / PRIVMSG #longo :/.test(l));
    assert.equal(tagged.filter((l) => /msgid=/.test(l)).length, 1);
    // /me: each piece is a whole CTCP ACTION (`\x01ACTION …\x01`).
    ana.send(`/me ${text.slice(0, 1500)}`);
    // eslint-disable-next-line no-control-regex -- CTCP is delimited by \x01.
    const action = new RegExp(' PRIVMSG #longo :\u0001ACTION .*\u0001$');
    await irc.expect(action);
    await irc.expect(action);
    // Anything else too long (a topic of 390 two-byte letters) is cut to fit.
    ana.send(`/topic ${'ç'.repeat(390)}`);
    const topic = await irc.expect(/ TOPIC #longo :/);
    assert.ok(Buffer.byteLength(topic.replace(/^@\S+ /, '')) + 2 <= 512, `${Buffer.byteLength(topic)} bytes`);
    irc.send('TOPIC #longo');
    const rpl = await irc.expect(/ 332 leitor #longo /);
    assert.ok(Buffer.byteLength(rpl) + 2 <= 512);
    assert.match(rpl, / :?ç+$/);
  });

  it('values that cannot be middle parameters never reach the wire (and never crash the server)', async () => {
    const c = await reg('maroto');
    c.send('JOIN #seguro');
    await c.expect(/ 366 maroto #seguro /);
    c.send('MODE #seguro +b ::x', 'MODE #seguro +k ::y', 'MODE #seguro +b', 'MODE #seguro');
    await c.expect(/ 368 maroto #seguro /);
    await c.expect(/ 324 maroto #seguro \+nt$/);
    // Only a last parameter can start with `:` (`::x` is `:x`); the replies that echo it put `*` instead.
    c.send('NICK ::n', 'WHOIS ::x', 'JOIN ::z');
    await c.expect(/^:irc\.test 432 maroto \* :Erroneous nickname$/);
    await c.expect(/^:irc\.test 401 maroto \* :No such nick\/channel$/);
    await c.expect(/^:irc\.test 318 maroto \* :End of \/WHOIS list$/);
    await c.expect(/^:irc\.test 403 maroto \* :No such channel$/);
    c.send('PING :vivo');
    await c.expect(/PONG irc\.test :vivo$/);
  });

  it('advertises what it enforces: no CLIENTTAGDENY (all relayed), MAXLIST=b:100 (478), KICKLEN=255', async () => {
    const c = await reg('anuncio');
    assert.ok(!c.lines.some((l) => / 005 anuncio .*CLIENTTAGDENY/.test(l)));
    assert.ok(c.lines.some((l) => / 005 anuncio .*MAXLIST=b:100/.test(l)));
    c.send('JOIN #bans');
    await c.expect(/ 366 anuncio #bans /);
    const masks = Array.from({ length: 101 }, (_, i) => `m${i}`);
    for (let i = 0; i < masks.length; i += 4) c.send(`MODE #bans +bbbb ${masks.slice(i, i + 4).join(' ')}`);
    await c.expect(/^:irc\.test 478 anuncio #bans m100 :Channel ban list is full$/, 15_000);
    const v = await reg('chutado');
    v.send('JOIN #bans');
    await c.expect(/chutado!\S+ JOIN #bans/);
    c.send(`KICK #bans chutado :${'r'.repeat(300)}`);
    const kick = await v.expect(/ KICK #bans chutado :/);
    assert.equal(kick.split(' :')[1]!.length, 255);
  });
});
