import readline from 'node:readline';
import { plainText } from '../core/names.js';

export interface LiveTerminalOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Prompt shown on a terminal (not on a pipe). Default `> `. */
  prompt?: string;
  /** Treat the streams as a terminal; default: whether `input` and `output` are TTYs. */
  terminal?: boolean;
}

/**
 * A line reader for interactive clients that may print at any moment (chapter 4's non-blocking client):
 * when a message arrives while the user is typing, the input line is cleared, the message printed above
 * it, and the prompt redrawn with what the user had typed, as wscat does. On a pipe it only reads lines
 * and prints; no prompt, no escape sequences.
 *
 * @example
 * ```ts
 * const term = createLiveTerminal({ input: process.stdin, output: process.stdout });
 * socket.on('data', (d) => term.print(d.toString()));
 * for await (const line of term.lines()) socket.write(line + '\n');
 * term.close();
 * ```
 */
export interface LiveTerminal {
  /** True when prompts and redraws are in use. */
  readonly interactive: boolean;
  /** Prints `text` (one or more lines) without breaking the line being typed. */
  print(text: string): void;
  /** The lines the user enters, until end of input or {@link LiveTerminal.close}. */
  lines(): AsyncIterable<string>;
  /** Shows the prompt (terminals only). */
  prompt(): void;
  /** Stops reading; ends `lines()`. Safe to call twice. */
  close(): void;
}

export function createLiveTerminal(options: LiveTerminalOptions): LiveTerminal {
  const isTTY = (s: unknown) => (s as { isTTY?: boolean }).isTTY === true;
  const interactive = options.terminal ?? (isTTY(options.input) && isTTY(options.output));
  const rl = readline.createInterface({
    input: options.input,
    output: interactive ? options.output : undefined,
    terminal: interactive,
    prompt: options.prompt ?? '> ',
  });
  // Lines are queued from the moment the terminal exists, so none is lost when input arrives (or ends)
  // before the caller starts iterating: Node 20's own `rl[Symbol.asyncIterator]()` drops lines that were
  // read before it, and everything when the input ended first.
  const queue: string[] = [];
  let closed = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  rl.on('line', (line) => {
    queue.push(line);
    notify();
  });
  rl.on('close', () => {
    closed = true;
    notify();
  });
  const out = options.output;
  return {
    interactive,
    print(raw: string) {
      // What peers send is shown, never obeyed: controls and IRC formatting go, line by line.
      const text = raw
        .split('\n')
        .map((l) => plainText(l.endsWith('\r') ? l.slice(0, -1) : l))
        .join('\n');
      const body = text.endsWith('\n') ? text : text + '\n';
      if (!interactive || closed) {
        out.write(body);
        return;
      }
      readline.clearLine(out, 0);
      readline.cursorTo(out, 0);
      out.write(body);
      // Redraws the prompt and what the user had typed, with the cursor where it was.
      rl.prompt(true);
    },
    async *lines() {
      for (;;) {
        const line = queue.shift();
        if (line !== undefined) {
          yield line;
          continue;
        }
        if (closed) return;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
    prompt() {
      if (interactive && !closed) rl.prompt(true);
    },
    close() {
      queue.length = 0;
      if (!closed) rl.close();
    },
  };
}
