import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { startChatServer, type ChatServer } from '../../src/server/chat-server.js';
import { lineUser, type WireClient } from '../helpers/wire.js';

/** The part of irc-framework's Client this test uses (the package ships no type declarations). */
interface IrcClient extends EventEmitter {
  connect(options: Record<string, unknown>): void;
  join(channel: string): void;
  part(channel: string, message?: string): void;
  say(target: string, message: string, tags?: Record<string, string>): void;
  tagmsg(target: string, tags: Record<string, string>): void;
  raw(line: string): void;
  quit(message?: string): void;
  addMonitor(target: string): void;
  network: {
    cap: { enabled: string[] };
    options: Record<string, unknown>;
    supports(name: string): unknown;
  };
}
type Event = Record<string, unknown> & { nick?: string; channel?: string; target?: string; message?: string };

const require = createRequire(import.meta.url);
const { Client } = require('irc-framework') as { Client: new (options?: Record<string, unknown>) => IrcClient };

/** Waits for an event of `client` that `match` accepts; fails after `ms`. */
function nextEvent(client: IrcClient, name: string, match: (e: Event) => boolean = () => true, ms = 5000) {
  return new Promise<Event>((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off(name, on);
      reject(new Error(`irc-framework: no '${name}' event in ${ms} ms`));
    }, ms);
    const on = (e: Event) => {
      if (!match(e)) return;
      clearTimeout(timer);
      client.off(name, on);
      resolve(e);
    };
    client.on(name, on);
  });
}

const servers: ChatServer[] = [];
const clients: IrcClient[] = [];
const lines: WireClient[] = [];
after(async () => {
  for (const c of clients) c.quit('fim');
  for (const l of lines) l.close();
  for (const s of servers) await s.close();
});

