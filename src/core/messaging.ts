import { HubError } from './errors.js';
import { EVENT_VERSION, type Annotations, type Audience, type HubEvent, type SignalEvent } from './events.js';
import type { Fanout } from './fanout.js';
import { HeldMessages, type HeldMessage } from './held-messages.js';
import type { AnyHistoryStore, ChatMessage, MaybePromise } from './history.js';
import { storedReaction } from './history-rules.js';
import type { HubStats } from './hub-options.js';
import type { HubState } from './hub-state.js';
import type { IdSequence } from './ids.js';
import { cleanText } from './names.js';
import type { Room } from './room.js';
import { snapshotUser } from './snapshot.js';
import type { Turn } from './turn.js';
import type { User } from './user.js';

/**
 * Flushes to an asynchronous store are this many ends of turn apart (at most 4 × `coalesceMs`, and only
 * under load: see {@link Turn.interval}): 17 ms at 400k deliveries/s with the default 10 ms. Each flush
 * is a chain of round trips through PostgreSQL and Redis that wakes every process of the network once.
 * The spacing trades Redis's CPU against latency (docs/bench.md, "Two nodes, second sitting"): 2 doubles
 * what Redis costs per delivery, 5 adds to p99 without saving much more.
 */
const COMMIT_SPACING = 4;

/** What a message may carry besides its text (see {@link Messaging.message}). */
export interface MessageExtra {
  audience?: Audience;
  annotations?: Annotations;
  multiline?: boolean;
}

/**
 * The message path, the hub's hot one: a room or private message, or a signal (typing, a reaction), from
 * the rules that let a person speak, through history (appended in the turn, or held for an asynchronous
 * store's spaced flush) and, on an ordered bus, the bus's order, to the fan-out. The doors call
 * `Hub.message` and `Hub.signal`, which hand over here.
 */
export class Messaging {
  /** Set with an asynchronous store: room messages held until their flush commits. */
  readonly #held: HeldMessages | undefined;
  /**
   * Several nodes on a bus with one order (a Redis Stream): room messages reach this node's members when
   * the node reads them back from the bus, like every other node's, so every member sees one order.
   */
  readonly #ordered: boolean;
  /** Ordered, with a synchronous store: this turn's room messages, published once the turn flushed them. */
  #flushed: HeldMessage[] = [];
  // The hub's parts this path uses, read once (the hot path does not go through the state object).
  readonly #rooms: Map<string, Room>;
  readonly #fanout: Fanout;
  readonly #history: AnyHistoryStore;
  readonly #ids: IdSequence;
  readonly #now: () => number;

  constructor(
    private readonly state: HubState,
    private readonly turn: Turn,
    private readonly stats: HubStats,
    ordered: boolean,
  ) {
    this.#rooms = state.rooms;
    this.#fanout = state.fanout;
    this.#history = state.history;
    this.#ids = state.messageIds;
    this.#now = state.now;
    this.#ordered = ordered;
    const history = state.history;
    if (history.sync === false) {
      // A flush to a store in another process (and the bus entry after it) is spaced several ends of
      // turn apart: its round trips cost more than a turn's writes (see HeldMessages), and each of them
      // carries the whole interval's messages.
      this.#held = new HeldMessages(
        history,
        (m) => this.#sendRoomMessage(m),
        () => turn.interval() * COMMIT_SPACING,
      );
    } else {
      turn.on(0, () => history.flush());
      // Several nodes with a synchronous store: this turn's room messages go to the bus once flushed.
      if (ordered) turn.on(0, () => this.#publishFlushed());
    }
  }

