import type { Bus, ControlEnvelope, KeptChange } from './bus.js';
import { EVENT_VERSION, type HubEvent } from './events.js';
import type { HubState, NewEvent } from './hub-state.js';
import type { HubObserver } from './observer.js';
import { nodeState, type RemoteUsers } from './remote.js';
import { snapshotUser } from './snapshot.js';
import type { User } from './user.js';

/** What {@link NetworkNodes} reads of the hub. */
export interface NetworkHost {
  readonly bus: Bus;
  readonly remote: RemoteUsers;
  readonly observers: readonly HubObserver[];
  readonly fanout: HubState['fanout'];
  /** This node's registered users. */
  localUsers(): IterableIterator<User>;
  localById(id: number): User | undefined;
  event(data: NewEvent): HubEvent;
  /** The hub is shutting down: users that leave now are not announced. */
  stopping(): boolean;
}

export interface NetworkNodesOptions {
  /** This node's name in a network of several (said in its hello; the others name it in quit reasons). */
  nodeName?: string;
  /** The quit reason of a lost node's users. */
  nodeLostReason?: (name: string) => string;
  /** Another node says node `node` is lost: whoever keeps the leases checks it (see `HubOptions.lostHeard`). */
  lostHeard?: (node: number) => void;
  /** Something of another node came off the bus (see `HubOptions.nodeHeard`). */
  nodeHeard?: (node: number) => void;
}

/**
 * The other nodes of the network as this node knows them: what nodes say of themselves on the bus
 * (hello, state, bye, lost, a user registered, a session to end, a kept change) and the users of a node
 * that is gone. The hub's own job is the chat; this is its membership of the network.
 */
export class NetworkNodes {
  /** The other live nodes' names by number, as they said them (LINKS, LUSERS). */
  readonly #names = new Map<number, string>();
  readonly nodeName: string | undefined;
  readonly #lostReason: (name: string) => string;
  readonly #lostHeard: (node: number) => void;
  readonly #nodeHeard: (node: number) => void;

  constructor(
    private readonly host: NetworkHost,
    options: NetworkNodesOptions,
  ) {
    this.nodeName = options.nodeName;
    this.#lostReason = options.nodeLostReason ?? ((name) => `Node lost: ${name} stopped answering`);
    this.#lostHeard = options.lostHeard ?? (() => undefined);
    this.#nodeHeard = options.nodeHeard ?? (() => undefined);
  }

  /** A node that comes asks the others who they have (their answers come on the bus, in its order). */
  hello(): void {
    this.#publish({ kind: 'hello', ...this.#name() });
  }

  /** A node stops cleanly: no longer one of the network's. */
  bye(): void {
    this.#publish({ kind: 'bye' });
  }

  /**
   * Anything from node `origin` came off the bus (what makes its users appear here): from now on its
   * lease is watched. A node that dies within a second of starting may never have been seen leased, and
   * its users would otherwise stay here for ever.
   */
  heard(origin: number): void {
    this.#nodeHeard(origin);
  }

  /** Another node's word about itself, from the bus. */
  control({ origin, control }: ControlEnvelope): void {
    const { host } = this;
    if (control.kind === 'hello') {
      // Started again before this node noticed it was gone: its earlier life's users left with it.
      this.drop(origin, this.#lostReason(control.name ?? String(origin)));
      this.#names.set(origin, control.name ?? String(origin));
      this.#publish({ kind: 'state', state: nodeState(host.localUsers(), snapshotUser), ...this.#name() });
    } else if (control.kind === 'state') {
      this.#names.set(origin, control.name ?? String(origin));
      host.remote.replace(origin, control.state);
    } else if (control.kind === 'disconnect') host.localById(control.user)?.sink.disconnect(control.reason);
    else if (control.kind === 'bye') this.#names.delete(origin);
    else if (control.kind === 'lost') this.#lostHeard(control.node);
    else if (control.kind === 'user') host.remote.add(origin, control.user);
    else for (const o of host.observers) o.keptChanged?.(control);
  }

  /** See {@link Hub.publishKept}. */
  publishKept(change: KeptChange): void {
    this.#publish(change);
  }

  /** See {@link Hub.dropNode}. */
  drop(node: number, reason: string): number {
    const { host } = this;
    this.#names.delete(node);
    const users = host.remote.ofNode(node);
    for (const u of users) {
      if (!host.stopping())
        host.fanout.toLocalNeighbours(u, host.event({ type: 'quit', user: snapshotUser(u), reason }), false);
      host.remote.remove(u);
    }
    return users.length;
  }

  /** See {@link Hub.announceLost}. */
  announceLost(node: number): void {
    this.#publish({ kind: 'lost', node });
  }

  /** See {@link Hub.networkNodes}. */
  list(): Array<{ node: number; name: string; self: boolean }> {
    const { bus, remote } = this.host;
    const others = new Map(this.#names);
    for (const u of remote.values()) if (!others.has(u.remote!)) others.set(u.remote!, String(u.remote));
    return [
      { node: bus.node, name: this.nodeName ?? String(bus.node), self: true },
      ...[...others].sort(([a], [b]) => a - b).map(([node, name]) => ({ node, name, self: false })),
    ];
  }

  /** Nothing to tell on a network of one node. */
  #publish(control: ControlEnvelope['control']): void {
    const { bus } = this.host;
    if (bus.nodes > 1) bus.publish({ v: EVENT_VERSION, origin: bus.node, control });
  }

  #name(): { name?: string } {
    return this.nodeName !== undefined ? { name: this.nodeName } : {};
  }
}
