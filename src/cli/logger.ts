import { createRequire } from 'node:module';
import pino, { type Logger } from 'pino';

// pino-pretty is loaded only for a terminal: a server under a supervisor never pays its memory.
const require = createRequire(import.meta.url);

/** Logs readable in a terminal (pino-pretty), JSON lines otherwise (for log collectors). */
export function createLogger(level: string, stream: NodeJS.WritableStream): Logger {
  const tty = (stream as NodeJS.WriteStream).isTTY === true;
  if (tty) {
    const pretty = require('pino-pretty') as typeof import('pino-pretty');
    return pino(
      { level },
      pretty({
        colorize: true,
        translateTime: 'SYS:HH:MM:ss',
        ignore: 'pid,hostname',
        singleLine: true,
        destination: 1,
        sync: true,
      }),
    );
  }
  return pino({ level, base: undefined }, pino.destination({ fd: 1, sync: true }));
}