  /** See `Hub.message`. */
  message(
    from: User,
    target: string,
    text: string,
    kind: ChatMessage['kind'] = 'message',
    extra: MessageExtra = {},
  ): MaybePromise<ChatMessage> {
    if (text.length === 0) throw new HubError('EMPTY_TEXT');
    from.lastActive = this.#now();
    const clean = extra.multiline ? text.split('\n').map(cleanText).join('\n') : cleanText(text);
    const { audience, annotations } = extra;
    const more = { ...(audience ? { audience } : {}), ...(annotations ? { annotations } : {}) };
    if (target.startsWith('#')) {
      const room = this.#speakingRoom(from, target);
      const message = this.#stamp(from, room.name, false, clean, kind);
      if (!audience) {
        this.#history.append(message);
        this.stats.historyWrites++;
        if (!this.#held) this.turn.request(); // held messages are flushed on their own schedule
      }
      const ev: HubEvent = { v: EVENT_VERSION, type: 'message', time: message.time, message, wire: {}, ...more };
      if (this.#held && !audience) return this.#held.hold(room, from, ev, message);
      if (this.#ordered && !audience)
        return new Promise((resolve, reject) =>
          this.#flushed.push({ room, from, event: ev, message, resolve, reject }),
        );
      this.#fanout.toRoom(room, ev, from);
      return message;
    }
    const to = this.#recipient(target);
    const message = this.#stamp(from, to.nick, true, clean, kind);
    if (to !== from) {
      const ev: HubEvent = { v: EVENT_VERSION, type: 'message', time: message.time, message, wire: {}, ...more };
      this.#fanout.deliver(to, { ...ev, to: snapshotUser(to) });
    }
    return message;
  }

  /** See `Hub.signal`. */
  signal(from: User, target: string, annotations: Annotations, audience?: Audience): SignalEvent {
    const room = target.startsWith('#') ? this.#speakingRoom(from, target) : undefined;
    const to = room ? undefined : this.#recipient(target);
    const ev: SignalEvent = {
      v: EVENT_VERSION,
      type: 'signal',
      time: this.#now(),
      id: String(this.#ids.next()),
      from: snapshotUser(from),
      target: room?.name ?? to!.nick,
      private: !room,
      annotations,
      ...(audience && room ? { audience } : {}),
      ...(to ? { to: snapshotUser(to) } : {}),
      wire: {},
    };
    if (room) this.#fanout.toRoom(room, ev, from);
    else if (to !== from) this.#fanout.deliver(to!, ev);
    // A reaction to a room message is kept with it (shown again on joining and paging); typing is not.
    const reaction = room && !audience ? storedReaction(annotations) : undefined;
    if (reaction) {
      this.#history.react(room!.key, reaction.seq, { nick: from.nick, emoji: reaction.emoji, time: ev.time });
      if (this.#history.sync === false) void this.#history.flush().catch(() => {});
      else this.turn.request();
    }
    return ev;
  }

  /** Resolves when every room message handed to the store so far is committed or refused. */
  settled(): Promise<void> {
    return this.#held?.settled() ?? Promise.resolve();
  }

  /** Flushes the held room messages now (shutdown). */
  commitHeld(): void {
    this.#held?.commit();
  }

  #speakingRoom(from: User, name: string): Room {
    const room = this.state.findRoom(name);
    if (!room) throw new HubError('NO_SUCH_ROOM', { room: name });
    if (!room.canSpeak(from) || room.isBanned(from)) throw new HubError('CANNOT_SEND', { room: room.name });
    return room;
  }

  #recipient(nick: string): User {
    const to = this.state.findUser(nick);
    if (!to) throw new HubError('NO_SUCH_NICK', { nick });
    return to;
  }

  /**
   * A held room message, committed: to the room as it is now (it may have been emptied and made again),
   * its sender answered after. On an ordered bus, both once the node reads it back.
   */
  #sendRoomMessage(m: HeldMessage): void {
    const room = this.#rooms.get(m.room.key) ?? m.room;
    if (this.#ordered) return this.#fanout.toRoomInOrder(room, m.event, m.from, () => m.resolve(m.message));
    try {
      this.#fanout.toRoom(room, m.event, m.from);
    } finally {
      m.resolve(m.message);
    }
  }

  /** Room messages of this turn, stored by a synchronous store's flush, onto the ordered bus. */
  #publishFlushed(): void {
    const list = this.#flushed;
    if (list.length === 0) return;
    this.#flushed = [];
    for (const m of list) this.#sendRoomMessage(m);
  }

  #stamp(from: User, target: string, isPrivate: boolean, text: string, kind: ChatMessage['kind']): ChatMessage {
    const seq = this.#ids.next();
    this.stats.messages++;
    return {
      seq,
      id: String(seq),
      time: this.#now(),
      target,
      private: isPrivate,
      from: from.nick,
      fromMask: from.mask,
      text,
      kind,
      ...(from.bot ? { bot: true as const } : {}),
      ...(from.account !== undefined ? { account: from.account } : {}),
    };
  }
}
