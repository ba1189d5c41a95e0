import type { HubEvent } from './events.js';
import type { Fanout } from './fanout.js';
import type { AnyHistoryStore } from './history.js';
import type { RoomRules } from './hub-options.js';
import type { IdSequence } from './ids.js';
import type { HubObserver } from './observer.js';
import type { Room } from './room.js';
import type { User } from './user.js';

/** An event as the hub writes it, before the version, the time and the bytes cache are added. */
export type NewEvent = HubEvent extends infer E ? (E extends HubEvent ? Omit<E, 'v' | 'time' | 'wire'> : never) : never;

/**
 * The hub's own state, as its parts (membership.ts, moderation.ts, user-profile.ts, messaging.ts,
 * hub-history.ts) use it: the hub makes one and passes it to them; the doors never see it (they call the
 * hub's methods).
 */
export interface HubState {
  readonly rooms: Map<string, Room>;
  readonly fanout: Fanout;
  readonly observers: readonly HubObserver[];
  readonly history: AnyHistoryStore;
  readonly messageIds: IdSequence;
  /** Registered rooms' rules, when someone keeps them (asked each time: they are set after the hub is made). */
  rules(): RoomRules | undefined;
  /** The clock (a function value: the message path keeps it as it is). */
  readonly now: () => number;
  /** An event of this node: stamped with the version and the time. */
  event(data: NewEvent): HubEvent;
  findUser(nick: string): User | undefined;
  findRoom(name: string): Room | undefined;
  /** The room `name`, of which `user` is a member (else `NO_SUCH_ROOM`, `NOT_IN_ROOM`). */
  memberRoom(user: User, name: string): Room;
  /** Takes `user` out of `room`, and the room away once empty. */
  removeMember(room: Room, user: User): void;
  /** Refuses (`CLUSTER_UNAVAILABLE`) what needs the other nodes while the bus is down. */
  needNetwork(params: Record<string, string>): void;
}
