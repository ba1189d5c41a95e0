import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

/** Logs readable in a terminal (pino-pretty), JSON lines otherwise (for log collectors). */
export function createLogger(level: string, stream: NodeJS.WritableStream): Logger {
  const tty = (stream as NodeJS.WriteStream).isTTY === true;
  if (tty) {
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
