import type { KeptChange } from './bus.js';
import type { Room } from './room.js';
import type { User } from './user.js';

/**
 * What happened in the hub, told after the fact to whoever watches it (the operator's log). Observers
 * see the hub's own objects and must neither throw nor change them; the hub calls them in order, after its
 * own work. (`AccountMetadata` alone acts on what it sees, through the hub's methods, to restore and sync an
 * account's metadata.)
 */
export interface HubObserver {
  registered?(user: User): void;
  nickChanged?(user: User, oldNick: string): void;
  joined?(user: User, room: Room): void;
  parted?(user: User, room: Room): void;
  renamed?(room: Room, oldName: string, by: User): void;
  quit?(user: User, reason: string): void;
  awayChanged?(user: User): void;
  realnameChanged?(user: User): void;
  accountChanged?(user: User): void;
  /** The user set (or, with undefined, removed) one of their metadata keys (`hub.setMetadata`). */
  metadataChanged?(user: User, key: string, value: string | undefined): void;
  /** A room's topic was set or cleared. */
  topicChanged?(room: Room): void;
  /** A room's settings or lists changed (`memberOnly`: only who is operator or voiced). */
  modesChanged?(room: Room, memberOnly: boolean): void;
  /**
   * A user of another node came (`on`), left (`off`), changed nick (`nick`, with the old one), away or
   * realname, as this node learns it from the bus (MONITOR across the network). Never for this node's own.
   */
  remoteChanged?(kind: RemoteChange, user: User, oldNick?: string): void;
  /**
   * Another node changed what is kept per account or per room (`Hub.publishKept`): a read marker, an
   * account's metadata, a registered room. The services that keep those apply it here.
   */
  keptChanged?(change: KeptChange): void;
}

export type RemoteChange = 'on' | 'off' | 'nick' | 'away' | 'setname';
