import { EVENT_VERSION, eventFromData, serialiseEvent, type HubEvent } from './events.js';
import type { NodeState, UserState } from './remote.js';
import type { RegisteredRoom } from './room-store.js';

/**
 * Who an event is for, as a node that did not make it can work out from its own members: the members
 * of a room (but one), or everyone sharing any of some rooms with a user (once each).
 */
export type Scope =
  | { kind: 'room'; room: string; except?: number }
  | { kind: 'rooms'; rooms: string[]; except?: number }
  /** One user (a private message, an invitation), by id: only the node the user is on delivers it. */
  | { kind: 'user'; user: number };

/** One event on its way to the other nodes: published once per event per node, never per recipient. */
export interface Envelope {
  v: typeof EVENT_VERSION;
  /** The node that made the event (it has delivered it to its own users already). */
  origin: number;
  scope: Scope;
  event: HubEvent;
}

/**
 * What nodes tell each other about themselves, beside events: `hello` (a node came: tell me who you
 * have), `state` (a node's users, their rooms and those rooms' settings, in answer), `user` (someone
 * registered: known network-wide before they join anything).
 */
export type Control =
  /** A node (re)started: whatever users of it the others still have are of its earlier life. */
  | { kind: 'hello'; name?: string }
  | { kind: 'state'; state: NodeState; name?: string }
  | { kind: 'user'; user: UserState }
  /** End the session of user `user` on the node that has it (an operator's KILL, a GHOST, from another node). */
  | { kind: 'disconnect'; user: number; reason: string }
  /** A node stops cleanly: no longer one of the network's (LINKS, LUSERS); its users say they quit. */
  | { kind: 'bye' }
  /**
   * Node `node` is lost (its lease expired, seen twice by the sender): the first node to notice tells the
   * others, so that they drop its users now rather than at their own next look (a person coming back
   * through the load balancer finds the name free on whichever node they land).
   */
  | { kind: 'lost'; node: number }
  | KeptChange;

/**
 * A change to what is kept per account or per room, made on one node (and stored, when the store is
 * shared) that the other nodes' services apply to what they hold in memory: an account's read marker
 * moved (`target` as the person named it), a metadata key of an account set or (without `value`)
 * removed, a room registered or its kept settings saved (`registered`: the room as kept now), or dropped
 * (no `registered`).
 */
export type KeptChange =
  | { kind: 'marker'; account: string; target: string; time: number }
  | { kind: 'metadata'; account: string; key: string; value?: string }
  | { kind: 'room'; room: string; registered?: RegisteredRoom };

export interface ControlEnvelope {
  v: typeof EVENT_VERSION;
  origin: number;
  control: Control;
}

/** What a bus carries: an event with its scope, or a node's word about itself. */
export type BusMessage = Envelope | ControlEnvelope;

/**
 * The hub's link to the other nodes of a network. The hub publishes each event its users cause, and
 * delivers the events of other nodes to its own users. An adapter (in-process here, a Redis Stream in
 * `cluster/`) only moves envelopes: serialise with {@link encodeEnvelope}, hand back with
 * {@link decodeEnvelope}.
 *
 * Every adapter passes `test/core/bus-contract.ts`.
 */
export interface Bus {
  /** This node's index in the network, 0 ≤ node < nodes: it picks the ids this node hands out. */
  readonly node: number;
  /** How many nodes the network may have (fixed for its life: ids depend on it). */
  readonly nodes: number;
  /**
   * Whether the other nodes can be reached now (a network bus: false while its connection is down).
   * Absent or true in-process. While false the hub refuses new nicknames and joins.
   */
  readonly connected?: boolean;
  /**
   * Whether the bus gives every node one order (a Redis Stream): then `publish` takes `readBack`, called
   * when this node reads its own envelope back, at its place in that order (never on the in-process bus).
   */
  readonly ordered?: boolean;
  /**
   * Sends to every other node. Never calls this node's own handler; on an {@link ordered} bus, calls
   * `readBack` (once) when the envelope comes back in the stream's order.
   */
  publish(envelope: BusMessage, readBack?: () => void): void;
  /**
   * Events of the other nodes, in the order each node published them: at once in-process, some time
   * after the publish on a network (the contract test awaits them).
   */
  subscribe(handler: (envelope: BusMessage) => void): void;
  close(): Promise<void>;
}

