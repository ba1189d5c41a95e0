import type { IrcMessage } from '../../../codec/irc/message.js';
import { casefold } from '../../../core/names.js';
import { MULTILINE_MAX_BYTES, MULTILINE_MAX_LINES } from '../caps.js';
import type { IrcSession } from '../session.js';
import { clientTags, sendOne, splitStatus } from './messaging.js';
import type { CommandTable } from './types.js';

/** A `draft/multiline` batch the client has opened and not closed yet. */
export interface OpenMultiline {
  id: string;
  target: string;
  /** The label of the opening `BATCH`: the response to the whole batch carries it (labeled-response). */
  label: string | undefined;
  /** Client-only tags, which ride on the opening `BATCH`. */
  tags: Record<string, string>;
  text: string;
  lines: number;
  bytes: number;
}

function fail(s: IrcSession, code: string, ...params: string[]): void {
  s.multiline = undefined;
  const text =
    code === 'MULTILINE_MAX_BYTES'
      ? 'Multiline batch max-bytes exceeded'
      : code === 'MULTILINE_MAX_LINES'
        ? 'Multiline batch max-lines exceeded'
        : code === 'MULTILINE_INVALID_TARGET'
          ? 'Invalid multiline target'
          : 'Invalid multiline batch';
  s.fromServer('FAIL', 'BATCH', code, ...params, text);
}

/** `BATCH +id draft/multiline <target>` opens, `BATCH -id` closes and sends (client-initiated batches). */
function batch(s: IrcSession, msg: IrcMessage): void | Promise<void> {
  const [ref, type, target] = msg.params as [string, string | undefined, string | undefined];
  if (ref.startsWith('+')) {
    if (s.multiline) return fail(s, 'MULTILINE_INVALID');
    if (type !== 'draft/multiline' || !target || !s.caps.has('draft/multiline') || ref.length < 2) {
      return fail(s, 'MULTILINE_INVALID');
    }
    s.multiline = {
      id: ref.slice(1),
      target,
      label: msg.tags.label || undefined,
      tags: msg.tags,
      text: '',
      lines: 0,
      bytes: 0,
    };
    return;
  }
  const open = s.multiline;
  if (!ref.startsWith('-') || !open || open.id !== ref.slice(1)) return fail(s, 'MULTILINE_INVALID');
  s.multiline = undefined;
  // A message of blank lines only is not a message (the client must not send one).
  if (open.text.trim() === '') return fail(s, 'MULTILINE_INVALID');
  const annotations = clientTags(open.tags, s.ctx.config.clientTagDeny);
  return sendOne(s, 'PRIVMSG', open.target, open.text, open.text, 'message', annotations, true);
}

/**
 * A PRIVMSG inside the open batch (tagged `batch=<id>`): its text is added, after a line feed unless it
 * has `draft/multiline-concat`. Anything wrong ends the batch with a FAIL, and nothing is sent.
 */
export function multilineLine(s: IrcSession, msg: IrcMessage): void {
  const open = s.multiline;
  if (!open || msg.tags.batch !== open.id || msg.command !== 'PRIVMSG') return fail(s, 'MULTILINE_INVALID');
  const target = msg.params[0] ?? '';
  if (casefold(splitStatus(target).target) !== casefold(splitStatus(open.target).target) || target === '') {
    return fail(s, 'MULTILINE_INVALID_TARGET', open.target, target || '*');
  }
  const text = msg.params[1] ?? '';
  const concat = msg.tags['draft/multiline-concat'] !== undefined;
  if (concat && text === '') return fail(s, 'MULTILINE_INVALID');
  const glue = open.lines === 0 || concat ? '' : '\n';
  open.bytes += Buffer.byteLength(glue + text);
  open.lines++;
  if (open.bytes > MULTILINE_MAX_BYTES) return fail(s, 'MULTILINE_MAX_BYTES', String(MULTILINE_MAX_BYTES));
  if (open.lines > MULTILINE_MAX_LINES) return fail(s, 'MULTILINE_MAX_LINES', String(MULTILINE_MAX_LINES));
  open.text += glue + text;
}

export const multilineCommands: CommandTable = {
  BATCH: { min: 1, registered: true, handle: batch },
};
