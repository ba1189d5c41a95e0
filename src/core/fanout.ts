import type { Bus, Envelope, Scope } from './bus.js';
import { EVENT_VERSION, type Audience, type HubEvent } from './events.js';
import type { HubStats } from './hub-options.js';
import { Room } from './room.js';
import type { User } from './user.js';

/**
 * Who gets an event: this node's members of a room, or everyone sharing a room with a user, and the other
 * nodes once per event (never once per recipient) when there are any. The product's hot path: one event
 * object for every recipient, so each door serialises it once and caches the bytes on it.
 *
 * Users of other nodes (mirrors, `remote` set) are members of the rooms here too, for the lists and the
 * rules; they are skipped: their own node delivers to them, from the one publish.
 */
export class Fanout {
  constructor(
    private readonly rooms: ReadonlyMap<string, Room>,
    private readonly bus: Bus,
    private readonly stats: HubStats,
    private readonly localById: (id: number) => User | undefined,
    /**
     * Told of the deliveries other nodes make for an event of a room (its members there): the turn spaces
     * its writes by the network's load, as one server carrying the whole network would, not by this
     * node's share of it. (Each node counting only its own recipients wrote to each of them twice as often
     * as a single node at the same message rate: twice the write calls per delivery.)
     */
    private readonly networkLoad: (deliveries: number) => void = () => undefined,
  ) {}

  /** To one user: here, or through the bus to the node the user is on. */
  deliver(user: User, event: HubEvent): void {
    if (user.remote !== undefined) {
      if (this.bus.nodes > 1) this.#publish({ kind: 'user', user: user.id }, event);
      return;
    }
    this.stats.deliveries++;
    user.sink.deliver(event);
  }

  /** Hot path: one event, every member but `except` (only those of the event's audience, when it has one). */
  toRoom(room: Room, event: HubEvent, except: User | undefined): void {
    this.toLocalRoom(room, event, except);
    if (this.bus.nodes > 1) this.#publish(roomScope(room, except), event);
  }

  /**
   * A room message in the one order of an {@link Bus.ordered} bus: published first, and delivered to this
   * node's members (the room as it is then) when this node reads it back from the bus, like every other
   * node; `then` runs after that delivery (the sender's echo).
   */
  toRoomInOrder(room: Room, event: HubEvent, except: User | undefined, then: () => void): void {
    this.bus.publish({ v: EVENT_VERSION, origin: this.bus.node, scope: roomScope(room, except), event }, () => {
      this.toLocalRoom(this.rooms.get(room.key) ?? room, event, except);
      then();
    });
  }

  /** This node's members of a room but `except` (and those of the event's audience only); nothing published. */
  toLocalRoom(room: Room, event: HubEvent, except: User | undefined): void {
    let n = 0;
    let elsewhere = 0;
    const audience = audienceOf(event);
    if (audience) {
      for (const [member, ms] of room.members) {
        if (member === except || !Room.admits(ms, audience)) continue;
        if (member.remote !== undefined) elsewhere++;
        else {
          member.sink.deliver(event);
          n++;
        }
      }
    } else {
      // The common case walks the keys alone: no entry pair, no standing check per recipient.
      for (const member of room.members.keys()) {
        if (member === except) continue;
        if (member.remote !== undefined) elsewhere++;
        else {
          member.sink.deliver(event);
          n++;
        }
      }
    }
    this.stats.deliveries += n;
    if (elsewhere > 0) this.networkLoad(elsewhere);
  }

  /**
   * Everyone sharing a room with `user`, once each (and `user` too when `self`). Published to the other
   * nodes even when the user is in no room: they know every user (WHOIS), and forget or rename them by it.
   */
  toNeighbours(user: User, event: HubEvent, self: boolean): void {
    this.toLocalNeighbours(user, event, self);
    if (this.bus.nodes > 1) this.toOtherNodes(user, event);
  }

  /** Only the other nodes (a node that stops tells them its users left, not its own users). */
  toOtherNodes(user: User, event: HubEvent): void {
    this.#publish({ kind: 'rooms', rooms: [...user.rooms].map((r) => r.key), except: user.id }, event);
  }

  /** The members of this node sharing a room with `user`, once each; nothing published. */
  toLocalNeighbours(user: User, event: HubEvent, self: boolean): void {
    const seen = new Set<User>([user]);
    if (self) this.deliver(user, event);
    for (const room of user.rooms) {
      for (const member of room.members.keys()) {
        if (seen.has(member) || member.remote !== undefined) continue;
        seen.add(member);
        this.deliver(member, event);
      }
    }
  }

  /** An event of another node: its users were told there; ours that it concerns are told here, once each. */
  fromBus(e: Envelope): void {
    if (e.scope.kind === 'user') {
      const user = this.localById(e.scope.user);
      if (user) this.deliver(user, e.event);
      return;
    }
    // One room (a room message): its members are each there once, no need to remember whom we told.
    if (e.scope.kind === 'room') {
      const room = this.rooms.get(e.scope.room);
      if (room) this.toLocalRoom(room, e.event, undefined);
      return;
    }
    const seen = new Set<User>();
    const rooms = e.scope.rooms;
    const audience = audienceOf(e.event);
    for (const key of rooms) {
      const room = this.rooms.get(key);
      if (!room) continue;
      for (const member of room.members.keys()) {
        if (seen.has(member) || member.remote !== undefined) continue;
        if (audience && !Room.admits(room.members.get(member), audience)) continue;
        seen.add(member);
        this.deliver(member, e.event);
      }
    }
  }

  #publish(scope: Scope, event: HubEvent): void {
    this.bus.publish({ v: EVENT_VERSION, origin: this.bus.node, scope, event });
  }
}

function roomScope(room: Room, except: User | undefined): Scope {
  return except ? { kind: 'room', room: room.key, except: except.id } : { kind: 'room', room: room.key };
}

function audienceOf(event: HubEvent): Audience | undefined {
  return event.type === 'message' || event.type === 'signal' ? event.audience : undefined;
}
