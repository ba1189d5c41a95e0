import type { Bus } from './bus.js';
import type { AnyHistoryStore } from './history.js';
import type { NickRegistry } from './nicks.js';
import type { Room } from './room.js';
import type { User } from './user.js';

export interface HubOptions {
  /** Where room messages are kept (default: in memory). An asynchronous store delays fan-out until commit. */
  history?: AnyHistoryStore;
  /** The link to the other nodes of the network (default: a network of one). */
  bus?: Bus;
  nicks?: NickRegistry;
  /** Rooms one user may be in at once. */
  maxRoomsPerUser?: number;
  /** Entries kept for WHOWAS. */
  whowasSize?: number;
  now?: () => number;
  /** See the Turn class: the shortest interval between two ends of turn under load (ms; 0: every turn). */
  coalesceMs?: number;
  /** This node's name in a network of several (said in its hello; the others name it in quit reasons). */
  nodeName?: string;
  /**
   * The quit reason of the users of a node that is gone (its lease expired, or it started again while
   * this node still had its earlier life's users). Default: `Node lost: NAME stopped answering`.
   */
  nodeLostReason?: (name: string) => string;
  /**
   * Another node says node `node` is lost ({@link Hub.announceLost}): whoever keeps the leases checks it
   * and, if so, drops it here (see `Hub.dropNode`). Without it the word is ignored.
   */
  lostHeard?: (node: number) => void;
  /**
   * Something of another node came off the bus (its hello, its users, their events): whoever keeps the
   * leases watches it from now on, even if it dies before any look at the leases saw its own. Called for
   * every message from another node: it must be cheap.
   */
  nodeHeard?: (node: number) => void;
}

/** Counters the metrics endpoint and the benchmarks read. */
export interface HubStats {
  messages: number;
  deliveries: number;
  historyWrites: number;
}

/**
 * Rules for rooms with an owner (registered rooms), consulted by the hub while it joins someone: a room
 * made anew is set up from what was kept of it, and its founder comes in past its key, limit, +i and bans.
 */
export interface RoomRules {
  /** Sets up a room being made (its kept topic, settings, lists); true when it is a registered room. */
  setUp(room: Room): boolean;
  /** Whether `user` comes in whatever the room's key, limit, +i and bans say (its founder). */
  passes(room: Room, user: User): boolean;
  /** Whether a room of that name is registered: it keeps its name (no rename from it or to it). */
  keepsName(name: string): boolean;
}