export function encodeEnvelope(e: BusMessage): string {
  if ('control' in e) return JSON.stringify({ v: e.v, origin: e.origin, control: e.control });
  return `{"v":${e.v},"origin":${e.origin},"scope":${JSON.stringify(e.scope)},"event":${serialiseEvent(e.event)}}`;
}

const SCOPES = new Set(['room', 'rooms', 'user']);
const CONTROLS = new Set(['hello', 'state', 'user', 'disconnect', 'bye', 'lost', 'marker', 'metadata', 'room']);

/** Reads an envelope; throws (TypeError) on another version or a malformed one. */
export function decodeEnvelope(text: string): BusMessage {
  const raw = JSON.parse(text) as {
    v?: unknown;
    origin?: unknown;
    scope?: unknown;
    event?: unknown;
    control?: unknown;
  };
  if (raw.v !== EVENT_VERSION) throw new TypeError(`bus envelope: version ${String(raw.v)} is not ${EVENT_VERSION}`);
  if (typeof raw.origin !== 'number') throw new TypeError('bus envelope: no origin');
  if (raw.control !== undefined) {
    const control = raw.control as Control | null;
    if (!control || typeof control !== 'object' || !CONTROLS.has(control.kind) || !wellFormed(control))
      throw new TypeError('bus envelope: bad control');
    return { v: EVENT_VERSION, origin: raw.origin, control };
  }
  const scope = raw.scope as Scope | undefined;
  if (!scope || !SCOPES.has(scope.kind)) throw new TypeError('bus envelope: bad scope');
  return { v: EVENT_VERSION, origin: raw.origin, scope, event: eventFromData(raw.event) };
}

/** The fields of a kept change have their types (the services use them as they are). */
function wellFormed(c: Control): boolean {
  const str = (v: unknown) => typeof v === 'string';
  switch (c.kind) {
    case 'marker':
      return str(c.account) && str(c.target) && Number.isFinite(c.time);
    case 'metadata':
      return str(c.account) && str(c.key) && (c.value === undefined || str(c.value));
    case 'room':
      return str(c.room) && (c.registered === undefined || wellFormedRoom(c.registered));
    case 'lost':
      return Number.isInteger(c.node) && c.node >= 0;
    default:
      return true;
  }
}

function wellFormedRoom(r: RegisteredRoom): boolean {
  if (typeof r !== 'object' || r === null) return false;
  const s = r.settings as Partial<RegisteredRoom['settings']> | null | undefined;
  return (
    typeof r.name === 'string' &&
    typeof r.key === 'string' &&
    typeof r.founder === 'string' &&
    Number.isFinite(r.registeredAt) &&
    typeof s === 'object' &&
    s !== null &&
    typeof s.modes === 'object' &&
    Array.isArray(s.bans) &&
    Array.isArray(s.mutes) &&
    Array.isArray(s.inviteExceptions)
  );
}

/**
 * Nodes of one network inside one process (tests, embedding several hubs). `nodes` is the size of the
 * network; each {@link LocalNetwork.bus} call adds one node.
 */
export class LocalNetwork {
  readonly #handlers: Array<((e: BusMessage) => void) | undefined> = [];
  #joined = 0;

  constructor(readonly nodes = 1) {}

  bus(): Bus {
    if (this.#joined >= this.nodes) throw new RangeError(`the network has room for ${this.nodes} nodes`);
    const node = this.#joined++;
    const handlers = this.#handlers;
    let open = true;
    return {
      node,
      nodes: this.nodes,
      publish: (envelope) => {
        if (!open || handlers.length < 2) return;
        // Through the wire format, as a real adapter would: what arrives is data, never a live object.
        const text = encodeEnvelope(envelope);
        for (let i = 0; i < handlers.length; i++) {
          const h = handlers[i];
          if (i !== node && h) h(decodeEnvelope(text));
        }
      },
      subscribe: (handler) => {
        handlers[node] = handler;
      },
      close: () => {
        open = false;
        handlers[node] = undefined;
        return Promise.resolve();
      },
    };
  }
}

/** The default: a network of one node, where publishing costs nothing. */
export function localBus(): Bus {
  return new LocalNetwork(1).bus();
}
