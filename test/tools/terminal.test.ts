import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { createLiveTerminal } from '../../src/tools/terminal.js';

function fakeTty() {
  const input = new PassThrough();
  const output = new PassThrough();
  let screen = '';
  output.setEncoding('utf8');
  output.on('data', (d: string) => (screen += d));
  return { input, output, screen: () => screen };
}

describe('live terminal', () => {
  it('prints an incoming message above the line being typed, and redraws it', async () => {
    const tty = fakeTty();
    const term = createLiveTerminal({ input: tty.input, output: tty.output, prompt: '> ', terminal: true });
    term.prompt();
    tty.input.write('hel'); // the user is typing
    await new Promise((r) => setImmediate(r));
    term.print('Echo: hi');
    await new Promise((r) => setImmediate(r));
    const s = tty.screen();
    const at = s.lastIndexOf('Echo: hi\n');
    assert.ok(at > 0, s);
    // Before the message: the input line was cleared (erase line, cursor to column 0).
    // eslint-disable-next-line no-control-regex -- the terminal's escape sequences are what is checked
    assert.match(s.slice(0, at), /\x1b\[2K\x1b\[1G$|\x1b\[2K\r?$|\x1b\[2K\x1b\[0G$/);
    // After it: the prompt with what was typed so far.
    assert.match(s.slice(at), /> hel/);
    const lines: string[] = [];
    const reading = (async () => {
      for await (const l of term.lines()) lines.push(l);
    })();
    tty.input.write('lo\r');
    await new Promise((r) => setImmediate(r));
    term.close();
    await reading;
    assert.deepEqual(lines, ['hello']);
  });

  it('on a pipe: plain lines in, plain lines out, no escape sequences', async () => {
    const tty = fakeTty();
    const term = createLiveTerminal({ input: tty.input, output: tty.output });
    assert.equal(term.interactive, false);
    tty.input.end('a\nb\n');
    const lines: string[] = [];
    for await (const l of term.lines()) lines.push(l);
    term.print('x');
    assert.deepEqual(lines, ['a', 'b']);
    assert.equal(tty.screen(), 'x\n');
  });
});
