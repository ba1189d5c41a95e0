import { CommandFailure, ConfigError, NoReplyError, PeerClosedError, TimeoutError, UsageError } from '../errors.js';
import type { Translate } from '../i18n/index.js';
import { configText } from '../server/config-text.js';

interface ErrnoLike {
  code?: string;
  address?: string;
  port?: number;
  hostname?: string;
  message?: string;
  /** The flag that chose the address (set by the command that listened), for EADDRINUSE. */
  flag?: string;
}

/** Where the failing operation was aimed, for errors that do not say it themselves. */
export interface ErrorContext {
  host?: string;
  port?: number;
}

/**
 * Turns any error into one line a person can act on (never a stack trace). Network errno codes are
 * mapped to the catalogue; anything unknown is still one line.
 */
export function describeError(err: unknown, tr: Translate, ctx: ErrorContext = {}): string {
  if (err instanceof UsageError || err instanceof CommandFailure) return tr(err.key, err.params);
  if (err instanceof TimeoutError) {
    return err.phase === 'connect'
      ? tr('cli.error.connectTimeout', {
          host: err.host ?? ctx.host ?? '?',
          port: err.port ?? ctx.port ?? '?',
          ms: err.ms,
        })
      : tr('cli.error.readTimeout', { ms: err.ms });
  }
  if (err instanceof NoReplyError) return tr('cli.error.noReply', { host: err.host, port: err.port, ms: err.ms });
  if (err instanceof PeerClosedError) return tr('cli.error.peerClosed');
  if (err instanceof ConfigError) {
    if (err.key === undefined) return tr('cli.error.config', { message: err.message });
    const text = configText(tr, err.key, err.params);
    return tr('cli.error.config', { message: err.path === undefined ? text : `${err.path}: ${text}` });
  }
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as ErrnoLike;
  const host = e.address ?? e.hostname ?? ctx.host ?? '?';
  const port = e.port ?? ctx.port ?? '?';
  switch (e.code) {
    case 'EADDRINUSE':
      return tr('cli.error.addrInUse', { host, port, flag: e.flag ?? '--port' });
    case 'EADDRNOTAVAIL':
      return tr('cli.error.addrNotAvail', { host });
    case 'EACCES':
      return tr('cli.error.access', { port });
    case 'ECONNREFUSED':
      return tr('cli.error.refused', { host, port });
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return tr('cli.error.dns', { host: e.hostname ?? ctx.host ?? host });
    case 'ETIMEDOUT':
      return tr('cli.error.connectTimeout', { host, port, ms: '?' });
    case 'ECONNRESET':
      return tr('cli.error.reset');
    case 'EPIPE':
      return tr('cli.error.brokenPipe');
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
      return tr('cli.error.unreachable', { host });
    default:
      return tr('cli.error.unexpected', { message: e.message ?? String(err) });
  }
}