describe('irc-framework (npm) and a line-door client in the same room', () => {
  it('registers with IRCv3 caps, sees the line user in NAMES, and they exchange messages, joins and leaves', async () => {
    const server = await startChatServer({
      line: { host: '127.0.0.1', port: 0 },
      irc: { host: '127.0.0.1', port: 0 },
      http: null,
      dataDir: ':memory:',
      serverName: 'irc.test',
      network: 'TomadaTest',
    });
    servers.push(server);
    const ana = await lineUser(server.address('line')!.port, 'ana');
    lines.push(ana);
    ana.send('antes de o bot chegar\n');
    for (let i = 0; i < 100 && (await server.hub.roomHistory('#geral', { limit: 1 })).length === 0; i++) {
      await new Promise((r) => setTimeout(r, 20)); // until the line door has handed the line to the hub
    }

    const bot = new Client({ auto_reconnect: false });
    clients.push(bot);
    const registered = nextEvent(bot, 'registered');
    bot.connect({
      host: '127.0.0.1',
      port: server.address('irc')!.port,
      nick: 'robo',
      username: 'robo',
      gecos: 'Robô de teste',
      enable_echomessage: true,
      enable_setname: true,
    });
    await registered;
    const caps = bot.network.cap.enabled;
    for (const cap of ['server-time', 'message-tags', 'batch', 'multi-prefix', 'echo-message', 'setname']) {
      assert.ok(caps.includes(cap), `${cap} not enabled: ${caps.join(' ')}`);
    }
    assert.equal(bot.network.supports('CASEMAPPING'), 'rfc1459');
    assert.equal(bot.network.supports('NETWORK'), 'TomadaTest');

    // Joining: the history comes in a chathistory batch (server-time), then NAMES lists the line user.
    const history = nextEvent(bot, 'privmsg', (e) => e.message === 'antes de o bot chegar');
    const userlist = nextEvent(bot, 'userlist', (e) => e.channel === '#geral');
    bot.join('#geral');
    const old = await history;
    assert.equal(old.nick, 'ana');
    assert.equal((old.batch as { type?: string } | undefined)?.type, 'chathistory');
    assert.ok(typeof old.time === 'number' && old.time > 0, 'history line without server-time');
    const names = ((await userlist).users as Array<{ nick: string; modes: string[] }>).map((u) => u.nick);
    assert.deepEqual(names.sort(), ['ana', 'robo']);
    await ana.waitFor('robo entrou no chat!\n');

    // IRC → line door, as `<nick>: <text>`; echo-message gives the bot its own message back.
    const echo = nextEvent(bot, 'privmsg', (e) => e.nick === 'robo');
    bot.say('#geral', 'olá, ana: sou um robô');
    await ana.waitFor('robo: olá, ana: sou um robô\n');
    assert.equal((await echo).message, 'olá, ana: sou um robô');

    // line door → IRC, as a PRIVMSG from an ordinary user.
    const fromAna = nextEvent(bot, 'privmsg', (e) => e.nick === 'ana' && e.message === 'oi, robô!');
    ana.send('oi, robô!\n');
    const got = await fromAna;
    assert.equal(got.target, '#geral');

    // WHO shows the line user as an ordinary user.
    const who = new Promise<Array<{ nick: string }>>((resolve) => {
      (bot as unknown as { who(t: string, cb: (r: { users: Array<{ nick: string }> }) => void): void }).who(
        '#geral',
        (r) => resolve(r.users),
      );
    });
    assert.deepEqual((await who).map((u) => u.nick).sort(), ['ana', 'robo']);

    // The line user leaving is a QUIT for IRC; a new line user is a JOIN.
    const quit = nextEvent(bot, 'quit', (e) => e.nick === 'ana');
    ana.close();
    await quit;
    const joined = nextEvent(bot, 'join', (e) => e.nick === 'bia' && e.channel === '#geral');
    const bia = await lineUser(server.address('line')!.port, 'bia');
    lines.push(bia);
    await joined;

    // The bot leaving is seen by the line user.
    bot.part('#geral', 'até logo');
    await bia.waitFor('robo saiu do chat!\n');
  });

  it('MONITOR: the bot hears when a person comes online and leaves, on any door', async () => {
    const server = await startChatServer({
      line: { host: '127.0.0.1', port: 0 },
      irc: { host: '127.0.0.1', port: 0 },
      http: null,
      dataDir: ':memory:',
    });
    servers.push(server);
    const bot = new Client({ auto_reconnect: false });
    clients.push(bot);
    const registered = nextEvent(bot, 'registered');
    bot.connect({ host: '127.0.0.1', port: server.address('irc')!.port, nick: 'vigia', username: 'vigia' });
    await registered;
    assert.equal(bot.network.supports('MONITOR'), '100');
    const offline = nextEvent(bot, 'users offline');
    bot.addMonitor('zeca');
    assert.deepEqual((await offline).nicks, ['zeca']);
    // A person on the line door (the tutorial's protocol) is watched like anyone else.
    const online = nextEvent(bot, 'users online');
    const zeca = await lineUser(server.address('line')!.port, 'zeca');
    lines.push(zeca);
    assert.deepEqual((await online).nicks, ['zeca']);
    const gone = nextEvent(bot, 'users offline');
    zeca.close();
    assert.deepEqual((await gone).nicks, ['zeca']);
  });

  it('typing, reactions and replies: client-only tags from one irc-framework client reach another', async () => {
    const server = await startChatServer({
      line: null,
      irc: { host: '127.0.0.1', port: 0 },
      http: null,
      dataDir: ':memory:',
    });
    servers.push(server);
    const connect = async (nick: string) => {
      const c = new Client({ auto_reconnect: false });
      clients.push(c);
      const registered = nextEvent(c, 'registered');
      c.connect({ host: '127.0.0.1', port: server.address('irc')!.port, nick, username: nick });
      await registered;
      const joined = nextEvent(c, 'join', (e) => e.nick === nick);
      c.join('#tags');
      await joined;
      return c;
    };
    const ana = await connect('ana');
    const bia = await connect('bia');
    assert.ok(ana.network.cap.enabled.includes('message-tags'));
    assert.equal(ana.network.supports('CLIENTTAGDENY'), undefined);

    const typing = nextEvent(bia, 'tagmsg', (e) => e.nick === 'ana');
    ana.tagmsg('#tags', { '+typing': 'active' });
    const t = await typing;
    assert.equal(t.target, '#tags');
    assert.equal((t.tags as Record<string, string>)['+typing'], 'active');

    const said = nextEvent(bia, 'privmsg', (e) => e.nick === 'ana');
    ana.say('#tags', 'uma pergunta');
    const msgid = ((await said).tags as Record<string, string>).msgid!;
    assert.match(msgid, /^\d+$/);

    const reaction = nextEvent(ana, 'tagmsg', (e) => e.nick === 'bia');
    bia.tagmsg('#tags', { '+draft/react': '👍', '+draft/reply': msgid });
    const r = (await reaction).tags as Record<string, string>;
    assert.deepEqual([r['+draft/react'], r['+draft/reply']], ['👍', msgid]);

    const reply = nextEvent(ana, 'privmsg', (e) => e.nick === 'bia');
    bia.say('#tags', 'uma resposta', { '+draft/reply': msgid });
    const got = await reply;
    assert.equal(got.message, 'uma resposta');
    assert.equal((got.tags as Record<string, string>)['+draft/reply'], msgid);
  });
});
