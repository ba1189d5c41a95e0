import type { ChatMessage } from './history.js';
import type { Topic } from './room.js';

/**
 * What the hub tells the doors: plain data, versioned, that can cross a process (the bus carries it).
 * An event holds snapshots taken when it happened (nicks, masks, room names, the topic, the member
 * list of a mode change), so a renderer reads nothing live and renders the same bytes on any node.
 *
 * Each event is created once per occurrence and handed to every recipient; `wire` is a per-event cache
 * where a door keeps the bytes it serialised the event to (keyed by the door's own variant name), so a
 * message going to 1,000 users of one door is serialised once. `wire` never crosses a process.
 */
export const EVENT_VERSION = 1;

/** A user as events show them. `id` is unique across processes (see {@link IdSequence}). */
export interface UserSnapshot {
  id: number;
  nick: string;
  /** `nick!user@host`. */
  mask: string;
  door: string;
  realname: string;
  away?: string;
  /** The account the user is logged in to. */
  account?: string;
}

export interface RoomSnapshot {
  name: string;
  /** The case-folded name, as the hub keys rooms. */
  key: string;
}

export interface MemberSnapshot {
  nick: string;
  op: boolean;
  voice: boolean;
  door: string;
  /** The member's `display-name` metadata, when set. */
  displayName?: string;
  /** The member's `avatar` metadata, when set. */
  avatar?: string;
}

interface Base {
  v: typeof EVENT_VERSION;
  /** Server time of the event (ms since the epoch): renderers stamp it, never their own clock. */
  time: number;
  wire: Record<string, Buffer | undefined>;
}

export interface JoinEvent extends Base {
  type: 'join';
  room: RoomSnapshot;
  user: UserSnapshot;
  /** The joiner's `display-name` and `avatar` metadata, when set (what the web shows of a new member). */
  displayName?: string;
  avatar?: string;
  /** The user made the room, and is its operator (the other nodes keep the room's members as they are). */
  op?: boolean;
}
export interface PartEvent extends Base {
  type: 'part';
  room: RoomSnapshot;
  user: UserSnapshot;
  reason: string;
}
export interface QuitEvent extends Base {
  type: 'quit';
  user: UserSnapshot;
  reason: string;
}
export interface NickEvent extends Base {
  type: 'nick';
  /** The user with the new nick. */
  user: UserSnapshot;
  oldNick: string;
  /** `nick!user@host` as it was before the change. */
  oldMask: string;
}
/** Who of a room's members gets a message: all of them, or only those of at least this standing. */
export type Audience = 'op' | 'voice';

/**
 * Annotations a client attached to a message (typing, a reaction, the message it answers), by the name
 * the client gave them: relayed as they are, never interpreted. Doors that cannot show them drop them.
 */
export type Annotations = Record<string, string>;

export interface MessageEvent extends Base {
  type: 'message';
  message: ChatMessage;
  /** Set for private messages: the user it is for. */
  to?: UserSnapshot;
  /** Only the room's members of this standing get it (and it is not kept in history). */
  audience?: Audience;
  annotations?: Annotations;
}
/**
 * Annotations without text (someone is typing, a reaction to a message): delivered like a message to
 * a room or a user. Not stored, but for a reaction to a room message, which history keeps with it.
 */
export interface SignalEvent extends Base {
  type: 'signal';
  /** Unique like a message's id. */
  id: string;
  from: UserSnapshot;
  /** The room's name, or the recipient's nick. */
  target: string;
  private: boolean;
  to?: UserSnapshot;
  audience?: Audience;
  annotations: Annotations;
}
/**
 * A stored room message was deleted (IRCv3 `draft/message-redaction`) by its sender or a room operator:
 * doors take it off the screen, and it is gone from history.
 */
export interface RedactEvent extends Base {
  type: 'redact';
  /** Unique like a message's id (the IRC `msgid` of the REDACT). */
  id: string;
  room: RoomSnapshot;
  by: UserSnapshot;
  /** The id of the message deleted. */
  msgid: string;
  /** Why, as the person gave it ('' for none). */
  reason: string;
}
export interface TopicEvent extends Base {
  type: 'topic';
  room: RoomSnapshot;
  user: UserSnapshot;
  /** The topic after the change; null when it was cleared. */
  topic: Topic | null;
}
export interface KickEvent extends Base {
  type: 'kick';
  room: RoomSnapshot;
  by: UserSnapshot;
  target: UserSnapshot;
  reason: string;
}
/** A room setting changed. `mode` is the setting's name; the IRC door translates it to its letter. */
export type RoomSetting =
  | 'op'
  | 'voice'
  | 'ban'
  | 'mute'
  | 'inviteException'
  | 'key'
  | 'limit'
  | 'inviteOnly'
  | 'moderated'
  | 'noExternal'
  | 'secret'
  | 'topicOpsOnly'
  | 'noRequests';
