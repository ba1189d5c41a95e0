import { localBus, type Bus, type KeptChange } from './bus.js';
import { Fanout } from './fanout.js';
import { HubError } from './errors.js';
import { ClusterUnavailableError } from '../errors.js';
import {
  EVENT_VERSION,
  type Annotations,
  type Audience,
  type HubEvent,
  type ModeChange,
  type RedactEvent,
  type SignalEvent,
  type Sink,
} from './events.js';
import type { AnyHistoryStore, ChatMessage, HistoryPage, HistoryQuery } from './history.js';
import { MemoryHistory, type MaybePromise } from './history.js';
import type { SearchRequest } from './history-rules.js';
import { IdSequence } from './ids.js';
import { casefold, cleanText, nickKey, nickProblem } from './names.js';
import { MemoryNicks, type NickRegistry } from './nicks.js';
import type { HubObserver, RemoteChange } from './observer.js';
import { NetworkNodes } from './network-nodes.js';
import { RemoteUsers, userState } from './remote.js';
import { Room } from './room.js';
import { snapshotUser } from './snapshot.js';
import { Turn } from './turn.js';
import { User, type UserInit } from './user.js';
import { WhowasLog, type WhowasEntry } from './whowas.js';
import type { HubOptions, HubStats, RoomRules } from './hub-options.js';
import { Messaging, type MessageExtra } from './messaging.js';
import * as hubHistory from './hub-history.js';
import type { HubState, NewEvent } from './hub-state.js';
import * as membership from './membership.js';
import * as moderation from './moderation.js';
import * as profile from './user-profile.js';

export type { HubOptions, HubStats, RoomRules } from './hub-options.js';
export type { HubObserver } from './observer.js';
export type { WhowasEntry } from './whowas.js';

/**
 * The chat domain: users with unique nicknames, rooms with members, messages, and fan-out. It knows no
 * protocol and no socket: each door registers users with a {@link Sink} and turns {@link HubEvent}s into
 * its own bytes. Operations that break a rule throw {@link HubError} with a code the door translates.
 */
export class Hub {
  readonly #nicks: NickRegistry;
  readonly #rooms = new Map<string, Room>();
  readonly history: AnyHistoryStore;
  readonly bus: Bus;
  readonly turn: Turn;
  readonly stats: HubStats = { messages: 0, deliveries: 0, historyWrites: 0 };
  readonly maxRoomsPerUser: number;
  readonly #whowas: WhowasLog;
  readonly #now: () => number;
  /** Set when the server is shutting down: leaving users are not announced to each other (N² for nothing). */
  stopping = false;
  readonly #userIds: IdSequence;
  readonly #messageIds: IdSequence;
  readonly startedAt: number;
  /** The highest number of users seen at once (LUSERS). */
  maxUsers = 0;
  readonly #observers: HubObserver[] = [];
  readonly #fanout: Fanout;
  /** What the hub's parts (membership.ts, moderation.ts, user-profile.ts, messaging.ts, hub-history.ts) work on. */
  readonly #state: HubState;
  /** The message path: messages and signals, held for their commit and ordered by the bus (messaging.ts). */
  readonly #messaging: Messaging;
  /** This node's users by id (the bus names a private message's recipient by id). */
  readonly #localById = new Map<number, User>();
  /** The users of the other nodes, as members of the rooms here (`core/remote.ts`). */
  readonly #remote: RemoteUsers;
  /** The other nodes of the network (hello, state, lost nodes: see NetworkNodes). */
  readonly #network: NetworkNodes;
  /** This node's name in a network of several. */
  readonly nodeName: string | undefined;
  /** Registered rooms' rules (set once by whoever keeps them: the server's room registry). */
  roomRules: RoomRules | undefined;

