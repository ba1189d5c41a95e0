import { unescapeTagValue } from '../../../codec/irc/message.js';
import { HubError } from '../../../core/errors.js';
import type { ChatMessage } from '../../../core/history.js';
import type { SearchRequest } from '../../../core/history-rules.js';
import { chatMessageToIrc } from '../serialize-events.js';
import type { IrcSession } from '../session.js';
import type { CommandTable } from './types.js';

/**
 * `SEARCH <attributes>` of the soju.im/search extension (soju's
 * `doc/ext/search.md`, https://codeberg.org/emersion/soju): attributes as message tags are written (`text=bom\sdia;in=#geral;limit=20`),
 * `in`, `from`, `after`, `before` (server-time format), `text` and `limit`. The answer is a
 * `soju.im/search` batch of the matching PRIVMSG and NOTICE, oldest first, from the rooms the client is
 * in; `FAIL SEARCH INVALID_PARAMS` names what was wrong.
 */
export function parseSearch(attributes: string): SearchRequest | { invalid: string } {
  const req: Partial<SearchRequest> = {};
  for (const part of attributes.split(';')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : unescapeTagValue(part.slice(eq + 1));
    switch (key) {
      case 'text':
      case 'in':
      case 'from':
        if (value === '') return { invalid: key };
        req[key] = value;
        break;
      case 'after':
      case 'before': {
        const time = Date.parse(value);
        if (Number.isNaN(time)) return { invalid: key };
        req[key] = time;
        break;
      }
      case 'limit': {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 1) return { invalid: key };
        req.limit = n;
        break;
      }
      default:
        return { invalid: key };
    }
  }
  // Search is full-text here: without a text there is nothing to look for (CHATHISTORY reads by time).
  if (req.text === undefined) return { invalid: 'text' };
  return req as SearchRequest;
}

function search(s: IrcSession, attributes: string): void | Promise<void> {
  const fail = (code: string, ...rest: string[]) => s.fromServer('FAIL', 'SEARCH', code, ...rest);
  const req = parseSearch(attributes);
  if ('invalid' in req) return fail('INVALID_PARAMS', req.invalid, 'Invalid parameters');
  const send = (found: ChatMessage[]) => {
    if (!s.isClosed) s.sendBatch('soju.im/search', [], found.map(chatMessageToIrc));
  };
  const refused = (err: unknown) => {
    if (!(err instanceof HubError)) throw err;
    if (s.isClosed) return;
    if (err.reason === 'HISTORY_UNAVAILABLE') return fail('INTERNAL_ERROR', 'The search could not be run');
    fail('INVALID_PARAMS', err.reason === 'SEARCH_INVALID' ? 'text' : 'in', 'Invalid parameters');
  };
  try {
    const found = s.ctx.hub.search(s.me, req);
    if (!(found instanceof Promise)) return send(found);
    return found.then(send, refused);
  } catch (err) {
    refused(err);
  }
}

export const searchCommands: CommandTable = {
  SEARCH: {
    min: 1,
    registered: true,
    onMissing: (s) => s.fromServer('FAIL', 'SEARCH', 'INVALID_PARAMS', 'Invalid parameters'),
    handle: (s, m) => search(s, m.params.join(' ')),
  },
};