export interface ModeChange {
  adding: boolean;
  mode: RoomSetting;
  param?: string;
}
export interface ModeEvent extends Base {
  type: 'mode';
  room: RoomSnapshot;
  by: UserSnapshot | null;
  changes: ModeChange[];
  /** The members after the change (the web door shows the list again). */
  members: MemberSnapshot[];
}
/** A room took a new name (`room`), keeping its members, settings and topic. */
export interface RenameEvent extends Base {
  type: 'rename';
  room: RoomSnapshot;
  oldName: string;
  /** The case-folded old name: other nodes find their copy of the room by it. */
  oldKey: string;
  by: UserSnapshot;
  reason: string;
}
export interface InviteEvent extends Base {
  type: 'invite';
  room: RoomSnapshot;
  by: UserSnapshot;
  target: UserSnapshot;
}
export interface AwayEvent extends Base {
  type: 'away';
  user: UserSnapshot;
}
export interface SetnameEvent extends Base {
  type: 'setname';
  user: UserSnapshot;
}
/** The user set (or, without `value`, removed) one of their metadata keys (see `User.metadata`). */
export interface MetadataEvent extends Base {
  type: 'metadata';
  user: UserSnapshot;
  key: string;
  value?: string;
}
/** The user logged in (`user.account`) or out (no `account`). */
export interface AccountEvent extends Base {
  type: 'account';
  user: UserSnapshot;
}

export type HubEvent =
  | JoinEvent
  | PartEvent
  | QuitEvent
  | NickEvent
  | MessageEvent
  | SignalEvent
  | RedactEvent
  | TopicEvent
  | KickEvent
  | ModeEvent
  | RenameEvent
  | InviteEvent
  | AwayEvent
  | SetnameEvent
  | MetadataEvent
  | AccountEvent;

/** An event as it travels: everything but the bytes cache. */
export type EventData = HubEvent extends infer E ? (E extends HubEvent ? Omit<E, 'wire'> : never) : never;

/** The event as JSON (what a bus adapter sends), without the per-door bytes. */
export function serialiseEvent(ev: HubEvent): string {
  // A copy without `wire` rather than a replacer: a replacer is a call per key, on the bus's hot path.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { wire, ...data } = ev;
  return JSON.stringify(data);
}

const TYPES = new Set([
  'join',
  'part',
  'quit',
  'nick',
  'message',
  'signal',
  'redact',
  'topic',
  'kick',
  'mode',
  'rename',
  'invite',
  'away',
  'setname',
  'metadata',
  'account',
]);

/** Reads an event another process sent; throws on another version or a shape it does not know. */
export function parseEvent(json: string): HubEvent {
  return eventFromData(JSON.parse(json));
}

/** An event already parsed from JSON (inside a bus envelope), checked as {@link parseEvent} does. */
export function eventFromData(parsed: unknown): HubEvent {
  const data = parsed as { v?: unknown; type?: unknown; time?: unknown } | null;
  if (data === null || typeof data !== 'object') throw new TypeError('hub event: not an object');
  if (data.v !== EVENT_VERSION) throw new TypeError(`hub event: version ${String(data.v)} is not ${EVENT_VERSION}`);
  if (typeof data.type !== 'string' || !TYPES.has(data.type)) throw new TypeError('hub event: unknown type');
  if (typeof data.time !== 'number') throw new TypeError('hub event: no time');
  return { ...(data as EventData), wire: {} };
}

/** What a door gives the hub for each user: where events go, and how to end the connection. */
export interface Sink {
  /** The door's name (`line`, `irc`, `web`, …), for statistics and WHOIS. */
  readonly door: string;
  deliver(event: HubEvent): void;
  /** The hub ends the user's session (KILL, shutdown); the door says `reason` in its own way and closes. */
  disconnect(reason: string): void;
  /**
   * Tells the person about their account, in the door's words: `grace` (the nickname is registered: log
   * in within `secs` seconds or it is changed). Doors without a way to say it leave it out.
   */
  accountNotice?(what: 'grace', params: { nick: string; secs: number }): void;
  /**
   * Another connection of the same account moved its read marker for `target` (a room, or a nick) to
   * `time` (see `ReadMarkers`). Doors that do not show read markers leave it out.
   */
  readMarker?(target: string, time: number): void;
  /**
   * One of the person's own metadata keys was set (or, without `value`, removed) by the server: restored
   * from their account, or set on another connection of the account (see `AccountMetadata`).
   */
  ownMetadata?(key: string, value: string | undefined): void;
}
