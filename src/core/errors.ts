import { TomadaError } from '../errors.js';

/** Why the hub refused an operation. Doors map each code to their own reply (numeric, line, JSON). */
export type HubErrorCode =
  | 'NICK_INVALID'
  | 'NICK_IN_USE'
  | 'ROOM_INVALID'
  | 'NO_SUCH_ROOM'
  | 'NO_SUCH_NICK'
  | 'NOT_IN_ROOM'
  | 'ALREADY_IN_ROOM'
  | 'USER_NOT_IN_ROOM'
  | 'NOT_ROOM_OP'
  | 'NOT_SERVER_OP'
  | 'BANNED'
  | 'INVITE_ONLY'
  | 'BAD_KEY'
  | 'ROOM_FULL'
  | 'CANNOT_SEND'
  | 'EMPTY_TEXT'
  | 'TOO_MANY_ROOMS'
  | 'BAN_LIST_FULL'
  /** A room cannot take that name: another room has it. */
  | 'ROOM_NAME_IN_USE'
  /** A registered room keeps its name, and a registered name is its room's (no rename from or to it). */
  | 'ROOM_REGISTERED'
  /** A room message could not be stored (the history store is unreachable): no one received it. */
  | 'NOT_STORED'
  /** A room's history could not be read (the history store is unreachable). */
  | 'HISTORY_UNAVAILABLE'
  /** No stored message of that room has that id (or it was deleted already). */
  | 'MESSAGE_UNKNOWN'
  /** Only the sender or a room operator may delete a message. */
  | 'REDACT_FORBIDDEN'
  /** A search text that is empty or too long (`problem`: `empty`, `long`). */
  | 'SEARCH_INVALID'
  /**
   * The network's shared state (Redis) cannot be reached now: what cannot be done safely without it
   * (taking a nickname, joining a room) is refused rather than done wrongly.
   */
  | 'CLUSTER_UNAVAILABLE';

export class HubError extends TomadaError {
  constructor(
    readonly reason: HubErrorCode,
    readonly params: Record<string, string | number> = {},
  ) {
    super(`TOMADA_ERR_HUB_${reason}`, `${reason} ${JSON.stringify(params)}`);
  }
}
