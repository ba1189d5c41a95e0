import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/cli.js';

describe('flags that do not apply are refused, not ignored', () => {
  it('--threads with a model other than threads, --workers without processes', async () => {
    const t = await runCli(['hello', 'serve', '--port', '0', '--model', 'evented', '--threads', '8']);
    assert.equal(t.code, 2);
    assert.equal(t.stderr, 'tomada: error: --threads applies only to --model threads (not evented)\n');
    const w = await runCli(['echo', 'serve', '--port', '0', '--workers', '2']);
    assert.equal(w.code, 2);
    assert.equal(w.stderr, 'tomada: error: --workers applies only to --model processes (not evented)\n');
  });

  it('--rate over TCP (it limits UDP answers only)', async () => {
    const r = await runCli(['echo', 'serve', '--port', '0', '--rate', '5']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'tomada: error: --rate cannot be used with TCP (no --udp)\n');
  });

  it('--duration is seconds everywhere, and every client --timeout shows the same default', async () => {
    for (const args of [
      ['bench', 'models'],
      ['bench', 'chat'],
      ['bench', 'echo'],
    ]) {
      const h = await runCli([...args, '--help']);
      assert.match(h.stdout, /--duration <secs>/, args.join(' '));
    }
    for (const args of [
      ['hello', 'connect'],
      ['echo', 'connect'],
      ['chat', 'connect'],
    ]) {
      const h = await runCli([...args, '--help']);
      assert.match(h.stdout, /--timeout <ms>[^]*?\(default:\s+"5000"\)/, args.join(' '));
    }
    const bad = await runCli(['bench', 'models', '--duration', '2500']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--duration must be between 0\.1 and 600, got 2500/);
  });
});