  constructor(options: HubOptions = {}) {
    this.turn = new Turn(options.coalesceMs ?? 0);
    this.history = options.history ?? new MemoryHistory();
    this.maxRoomsPerUser = options.maxRoomsPerUser ?? 50;
    this.#whowas = new WhowasLog(options.whowasSize ?? 200, options.now ?? Date.now);
    this.#now = options.now ?? Date.now;
    this.bus = options.bus ?? localBus();
    this.#nicks = options.nicks ?? new MemoryNicks();
    this.#userIds = new IdSequence(0, this.bus.node, this.bus.nodes);
    this.#messageIds = new IdSequence(this.history.lastSeq(), this.bus.node, this.bus.nodes);
    this.startedAt = this.#now();
    this.#fanout = new Fanout(
      this.#rooms,
      this.bus,
      this.stats,
      (id) => this.#localById.get(id),
      (n) => this.turn.delivered(n),
    );
    this.#state = {
      rooms: this.#rooms,
      fanout: this.#fanout,
      observers: this.#observers,
      history: this.history,
      messageIds: this.#messageIds,
      rules: () => this.roomRules,
      now: this.#now,
      event: (data) => this.#event(data),
      findUser: (nick) => this.findUser(nick),
      findRoom: (name) => this.findRoom(name),
      memberRoom: (user, name) => this.#memberRoom(user, name),
      removeMember: (room, user) => this.#removeMember(room, user),
      needNetwork: (params) => this.#needNetwork(params),
    };
    this.#messaging = new Messaging(
      this.#state,
      this.turn,
      this.stats,
      this.bus.nodes > 1 && this.bus.ordered === true,
    );
    this.nodeName = options.nodeName;
    this.#remote = new RemoteUsers({
      rooms: this.#rooms,
      localById: (id) => this.#localById.get(id),
      findUser: (nick) => this.findUser(nick),
      now: this.#now,
      changed: (kind, u, oldNick) => this.#remoteChanged(kind, u, oldNick),
      disconnect: (u, reason) =>
        this.bus.publish({
          v: EVENT_VERSION,
          origin: this.bus.node,
          control: { kind: 'disconnect', user: u.id, reason },
        }),
    });
    this.#network = new NetworkNodes(
      {
        bus: this.bus,
        remote: this.#remote,
        observers: this.#observers,
        fanout: this.#fanout,
        localUsers: () => this.#nicks.values(),
        localById: (id) => this.#localById.get(id),
        event: (data) => this.#event(data),
        stopping: () => this.stopping,
      },
      options,
    );
    this.bus.subscribe((e) => {
      this.#network.heard(e.origin);
      if ('control' in e) return this.#network.control(e);
      if (e.event.type === 'message') this.#messageIds.observe(e.event.message.seq);
      else if (e.event.type === 'signal') this.#messageIds.observe(Number(e.event.id));
      // A room renamed on another node: this node's copy takes the name before its members are told.
      if (e.event.type === 'rename') {
        const room = this.#rooms.get(e.event.oldKey);
        if (room) moderation.rekey(this.#rooms, room, e.event.room.name);
      }
      // Delivered first (a user of ours kicked by another node's operator is told), then carried out.
      this.#fanout.fromBus(e);
      this.#remote.apply(e.origin, e.event);
    });
    this.#network.hello();
  }

  /**
   * Tells the other nodes of a change to what is kept per account or per room (their services apply it
   * to what they hold: see {@link HubObserver.keptChanged}). Nothing to do on a network of one node.
   */
  publishKept(change: KeptChange): void {
    this.#network.publishKept(change);
  }

  /**
   * Another node is gone (its lease expired): its users leave every room here, our members sharing one
   * with them told with `reason`. Its names are free again in the registry already. Returns how many left.
   */
  dropNode(node: number, reason: string): number {
    return this.#network.drop(node, reason);
  }

  /** Tells the other nodes that node `node` is lost (this node noticed first: see the `lost` control). */
  announceLost(node: number): void {
    this.#network.announceLost(node);
  }

  /**
   * The nodes of the network as this node knows them: itself first, then the others that said hello or
   * answered this node's, by number (a node with users but no word yet counts too, by its number).
   */
  networkNodes(): Array<{ node: number; name: string; self: boolean }> {
    return this.#network.list();
  }

  #remoteChanged(kind: RemoteChange, u: User, oldNick?: string): void {
    for (const o of this.#observers) o.remoteChanged?.(kind, u, oldNick);
  }

  /** Tells `observer` of registrations, nick changes, joins, parts and quits from now on. */
  observe(observer: HubObserver): void {
    this.#observers.push(observer);
  }

  /** Every registered user of this node. */
  users(): IterableIterator<User> {
    return this.#nicks.values();
  }

  get userCount(): number {
    return this.#nicks.size;
  }

  /** Every user of the network: this node's, then the other nodes' (whose `remote` is set). */
  *networkUsers(): IterableIterator<User> {
    yield* this.#nicks.values();
    yield* this.#remote.values();
  }

  get networkUserCount(): number {
    return this.#nicks.size + this.#remote.size;
  }

  /** Every room with a member on this node. */
  rooms(): IterableIterator<Room> {
    return this.#rooms.values();
  }

  get roomCount(): number {
    return this.#rooms.size;
  }

  /** The rooms `user` may see listed: all but the secret ones they are not in. */
  visibleRooms(user: User | undefined): Room[] {
    return [...this.#rooms.values()].filter((r) => r.visibleTo(user));
  }

  // ---- users -------------------------------------------------------------------------------------

  /** Checks a nickname for a new user or a nick change (`self` may keep its own nick in another case). */
  checkNick(nick: string, self?: User): void {
    const problem = nickProblem(nick);
    if (problem) throw new HubError('NICK_INVALID', { nick, problem });
    const other = this.findUser(nick);
    if (other && other !== self) throw new HubError('NICK_IN_USE', { nick });
  }

  /**
   * Registers a connected user under a unique nickname, once the registry has granted the claim (a round
   * trip with a network-wide registry). The door handles nothing else of that connection meanwhile, and
   * calls {@link quit} if the connection closed while it waited.
   */
  async register(sink: Sink, init: UserInit): Promise<User> {
    this.checkNick(init.nick);
    this.#needNetwork({ nick: init.nick });
    const user = new User(this.#userIds.next(), sink, init);
    if (!(await this.#claim(user.key, user, init.nick))) throw new HubError('NICK_IN_USE', { nick: init.nick });
    if (this.#nicks.size > this.maxUsers) this.maxUsers = this.#nicks.size;
    this.#localById.set(user.id, user);
    if (this.bus.nodes > 1) {
      const said = userState(user, snapshotUser(user));
      this.bus.publish({ v: EVENT_VERSION, origin: this.bus.node, control: { kind: 'user', user: said } });
    }
    for (const o of this.#observers) o.registered?.(user);
    return user;
  }

  /** A claim; a registry that cannot reach the network refuses with `CLUSTER_UNAVAILABLE`. */
  async #claim(key: string, user: User, nick: string): Promise<boolean> {
    try {
      return await this.#nicks.claim(key, user);
    } catch (err) {
      if (err instanceof ClusterUnavailableError) throw new HubError('CLUSTER_UNAVAILABLE', { nick });
      throw err;
    }
  }

  /** Refuses what needs the other nodes while they cannot be reached (the bus is down). */
  #needNetwork(params: Record<string, string>): void {
    if (this.bus.connected === false) throw new HubError('CLUSTER_UNAVAILABLE', params);
  }

  /** Whether `user` is (still) registered here. */
  isRegistered(user: User): boolean {
    return this.#nicks.get(user.key) === user;
  }

  /** A user of the network by nick: of this node, or of another (`remote` set). */
  findUser(nick: string): User | undefined {
    const key = nickKey(nick);
    return this.#nicks.get(key) ?? this.#remote.get(key);
  }

  /** Removes a user from every room (others get one quit event each) and from the server. */
  quit(user: User, reason: string): void {
    if (!this.isRegistered(user)) return;
    const ev = () => this.#event({ type: 'quit', user: snapshotUser(user), reason: cleanText(reason) });
    if (!this.stopping) this.#fanout.toNeighbours(user, ev(), false);
    // Stopping, the users here are not told of each other; the other nodes are, once per user.
    else if (this.bus.nodes > 1) this.#fanout.toOtherNodes(user, ev());
    for (const room of user.rooms) this.#removeMember(room, user);
    user.leaveAll();
    this.#nicks.release(user.key, user);
    this.#localById.delete(user.id);
    this.#whowas.remember(user);
    for (const o of this.#observers) o.quit?.(user, reason);
  }

  /** Renames a user once the new nickname is claimed (see {@link register}); the old one is given back. */
  async changeNick(user: User, nick: string): Promise<void> {
    if (nick === user.nick) return;
    this.checkNick(nick, user);
    const key = nickKey(nick);
    if (key !== user.key) this.#needNetwork({ nick });
    if (key !== user.key && !(await this.#claim(key, user, nick))) throw new HubError('NICK_IN_USE', { nick });
    if (!this.isRegistered(user)) {
      // The user left while the claim was on its way.
      this.#nicks.release(key, user);
      return;
    }
    const oldNick = user.nick;
    const oldMask = user.mask;
    this.#whowas.remember(user);
    if (key !== user.key) this.#nicks.release(user.key, user);
    user.nick = nick;
    user.key = key;
    this.#fanout.toNeighbours(user, this.#event({ type: 'nick', user: snapshotUser(user), oldNick, oldMask }), true);
    for (const o of this.#observers) o.nickChanged?.(user, oldNick);
  }

  /** The user is away (a message) or back (undefined or ''); those sharing a room with them are told. */
  setAway(user: User, message: string | undefined): void {
    profile.setAway(this.#state, user, message);
  }

  setRealname(user: User, realname: string): void {
    profile.setRealname(this.#state, user, realname);
  }

  /**
   * Sets one of the user's metadata keys (undefined removes it). Those sharing a room with the user are
   * told, the user is not (they know). The doors check keys and sizes (IRC advertises its limits).
   */
  setMetadata(user: User, key: string, value: string | undefined): void {
    profile.setMetadata(this.#state, user, key, value);
  }

  /**
   * The user logged in to `account` (or out, with undefined); an account with the oper flag makes the
   * user a server operator. Those sharing a room with the user are told (IRC `account-notify`).
   */
  setAccount(user: User, account: { name: string; oper: boolean } | undefined): void {
    profile.setAccount(this.#state, user, account);
  }

  whowas(nick: string, limit = 10): WhowasEntry[] {
    return this.#whowas.find(nick, limit);
  }

  /** A server operator ends another user's session. */
  kill(by: User, target: User, reason: string): void {
    if (!by.oper) throw new HubError('NOT_SERVER_OP');
    target.sink.disconnect(`Killed (${by.nick} (${reason}))`);
  }

  // ---- rooms -------------------------------------------------------------------------------------

  findRoom(name: string): Room | undefined {
    return this.#rooms.get(casefold(name));
  }

  /**
   * Joins a room, creating it (with the user as its operator) when it does not exist; a registered room
   * (see {@link roomRules}) is made with its kept settings (membership.ts).
   */
  join(user: User, name: string, key?: string): Room {
    return membership.join(this.#state, user, name, key, this.maxRoomsPerUser);
  }

  part(user: User, name: string, reason = ''): Room {
    return membership.part(this.#state, user, name, reason);
  }

  kick(by: User, name: string, targetNick: string, reason: string): void {
    moderation.kick(this.#state, by, name, targetNick, reason);
  }

  invite(by: User, targetNick: string, name: string): { room: Room; target: User } {
    return moderation.invite(this.#state, by, targetNick, name);
  }

  setTopic(user: User, name: string, text: string): Room {
    return moderation.setTopic(this.#state, user, name, text);
  }

  /**
   * A room operator gives the room a new name (IRC `draft/channel-rename`); members, settings and topic
   * stay. Every member is told, the renamer too. History stays under the old name.
   */
  rename(by: User, name: string, newName: string, reason = ''): Room {
    return moderation.rename(this.#state, by, name, newName, reason);
  }

  /**
   * Applies room settings by a room operator (or the server, `by` null). Returns the changes that took
   * effect (others are dropped silently); they reach every member as one event.
   */
  setModes(by: User | null, name: string, changes: ModeChange[]): ModeChange[] {
    return moderation.setModes(this.#state, by, name, changes);
  }

  // ---- messages ----------------------------------------------------------------------------------

  /**
   * Sends text to a room (`#name`) or a user (nick). The message is stamped (id, time), stored when it is
   * for a whole room, and delivered to everyone concerned except the sender; it is returned so the sender's
   * door can echo it (IRC `echo-message`, the web client's own messages). `audience` narrows a room
   * message to its operators (or voices); `annotations` travel with it, unread. A `multiline` text keeps
   * its line feeds (each line cleaned); any other has them made spaces.
   *
   * With an asynchronous history store a stored room message is answered later: the promise resolves once
   * the message is committed and fanned out, or rejects with `NOT_STORED` when it could not be stored
   * (then no one received it). A synchronous store answers at once, with no promise.
   */
  message(
    from: User,
    target: string,
    text: string,
    kind: ChatMessage['kind'] = 'message',
    extra: MessageExtra = {},
  ): MaybePromise<ChatMessage> {
    return this.#messaging.message(from, target, text, kind, extra);
  }

  /**
   * Annotations without text (typing, a reaction) to a room or a user, under the same rules as a message.
   * Relayed, not stored, but for a reaction to a room message (`storedReaction` in history-rules.ts),
   * which history keeps with the message, committed with the turn (after the fan-out: a reaction is not
   * refused). Returns the event (its id and time), which the sender's door may echo.
   */
  signal(from: User, target: string, annotations: Annotations, audience?: Audience): SignalEvent {
    return this.#messaging.signal(from, target, annotations, audience);
  }

  /** A room's stored messages (see {@link HistoryStore.query}); later with an asynchronous store. */
  roomHistory(name: string, q: HistoryQuery): MaybePromise<ChatMessage[]> {
    return hubHistory.roomHistory(this.#state, name, q);
  }

  /** One page of a room's history (see {@link historyPage}, the one rule of paging). */
  historyPage(name: string, q: HistoryQuery): MaybePromise<HistoryPage> {
    return hubHistory.historyPage(this.#state, name, q);
  }

  /** Deletes a stored room message for everyone (see hub-history.ts `redact`); the event is `by`'s echo. */
  redact(by: User, target: string, msgid: string, reason = ''): MaybePromise<RedactEvent> {
    return hubHistory.redact(this.#state, by, target, msgid, reason);
  }

  /** Full-text search of the history `user` may read (see hub-history.ts `search`). */
  search(user: User, req: SearchRequest): MaybePromise<ChatMessage[]> {
    return hubHistory.search(this.#state, user, req);
  }

  /** Resolves when every room message handed to the store so far is committed or refused. */
  settled(): Promise<void> {
    return this.#messaging.settled();
  }

  /** Ends every session (shutdown), flushes history. */
  shutdown(reason: string): void {
    this.stopping = true;
    for (const user of [...this.#nicks.values()]) user.sink.disconnect(reason);
    this.#network.bye();
    this.#messaging.commitHeld();
    this.turn.run();
  }

  /** An event of this node: stamped with the version and the time. */
  #event(data: NewEvent): HubEvent {
    return { v: EVENT_VERSION, time: this.#now(), ...data, wire: {} };
  }

  #memberRoom(user: User, name: string): Room {
    const room = this.findRoom(name);
    if (!room) throw new HubError('NO_SUCH_ROOM', { room: name });
    if (!room.members.has(user)) throw new HubError('NOT_IN_ROOM', { room: room.name });
    return room;
  }

  #removeMember(room: Room, user: User): void {
    room.members.delete(user);
    room.invited.delete(user.id);
    if (room.members.size === 0) this.#rooms.delete(room.key);
  }
}
