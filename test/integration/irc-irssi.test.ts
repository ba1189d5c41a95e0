import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChatServer, type ChatServer } from '../../src/server/chat-server.js';
import { lineUser, type WireClient } from '../helpers/wire.js';

/**
 * irssi (Debian package) driven in tmux, in `#geral` with a client of the tutorial's line protocol.
 * tmux runs on its own socket (`-L`), irssi with its own `--home`: nothing of the user's is touched, and
 * the end kills only that tmux server. Set TOMADA_IRSSI_CAPTURE=FILE to keep the final screen.
 */
const has = (cmd: string, flag: string) => spawnSync(cmd, [flag], { stdio: 'ignore', timeout: 5000 }).status === 0;
const missing = [has('irssi', '--version') ? '' : 'irssi', has('tmux', '-V') ? '' : 'tmux'].filter(Boolean);

const socketName = `tomada-test-${process.pid}`;
const tmux = (...args: string[]) =>
  execFileSync('tmux', ['-L', socketName, ...args], { encoding: 'utf8', timeout: 5000 });
const screen = () => tmux('capture-pane', '-p', '-J', '-t', 'irssi');

/** Waits until the irssi screen matches `pattern`. */
async function waitScreen(pattern: RegExp, ms = 8000): Promise<string> {
  const deadline = Date.now() + ms;
  for (;;) {
    const text = screen();
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`irssi screen never matched ${pattern}:\n${text}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until the hub no longer has `nick` (irssi sent QUIT and the server let it go). */
async function waitForQuit(srv: ChatServer, nick: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (srv.hub.findUser(nick)) {
    if (Date.now() > deadline) throw new Error(`${nick} still connected`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Types a line into irssi, as a person would. */
function type(text: string): void {
  tmux('send-keys', '-t', 'irssi', '-l', text);
  tmux('send-keys', '-t', 'irssi', 'Enter');
}

let home: string | undefined;
let server: ChatServer | undefined;
const lines: WireClient[] = [];
let started = false;
after(async () => {
  if (started) spawnSync('tmux', ['-L', socketName, 'kill-server'], { stdio: 'ignore', timeout: 5000 });
  for (const l of lines) l.close();
  await server?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe(
  'irssi in tmux and a line-door client in #geral',
  { skip: missing.length ? `not installed: ${missing.join(', ')}` : false },
  () => {
    it('see each other: NAMES, messages both ways, joins, leaves', { timeout: 40_000 }, async () => {
      server = await startChatServer({
        line: { host: '127.0.0.1', port: 0 },
        irc: { host: '127.0.0.1', port: 0 },
        http: null,
        dataDir: ':memory:',
        serverName: 'irc.tomada.test',
      });
      const ircPort = server.address('irc')!.port;
      const linePort = server.address('line')!.port;
      home = mkdtempSync(join(tmpdir(), 'tomada-irssi-'));
      // Settings so irssi does not introduce itself with the system's user name, and does not hold back
      // its own commands (its default flood protection sends one line every 2.2 s after a burst of 5).
      writeFileSync(
        join(home, 'config'),
        'settings = {\n' +
          '  core = { real_name = "Ana no irssi"; user_name = "ana"; nick = "ana"; };\n' +
          '  "irc/core" = { cmd_queue_speed = "10msec"; cmds_max_at_once = "50"; };\n' +
          '};\n',
      );

      const bia = await lineUser(linePort, 'bia');
      lines.push(bia);
      bia.send('alguém aí?\n');

      started = true;
      tmux(
        'new-session',
        '-d',
        '-s',
        'irssi',
        '-x',
        '160',
        '-y',
        '45',
        `env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen irssi --home=${home} -c 127.0.0.1 -p ${ircPort} -n ana`,
      );
      await waitScreen(/End of \/MOTD command/);
      assert.match(screen(), /CASEMAPPING=rfc1459/);
      assert.match(screen(), /Capabilities acknowledged: .*server-time/);

      type('/join #geral');
      // NAMES with the line user (op: first in the room), then the room's history.
      await waitScreen(/\[Users #geral\]\n.*\[@bia\] \[ ana\][\s\S]*Total of 2 nicks[\s\S]*<@bia> alguém aí\?/);
      await bia.waitFor('ana entrou no chat!\n');

      type('olá, bia! aqui é o irssi');
      await bia.waitFor('ana: olá, bia! aqui é o irssi\n');

      bia.send('oi, ana! eu uso o cliente do tutorial\n');
      await waitScreen(/<@bia> oi, ana! eu uso o cliente do tutorial/);

      type('/me acena');
      await bia.waitFor('* ana acena\n');

      // A second line user arrives and leaves; irssi shows the join and the quit.
      const caio = await lineUser(linePort, 'caio');
      lines.push(caio);
      await waitScreen(/caio \[line@127\.0\.0\.1\] has joined #geral/);
      caio.close();
      await waitScreen(/caio \[line@127\.0\.0\.1\] has quit/);

      if (process.env.TOMADA_IRSSI_CAPTURE) writeFileSync(process.env.TOMADA_IRSSI_CAPTURE, screen());
      type('/part #geral até mais');
      await bia.waitFor('ana saiu do chat!\n');
      type('/quit tchau');
      await waitForQuit(server, 'ana');
    });
  },
);
