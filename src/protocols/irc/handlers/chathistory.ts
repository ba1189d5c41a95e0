import {
  allOf,
  andThen,
  type ChatMessage,
  type Cursor,
  type HistoryQuery,
  type MaybePromise,
} from '../../../core/history.js';
import { chatMessageToIrc } from '../serialize-events.js';
import type { IrcSession } from '../session.js';
import { CHATHISTORY_MAX } from './registration.js';
import type { CommandTable } from './types.js';

/**
 * IRCv3 `draft/chathistory` (https://ircv3.net/specs/extensions/chathistory), served from the same
 * history the line door shows: `LATEST`, `BEFORE`, `AFTER`, `AROUND`, `BETWEEN` on channels, with
 * `msgid=` and `timestamp=` references. Replies are a `chathistory` batch, empty when nothing matches.
 */
function parseRef(ref: string): Cursor | undefined {
  if (ref.startsWith('msgid=')) {
    const seq = Number(ref.slice(6));
    return Number.isInteger(seq) && seq >= 0 ? { seq } : undefined;
  }
  if (ref.startsWith('timestamp=')) {
    const time = Date.parse(ref.slice(10));
    return Number.isNaN(time) ? undefined : { time };
  }
  return undefined;
}

function isAfter(a: Cursor, b: Cursor): boolean {
  return 'seq' in a && 'seq' in b ? a.seq > b.seq : 'time' in a && 'time' in b ? a.time > b.time : false;
}

function chathistory(s: IrcSession, params: string[]): void | Promise<void> {
  const sub = params[0]!.toUpperCase();
  const fail = (code: string, ...rest: string[]) => s.fromServer('FAIL', 'CHATHISTORY', code, ...rest);
  const need: Record<string, number> = { LATEST: 4, BEFORE: 4, AFTER: 4, AROUND: 4, BETWEEN: 5 };
  if (sub === 'TARGETS') {
    s.sendBatch('draft/chathistory-targets', [], []);
    return;
  }
  const n = need[sub];
  if (n === undefined) {
    fail('UNKNOWN_COMMAND', sub, 'Unknown command');
    return;
  }
  if (params.length < n) {
    fail('NEED_MORE_PARAMS', sub, 'Missing parameters');
    return;
  }
  const target = params[1]!;
  const limit = Number(params[n - 1]);
  if (!Number.isInteger(limit) || limit < 0) {
    fail('INVALID_PARAMS', sub, 'Invalid limit');
    return;
  }
  const lim = Math.min(limit === 0 ? CHATHISTORY_MAX : limit, CHATHISTORY_MAX);
  const refs = params.slice(2, n - 1);
  const cursors: Array<Cursor | undefined> = refs.map((r) => (sub === 'LATEST' && r === '*' ? undefined : parseRef(r)));
  if (cursors.some((c, i) => c === undefined && !(sub === 'LATEST' && refs[i] === '*'))) {
    fail('INVALID_PARAMS', sub, refs.join(' '), 'Invalid message reference');
    return;
  }
  const { hub } = s.ctx;
  const room = hub.findRoom(target);
  if (!target.startsWith('#')) {
    // Private messages are not kept.
    s.sendBatch('chathistory', [target], []);
    return;
  }
  if (room && !room.visibleTo(s.me)) {
    fail('INVALID_TARGET', sub, target, 'Messages could not be retrieved');
    return;
  }
  const name = room?.name ?? target;
  const q = (query: HistoryQuery) => hub.roomHistory(name, query);
  const c0 = cursors[0];
  let messages: MaybePromise<ChatMessage[]>;
  switch (sub) {
    case 'LATEST':
      messages = andThen(q({ limit: lim }), (list) =>
        c0 ? list.filter((m) => ('seq' in c0 ? m.seq > c0.seq : m.time > c0.time)) : list,
      );
      break;
    case 'BEFORE':
      messages = q({ before: c0!, limit: lim });
      break;
    case 'AFTER':
      messages = q({ after: c0!, limit: lim });
      break;
    case 'AROUND': {
      const half = Math.max(1, Math.floor(lim / 2));
      const exact = 'seq' in c0! ? q({ after: { seq: c0.seq - 1 }, limit: 1 }) : [];
      messages = andThen(allOf([q({ before: c0!, limit: half }), exact]), ([before, found]) => {
        const at = found!.filter((m) => 'seq' in c0! && m.seq === c0.seq);
        const left = Math.max(0, lim - before!.length - at.length);
        return andThen(q({ after: c0!, limit: left }), (after) => [...before!, ...at, ...after]);
      });
      break;
    }
    default: {
      const c1 = cursors[1]!;
      messages = isAfter(c1, c0!)
        ? q({ after: c0!, before: c1, limit: lim })
        : q({ after: c1, before: c0!, limit: lim });
    }
  }
  const send = (list: ChatMessage[]) => {
    if (!s.isClosed) s.sendBatch('chathistory', [name], list.map(chatMessageToIrc));
  };
  if (!(messages instanceof Promise)) return send(messages);
  return messages.then(send, () => {
    if (!s.isClosed) fail('MESSAGE_ERROR', sub, target, 'Messages could not be retrieved');
  });
}

export const chathistoryCommands: CommandTable = {
  CHATHISTORY: {
    min: 1,
    registered: true,
    onMissing: (s) => s.fromServer('FAIL', 'CHATHISTORY', 'NEED_MORE_PARAMS', '*', 'Missing parameters'),
    handle: (s, m) => chathistory(s, m.params),
  },
};
