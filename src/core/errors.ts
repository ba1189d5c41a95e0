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
  /** A room message could not be stored (the history store is unreachable): no one received it. */
  | 'NOT_STORED'
  /** A room's history could not be read (the history store is unreachable). */
  | 'HISTORY_UNAVAILABLE'
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
