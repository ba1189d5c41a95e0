import { logText } from '../connection-log.js';
import {
  MAX_BODY_BYTES,
  MAX_CLIENT_TAG_BYTES,
  parseMessage,
  splitTagSection,
  type IrcMessage,
} from '../../codec/irc/message.js';
import { ERR } from '../../codec/irc/numerics.js';
import { HubError } from '../../core/errors.js';
import { COMMANDS } from './handlers/index.js';
import { multilineLine, type OpenMultiline } from './handlers/multiline.js';
import { sendLabeled } from './labeled-response.js';
import type { IrcSession } from './session.js';

/** See {@link IrcSession.inboxPipelines}. */
const PIPELINED = /^(?::\S+ )?(?:PRIVMSG|NOTICE) #[^ ,]+ /i;
const HTTP_REQUEST = /^[A-Z]{3,7} \S+ HTTP\/\d(\.\d)?$/;

/** One line waiting for flood control, and whether it was valid UTF-8. */
export interface InboundLine {
  line: string;
  utf8: boolean;
}

/** A plain PRIVMSG or NOTICE to one channel, without tags (a label or a batch waits its turn). */
export function pipelines(line: string): boolean {
  return PIPELINED.test(line);
}

/** A received line: too long (417, the connection stays), blank (ignored), or a command to queue. */
export function lineSize(line: string): 'too long' | 'blank' | 'command' {
  const { tags, body } = splitTagSection(line);
  // message-tags "Size limit": a client's tag data (between `@` and the space) is at most 4094 bytes.
  if (tags !== undefined && Buffer.byteLength(tags) + 2 > MAX_CLIENT_TAG_BYTES) return 'too long';
  if (Buffer.byteLength(body) > MAX_BODY_BYTES) return 'too long';
  return body.trim() === '' ? 'blank' : 'command';
}

/** Whether a client's first line is a web browser's request (`GET / HTTP/1.1`). */
export function isHttpRequest(line: string): boolean {
  return HTTP_REQUEST.test(line);
}

/** What a web browser that opened the IRC port is answered before the connection ends. */
export function httpRefusal(network: string): Buffer {
  const text = `This is an IRC server (${network}); connect with an IRC client, not a web browser.\n`;
  return Buffer.from(
    `HTTP/1.0 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
  );
}

/** One line the inbox lets through: parsed, and run unless it is not UTF-8. */
export function handleLine(s: IrcSession, { line, utf8 }: InboundLine): void | Promise<void> {
  const msg = parseMessage(line);
  // UTF8ONLY: a line that is not UTF-8 is refused whole, never relayed with replacement characters.
  if (msg && !utf8) s.fromServer('FAIL', msg.command, 'INVALID_UTF8', 'Message rejected: invalid UTF-8');
  else if (msg) return dispatch(s, msg);
}

/**
 * Runs one command. A command that waits (a nickname claim) keeps its labeled capture open until it
 * settles; the inbox handles nothing else of this client meanwhile.
 */
function dispatch(s: IrcSession, msg: IrcMessage): void | Promise<void> {
  const label = labelOf(msg, s.multiline);
  const labeled = label !== undefined && label !== '' && s.caps.has('labeled-response');
  if (labeled) s.capture();
  let pending: Promise<void> | undefined;
  try {
    pending = runCommand(s, msg);
  } finally {
    if (labeled && !pending) sendLabeled(s, label, s.endCapture());
  }
  // A JOIN that waits for its history replay (an asynchronous store) holds back this client's events
  // too: what the room says meanwhile follows the replay, and what the replay already showed is not
  // shown twice.
  if (!pending || (!labeled && msg.command !== 'JOIN')) return pending;
  s.defer();
  return pending.finally(() => {
    const deferred = s.undefer();
    if (s.isClosed) return;
    if (msg.command === 'PRIVMSG' || msg.command === 'NOTICE') {
      // A message's answer is its echo, at its place in the room's order (the one order of every node):
      // what reached this client while the message waited for it came before it, and goes out first.
      const captured = s.endCapture();
      for (const ev of deferred) s.deliver(ev);
      if (label !== undefined) sendLabeled(s, label, captured);
      return;
    }
    if (labeled) sendLabeled(s, label, s.endCapture());
    for (const ev of deferred) s.deliver(ev);
  });
}

/** The label a command's response carries (labeled-response). */
function labelOf(msg: IrcMessage, multiline: OpenMultiline | undefined): string | undefined {
  // A client batch (draft/multiline) is answered as a whole, under the label of its opening BATCH.
  if (msg.tags.batch !== undefined) return undefined;
  if (msg.command === 'BATCH') return msg.params[0]?.startsWith('-') ? multiline?.label : undefined;
  return msg.tags.label;
}

/**
 * Runs one command through the command table: unknown, unregistered and short commands are answered
 * here; a command that waits is returned (its failure answered or logged when it settles).
 */
function runCommand(s: IrcSession, msg: IrcMessage): Promise<void> | undefined {
  if (msg.tags.batch !== undefined && s.registered) {
    multilineLine(s, msg);
    return;
  }
  const spec = Object.hasOwn(COMMANDS, msg.command) ? COMMANDS[msg.command] : undefined;
  if (!spec) {
    if (s.registered) s.reply(ERR.UNKNOWNCOMMAND, msg.command, 'Unknown command');
    else s.reply(ERR.NOTREGISTERED, 'You have not registered');
    return;
  }
  if (spec.registered && !s.registered) {
    s.reply(ERR.NOTREGISTERED, 'You have not registered');
    return;
  }
  if (msg.params.length < spec.min) {
    if (spec.onMissing) spec.onMissing(s, msg);
    else s.reply(ERR.NEEDMOREPARAMS, msg.command, 'Not enough parameters');
    return;
  }
  try {
    const pending = spec.handle(s, msg);
    if (pending) return pending.catch((err: unknown) => failedLater(s, err, msg.command));
  } catch (err) {
    s.hubError(err, msg.command);
  }
  return undefined;
}

/** A command that waited failed: a rule's error is answered, anything else logged and the client let go. */
function failedLater(s: IrcSession, err: unknown, command: string): void {
  if (err instanceof HubError) {
    if (!s.isClosed) s.hubError(err, command);
    return;
  }
  s.ctx.logger.error({ err, door: 'irc' }, logText(s.ctx.config.lang, 'server.log.inputFailed', { door: 'irc' }));
  s.quit('Internal error');
}
