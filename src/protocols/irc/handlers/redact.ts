import { HubError } from '../../../core/errors.js';
import type { RedactEvent } from '../../../core/events.js';
import { redactToIrc } from '../serialize-events.js';
import type { IrcSession } from '../session.js';
import type { CommandTable } from './types.js';

/**
 * IRCv3 `draft/message-redaction` (https://ircv3.net/specs/extensions/message-redaction):
 * `REDACT <target> <msgid> [:reason]` deletes a room message for everyone and from history, by its
 * sender or a room operator. The sender gets the REDACT back (like an echo); the room's members with the
 * capability get it too. Refusals are the specification's FAIL codes.
 */
function redact(s: IrcSession, target: string, msgid: string, reason: string): void | Promise<void> {
  const done = (ev: RedactEvent) => {
    if (!s.isClosed) s.send(redactToIrc(ev));
  };
  const refused = (err: unknown) => {
    if (!(err instanceof HubError)) throw err;
    if (s.isClosed) return;
    const fail = (code: string, ...rest: string[]) => s.fromServer('FAIL', 'REDACT', code, ...rest);
    switch (err.reason) {
      case 'REDACT_FORBIDDEN':
        return fail('REDACT_FORBIDDEN', target, msgid, 'You are not authorised to delete this message');
      case 'MESSAGE_UNKNOWN':
        return fail('UNKNOWN_MSGID', target, msgid, 'This message does not exist or is too old');
      case 'HISTORY_UNAVAILABLE':
        return fail('TEMPORARILY_UNAVAILABLE', target, msgid, 'History is unavailable, try again');
      default:
        // Not a room one is in (private messages are not kept): nothing there to delete.
        return fail('INVALID_TARGET', target, `You cannot delete messages from ${target}`);
    }
  };
  try {
    const result = s.ctx.hub.redact(s.me, target, msgid, reason);
    if (!(result instanceof Promise)) return done(result);
    return result.then(done, refused);
  } catch (err) {
    refused(err);
  }
}

export const redactCommands: CommandTable = {
  REDACT: {
    min: 2,
    registered: true,
    onMissing: (s) => s.fromServer('FAIL', 'REDACT', 'NEED_MORE_PARAMS', 'Missing parameters'),
    handle: (s, m) => redact(s, m.params[0]!, m.params[1]!, m.params[2] ?? ''),
  },
};
