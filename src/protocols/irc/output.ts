import {
  MAX_BODY_BYTES,
  serializeMessage,
  serializeTags,
  truncateUtf8,
  type IrcMessage,
} from '../../codec/irc/message.js';
import { logText } from '../connection-log.js';
import type { DoorContext } from '../door.js';
import type { Cap } from './caps.js';
import { splitLongMessage } from './serialize-events.js';

/** The tags a client gets: only those of the capabilities it negotiated. */
export function allowedTags(tags: Record<string, string>, caps: ReadonlySet<Cap>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(tags)) {
    if (
      (k === 'time' && caps.has('server-time')) ||
      (k === 'batch' && caps.has('batch')) ||
      (k === 'label' && caps.has('labeled-response')) ||
      (k === 'account' && caps.has('account-tag')) ||
      (k === 'draft/multiline-concat' && caps.has('draft/multiline')) ||
      ((k === 'msgid' || k === 'bot' || k.startsWith('+')) && caps.has('message-tags'))
    ) {
      out[k] = v;
    }
  }
  return out;
}

/**
 * The message as CRLF-terminated lines: one, or several for a text too long for one ('' when it cannot
 * be a line at all, which is logged).
 */
export function ircLines(msg: IrcMessage, ctx: Pick<DoorContext, 'logger' | 'config'>): string {
  let out = '';
  for (const m of splitLongMessage(msg)) {
    const line = serializeLine(m, ctx);
    if (line !== undefined) out += line + '\r\n';
  }
  return out;
}

/**
 * One line, or undefined when the message cannot be one: a middle parameter with a space or a leading
 * `:`. The handlers keep such values out; this is the last guard, so that a value that slipped through
 * costs one line, never the server.
 */
function serializeLine(msg: IrcMessage, ctx: Pick<DoorContext, 'logger' | 'config'>): string | undefined {
  try {
    const line = serializeMessage(msg);
    const tagBytes = Buffer.byteLength(serializeTags(msg.tags));
    const excess = Buffer.byteLength(line) - tagBytes - MAX_BODY_BYTES;
    if (excess <= 0 || msg.params.length === 0) return line;
    // Longer than an IRC line (a multi-byte topic, quit reason, real name): the last parameter is cut.
    const last = msg.params.at(-1)!;
    const cut = truncateUtf8(last, Math.max(0, Buffer.byteLength(last) - excess));
    return serializeMessage({ ...msg, params: [...msg.params.slice(0, -1), cut] });
  } catch (err) {
    ctx.logger.warn({ err, command: msg.command }, logText(ctx.config.lang, 'server.log.notSent', { door: 'irc' }));
    return undefined;
  }
}
