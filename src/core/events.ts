import type { ChatMessage } from './history.js';
import type { Room } from './room.js';
import type { User } from './user.js';

/**
 * What the hub tells the doors. Each event is created once per occurrence and handed to every recipient;
 * `wire` is a per-event cache where a door keeps the bytes it serialised the event to (keyed by the door's
 * own variant name), so a message going to 1,000 users of one door is serialised once.
 */
interface Base {
  wire: Record<string, Buffer | undefined>;
}

export interface JoinEvent extends Base {
  type: 'join';
  room: Room;
  user: User;
}
export interface PartEvent extends Base {
  type: 'part';
  room: Room;
  user: User;
  reason: string;
}
export interface QuitEvent extends Base {
  type: 'quit';
  user: User;
  reason: string;
}
export interface NickEvent extends Base {
  type: 'nick';
  user: User;
  oldNick: string;
  /** `nick!user@host` as it was before the change. */
  oldMask: string;
}
export interface MessageEvent extends Base {
  type: 'message';
  message: ChatMessage;
  /** Set for private messages: the user it is for. */
  to?: User;
}
export interface TopicEvent extends Base {
  type: 'topic';
  room: Room;
  user: User;
}
export interface KickEvent extends Base {
  type: 'kick';
  room: Room;
  by: User;
  target: User;
  reason: string;
}
export interface ModeChange {
  adding: boolean;
  mode: string;
  param?: string;
}
export interface ModeEvent extends Base {
  type: 'mode';
  room: Room;
  by: User | null;
  changes: ModeChange[];
}
export interface InviteEvent extends Base {
  type: 'invite';
  room: Room;
  by: User;
  target: User;
}
export interface AwayEvent extends Base {
  type: 'away';
  user: User;
}
export interface SetnameEvent extends Base {
  type: 'setname';
  user: User;
}

export type HubEvent =
  | JoinEvent
  | PartEvent
  | QuitEvent
  | NickEvent
  | MessageEvent
  | TopicEvent
  | KickEvent
  | ModeEvent
  | InviteEvent
  | AwayEvent
  | SetnameEvent;

/** What a door gives the hub for each user: where events go, and how to end the connection. */
export interface Sink {
  /** The door's name (`line`, `irc`, `web`, …), for statistics and WHOIS. */
  readonly door: string;
  deliver(event: HubEvent): void;
  /** The hub ends the user's session (KILL, shutdown); the door says `reason` in its own way and closes. */
  disconnect(reason: string): void;
}
