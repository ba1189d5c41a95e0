import type { HubError } from '../../core/errors.js';
import { NICK_MAX } from '../../core/names.js';
import type { Translate } from '../../i18n/index.js';

/** A hub refusal as a line in the person's language. */
export function hubErrorText(tr: Translate, err: HubError): string {
  const p = err.params;
  switch (err.reason) {
    case 'NICK_IN_USE':
      return tr('chat.nick.inUse', p);
    case 'NICK_INVALID':
      return tr(`chat.nick.${String(p.problem)}`, { ...p, max: NICK_MAX });
    case 'ROOM_INVALID':
      return tr('chat.room.invalid', p);
    case 'NO_SUCH_ROOM':
      return tr('chat.room.noSuch', p);
    case 'NO_SUCH_NICK':
      return tr('chat.noSuchNick', p);
    case 'BANNED':
      return tr('chat.room.banned', p);
    case 'INVITE_ONLY':
      return tr('chat.room.inviteOnly', p);
    case 'BAD_KEY':
      return tr('chat.room.badKey', p);
    case 'ROOM_FULL':
      return tr('chat.room.full', p);
    case 'CANNOT_SEND':
      return tr('chat.room.cannotSend', p);
    case 'NOT_ROOM_OP':
      return tr('chat.room.notOp', p);
    case 'TOO_MANY_ROOMS':
      return tr('chat.room.tooMany', p);
    case 'ALREADY_IN_ROOM':
      return tr('chat.room.already', p);
    case 'NOT_IN_ROOM':
      return tr('chat.room.none');
    case 'NOT_STORED':
      return tr('chat.room.notStored', p);
    case 'HISTORY_UNAVAILABLE':
      return tr('chat.history.unavailable', p);
    case 'SEARCH_INVALID':
      return tr(p.problem === 'long' ? 'chat.search.long' : 'chat.search.empty', p);
    case 'CLUSTER_UNAVAILABLE':
      return tr(p.room !== undefined ? 'cluster.unavailable.room' : 'cluster.unavailable.nick', p);
    default:
      return tr('chat.error.generic', { reason: err.reason });
  }
}
