import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { lineServer } from '../helpers/chat-server.js';
import type { ChatServer } from '../../src/server/chat-server.js';

const dir = mkdtempSync(join(tmpdir(), 'tomada-serve-usage-'));
const servers: ChatServer[] = [];
after(async () => {
  for (const s of servers) await s.close();
  rmSync(dir, { recursive: true, force: true });
});
const quiet = ['--irc', 'off', '--http', 'off', '--data-dir', ':memory:'];

/** One line on stderr, the given status, nothing like a stack trace anywhere. */
async function refused(args: string[], code: number, pattern: RegExp, env?: NodeJS.ProcessEnv): Promise<string> {
  const r = await runCli(['chat', 'serve', ...args], { env });
  assert.equal(r.code, code, r.stderr + r.stdout);
  assert.match(r.stderr, pattern);
  assert.equal(r.stderr.split('\n').length, 2, r.stderr);
  assert.doesNotMatch(r.stdout + r.stderr, /\bat \S+ \(|stack/);
  return r.stderr;
}

describe('tomada chat serve refuses what cannot work, in one line', () => {
  it('a busy port: one line naming the door flag (--line), no stack trace', async () => {
    const { server, port } = await lineServer();
    servers.push(server);
    await refused(
      ['--line', `127.0.0.1:${port}`, ...quiet],
      1,
      new RegExp(`^tomada: error: port ${port} on 127\\.0\\.0\\.1 is already in use: .* choose another --line\\n$`),
    );
  });

  it('every door switched off: exit 2 and says so (not exit 13 in silence)', async () => {
    await refused(['--line', 'off', ...quiet], 2, /^tomada: error: .*line: every door is off/);
  });

  it('--tls-cert without --tls-key, and the reverse: exit 2', async () => {
    await refused(['--line', '127.0.0.1:0', ...quiet, '--tls-cert', 'x.pem'], 2, /tlsKey: missing/);
    await refused(['--line', '127.0.0.1:0', ...quiet, '--tls-key', 'x.pem'], 2, /tlsCert: missing/);
  });

  it('--ircs without a certificate is bad usage (exit 2), not an unexpected error', async () => {
    await refused(['--line', '127.0.0.1:0', ...quiet, '--ircs', '127.0.0.1:0'], 2, /ircs: IRC over TLS needs/);
  });

  it('a misspelt key in --config is refused with its path', async () => {
    const top = join(dir, 'top.json');
    writeFileSync(top, JSON.stringify({ lines: 5000 }));
    await refused(['--config', top, ...quiet], 2, /^tomada: error: .*\blines: unknown setting\n$/);
    const nested = join(dir, 'nested.json');
    writeFileSync(nested, JSON.stringify({ limits: { maxLines: 10 } }));
    await refused(['--config', nested, ...quiet], 2, /limits\.maxLines: unknown setting/);
  });

  it('--allow-origin with every web door off has no effect: refused', async () => {
    await refused(['--line', '127.0.0.1:0', ...quiet, '--allow-origin', 'http://x'], 2, /allowOrigins: has no effect/);
  });

  it('--motd with every IRC door off has no effect: refused', async () => {
    await refused(['--line', '127.0.0.1:0', ...quiet, '--motd', '/dev/null'], 2, /motdFile: has no effect/);
  });
});
