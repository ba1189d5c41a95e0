import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { lineServer } from '../helpers/chat-server.js';
import { lineUser } from '../helpers/wire.js';
import type { ChatServer } from '../../src/server/chat-server.js';

// The client on a real terminal: tmux gives it one of a known width and shows what a person would see.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const SESSION = `tomada-chat-${process.pid}`;
const servers: ChatServer[] = [];

const tmux = (...args: string[]) => execFileSync('tmux', ['-L', SESSION, ...args], { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', SESSION);
async function waitScreen(test: (s: string) => boolean, ms = 15000): Promise<string> {
  const deadline = Date.now() + ms;
  for (;;) {
    const s = screen();
    if (test(s)) return s;
    if (Date.now() > deadline)
      throw new Error(
        `screen never matched:\n${s}\n${tmux('display', '-p', '-t', SESSION, '#{pane_width} #{pane_dead} #{pane_current_command}')}`,
      );
    // tmux has no event to await for a redraw: poll the pane.
    await new Promise((r) => setTimeout(r, 50));
  }
}
function startClient(port: number, width: number, args: string[]): void {
  const cmd = [process.execPath, '--import', 'tsx', MAIN, 'chat', 'connect', `127.0.0.1:${port}`, ...args]
    .map((a) => `'${a}'`)
    .join(' ');
  tmux(
    'new-session',
    '-d',
    '-s',
    SESSION,
    '-x',
    String(width),
    '-y',
    '20',
    '-c',
    ROOT,
    `env LANG=C.UTF-8 NO_COLOR=1 ${cmd}; sleep 30`,
  );
}

before(() => {
  try {
    tmux('kill-server');
  } catch {
    // no server yet
  }
});
after(async () => {
  try {
    tmux('kill-server');
  } catch {
    // already gone
  }
  for (const s of servers) await s.close();
});

describe('the terminal chat client on a terminal (tmux)', { concurrency: false }, () => {
  it('messages stay visible above a typed line wider than the terminal, wide characters too', async () => {
    const { server, port } = await lineServer();
    servers.push(server);
    const bia = await lineUser(port, 'bia');
    bia.send('primeira antes\n');
    startClient(port, 30, ['--nick', 'ana']);
    await waitScreen((s) => s.includes('#geral>'));
    // One time stamp per history line, the room in the prompt.
    assert.doesNotMatch(screen(), /\d\d:\d\d \[\d{4}/);
    const typed = 'uma linha bem longa com 日本語 e 😀 que passa da largura';
    tmux('send-keys', '-t', SESSION, '-l', typed);
    await waitScreen((s) => s.replace(/\n/g, '').includes('passa da largura'));
    for (const n of [1, 2, 3]) bia.send(`mensagem ${n}\n`);
    const s = await waitScreen((x) => x.includes('bia: mensagem 3'));
    for (const n of [1, 2, 3]) assert.match(s, new RegExp(`^\\d\\d:\\d\\d bia: mensagem ${n}\\s*$`, 'm'), s);
    // The typed line is whole again below the messages.
    const rows = s.split('\n');
    const at = rows.findIndex((r) => r.includes('bia: mensagem 3'));
    assert.ok(
      rows
        .slice(at + 1)
        .join('')
        .includes('#geral> uma linha'),
      s,
    );
    assert.ok(
      rows
        .slice(at + 1)
        .join('')
        .replace(/\s+/g, ' ')
        .includes('passa da largura'),
      s,
    );
    // Enter: one's own line comes back with time and nick, like everyone's.
    tmux('send-keys', '-t', SESSION, 'Enter');
    await bia.waitFor(`ana: ${typed}\n`);
    const s2 = await waitScreen((x) => /\d\d:\d\d ana: uma linha/.test(x));
    assert.doesNotMatch(s2, /#geral> uma linha/, s2);
    tmux('kill-server');
  });

  it('a taken nickname: the server says why and the client asks for another', async () => {
    const { server, port } = await lineServer();
    servers.push(server);
    const bia = await lineUser(port, 'bia');
    startClient(port, 80, []);
    await waitScreen((s) => s.includes('Choose your nickname:'));
    tmux('send-keys', '-t', SESSION, 'bia', 'Enter');
    await waitScreen((s) => /taken[^]*Choose your nickname: $/m.test(s.trimEnd() + ' '));
    tmux('send-keys', '-t', SESSION, 'ana', 'Enter');
    await bia.waitFor('ana entrou no chat!\n');
    await waitScreen((s) => s.includes('#geral>'));
    tmux('kill-server');
  });
});
