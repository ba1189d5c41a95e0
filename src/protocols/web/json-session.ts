import { logText } from '../connection-log.js';
import { randomBytes } from 'node:crypto';
import { HubError } from '../../core/errors.js';
import { andThen, type HistoryPage } from '../../core/history.js';
import type { Annotations, HubEvent, Sink } from '../../core/events.js';
// The IRC door's rule for which client-only tags are relayed (`CLIENTTAGDENY`), shared so both doors agree.
import { clientTags } from '../irc/handlers/messaging.js';
import { snapshotMembers } from '../../core/snapshot.js';
import { nickKey, NICK_MAX, normaliseRoomName } from '../../core/names.js';
import type { Room } from '../../core/room.js';
import type { SignIns } from '../../core/sign-ins.js';
import type { User } from '../../core/user.js';
import { parseLang, translator, type Lang, type Translate } from '../../i18n/index.js';
import type { DoorContext } from '../door.js';
import { frameText } from '../../codec/ws-frame.js';
import { Inbox, registrationDeadline, resetSocket, type InboxOwner } from '../../transports/connection.js';
import { Outbox, type OutboxOwner } from '../../transports/outbox.js';
import type { WsConnection, WsOwner } from '../../transports/websocket.js';
import { aroundPage, redact, redactMessage, search } from './history-requests.js';
import { IdempotencyCache } from './idempotency.js';
import { isWebKey, metadataMessage, setMetadata, webMembers, webProfile } from './metadata.js';
import { registerRoom } from './register-room.js';
import {
  encode,
  parseClientMessage,
  signalMessage,
  TAG,
  wireMessage,
  type ClientMessage,
  type Member,
  type Ref,
  type ServerMessage,
} from './json-protocol.js';

/** Messages of history sent at most for a resume (`join` with `after`); the client pages for more. */
const RESUME_LIMIT = 500;
const PAGE_DEFAULT = 50;

/** What the JSON sessions of one door share: resume tokens, and the messages sent by idempotency key. */
export class JsonSessions {
  readonly byToken = new Map<string, JsonSession>();
  constructor(readonly sent = new IdempotencyCache()) {}
}

/** WebSocket close codes (RFC 6455 §7.4.1). */
export const CLOSE = { normal: 1000, goingAway: 1001, unsupported: 1003, policy: 1008, tooBig: 1009 } as const;

/**
 * One web client on `/ws`: JSON messages in, hub operations; hub events out, JSON messages. Flood
 * control and the send-queue limit are the other doors' (a token bucket; the shared {@link Outbox}).
 */
export class JsonSession implements Sink, InboxOwner<ClientMessage>, OutboxOwner, WsOwner {
  readonly door = 'web';
  user: User | undefined;
  lang: Lang;
  tr: Translate;
  readonly token = randomBytes(18).toString('base64url');
  readonly #outbox: Outbox;
  readonly #inbox: Inbox<ClientMessage>;
  #state: 'hello' | 'chat' | 'closed' = 'hello';
  /** Events held while a join waits for its history (an asynchronous store): they follow its `joined`. */
  #deferred: HubEvent[] | undefined;
  #regTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly ctx: DoorContext,
    readonly ws: WsConnection,
    readonly remoteAddress: string,
    readonly sessions: JsonSessions,
    readonly signIns?: SignIns,
    /** The sign-in cookie's token the page came with (sign-in-api.ts): its account is this session's. */
    public signIn?: string,
  ) {
    const { limits } = ctx.config;
    this.lang = ctx.config.lang;
    this.tr = translator(this.lang);
    this.#inbox = new Inbox<ClientMessage>(this, limits);
    const counters = ctx.stats.door('web');
    this.#outbox = new Outbox(ws, ctx.outboxes, limits.maxSendQueue, this, counters);
    counters.connections++;
    ws.owner = this;
    this.#regTimer = registrationDeadline(limits.registrationTimeoutSecs, () =>
      this.#fail('REGISTRATION_TIMEOUT', CLOSE.policy),
    );
  }

  // ---- input ---------------------------------------------------------------------------------------

  wsClosed(): void {
    this.close('Connection closed');
  }

  wsMessage(data: Buffer, isBinary: boolean): void {
    if (this.#state === 'closed') return;
    this.ctx.stats.door('web').linesIn++;
    if (isBinary) {
      this.#fail('BINARY', CLOSE.unsupported);
      return;
    }
    const parsed = parseClientMessage(data.toString('utf8'));
    if (!parsed.ok) {
      this.error(parsed.ref, 'BAD_MESSAGE', { detail: parsed.detail });
      return;
    }
    this.#inbox.push(parsed.message);
  }

  inboxFlooded(): void {
    this.ctx.stats.door('web').floodDisconnects++;
    this.#fail('FLOOD', CLOSE.policy);
  }

  /** One queued message, as flood control allows (one that waits, a nickname claim, holds the rest). */
  inboxHandle(m: ClientMessage): Promise<void> | undefined {
    try {
      const pending = this.#handle(m);
      if (pending) return pending.catch((err: unknown) => this.#failed(m, err));
    } catch (err) {
      this.#failed(m, err);
    }
    return undefined;
  }

  /** A message to a room goes on while earlier ones commit (see InboxOwner.inboxPipelines). */
  inboxPipelines(m: ClientMessage): boolean {
    return this.#state === 'chat' && m.type === 'message' && m.target.startsWith('#');
  }

  #failed(m: ClientMessage, err: unknown): void {
    if (this.#state === 'closed') return;
    if (err instanceof HubError) this.#hubError(m.ref, err);
    else {
      this.ctx.logger.error({ err }, logText(this.ctx.config.lang, 'server.log.sessionError', { door: 'web' }));
      this.error(m.ref, 'INTERNAL');
    }
  }

  #handle(m: ClientMessage): void | Promise<void> {
    if (m.type === 'ping') {
      this.send({ type: 'pong', ref: m.ref, time: Date.now() });
      return;
    }
    if (m.type === 'lang') {
      const lang = parseLang(m.lang);
      if (!lang) {
        this.error(m.ref, 'BAD_LANG', { lang: m.lang });
        return;
      }
      this.setLang(lang);
      this.send({ type: 'pong', ref: m.ref, time: Date.now() });
      return;
    }
    if (this.#state === 'hello') {
      if (m.type === 'hello') return this.#hello(m);
      this.error(m.ref, 'NOT_REGISTERED');
      return;
    }
    const { hub } = this.ctx;
    const user = this.user!;
    switch (m.type) {
      case 'hello':
        this.error(m.ref, 'ALREADY_REGISTERED');
        return;
      case 'nick':
        return hub.changeNick(user, m.nick.trim());
      case 'join': {
        const room = hub.join(user, normaliseRoomName(m.room), m.key);
        return this.#sendJoined(room, m.ref, m.after);
      }
      case 'part':
        hub.part(user, normaliseRoomName(m.room), m.reason ?? '');
        return;
      case 'message': {
        const target = m.target.startsWith('#') ? m.target : m.target.trim();
        // A resend of a message that did arrive (or is being stored): the original is the answer, nothing
        // is stored or relayed twice.
        const who = nickKey(user.nick);
        const earlier = m.key
          ? (this.sessions.sent.get(who, m.key) ?? this.sessions.sent.inFlight(who, m.key))
          : undefined;
        const annotations = m.reply ? this.#allowed({ [TAG.reply]: m.reply }) : undefined;
        const sending =
          earlier ?? hub.message(user, target, m.text, m.kind ?? 'message', annotations ? { annotations } : {});
        // Remembered once stored: a refused message (history unavailable) may be sent again by its key.
        if (m.key && !earlier && sending instanceof Promise) this.sessions.sent.track(who, m.key, sending);
        return andThen(sending, (sent) => {
          if (m.key && !earlier) this.sessions.sent.remember(who, m.key, sent);
          if (this.#state !== 'closed')
            this.send({ type: 'message', ref: m.ref, time: sent.time, message: wireMessage(sent, annotations) });
        });
      }
      case 'typing':
        hub.signal(user, this.#target(m.target), this.#allowed({ [TAG.typing]: m.state }) ?? {});
        return;
      case 'react': {
        const ev = hub.signal(
          user,
          this.#target(m.target),
          this.#allowed({ [TAG.react]: m.emoji, [TAG.reply]: m.msgid }) ?? {},
        );
        // The sender's own copy (the hub delivers none to the sender): the page counts it from this.
        const shown = signalMessage(ev);
        if (shown) this.send({ ...shown, ref: m.ref });
        return;
      }
      case 'history': {
        const room = this.#memberRoom(m.room);
        const page = m.around
          ? aroundPage(hub, room.name, Number(m.around), m.limit ?? PAGE_DEFAULT)
          : hub.historyPage(room.name, {
              limit: m.limit ?? PAGE_DEFAULT,
              ...(m.after ? { after: { seq: Number(m.after) } } : {}),
              ...(m.before ? { before: { seq: Number(m.before) } } : {}),
            });
        return andThen(page, ({ messages, more }) => {
          if (this.#state === 'closed') return;
          this.send({
            type: 'history',
            ref: m.ref,
            time: Date.now(),
            room: room.name,
            messages: messages.map((msg) => wireMessage(msg)),
            more,
            ...(m.around ? { around: m.around } : {}),
          });
        });
      }
      case 'redact':
        return redact(this, user, m);
      case 'search':
        return search(this, user, m);
      case 'topic':
        hub.setTopic(user, normaliseRoomName(m.room), m.text);
        return;
      case 'markread': {
        const read = this.ctx.readMarkers.mark(user, this.#target(m.target), m.time);
        this.send({ type: 'markread', ref: m.ref, time: Date.now(), target: this.#target(m.target), read });
        return;
      }
      case 'rooms': {
        const rooms = hub
          .visibleRooms(user)
          .map((r) => ({ name: r.name, members: r.members.size, topic: r.topic?.text ?? null }))
          .sort((a, b) => b.members - a.members || a.name.localeCompare(b.name));
        this.send({ type: 'rooms', ref: m.ref, time: Date.now(), rooms });
        return;
      }
      case 'register':
        return registerRoom(this, user, m);
      case 'who': {
        const room = hub.findRoom(normaliseRoomName(m.room));
        if (!room || !room.visibleTo(user)) {
          throw new HubError('NO_SUCH_ROOM', { room: m.room });
        }
        this.send({ type: 'members', ref: m.ref, time: Date.now(), room: room.name, members: members(room) });
        return;
      }
      case 'metadata':
        return setMetadata(this, user, m);
      case 'quit':
        this.send({ type: 'bye', time: Date.now(), reason: this.tr('web.bye') });
        this.close(m.reason ? `Quit: ${m.reason}` : 'Quit');
        return;
    }
  }

  /** Switches the language of this person's server texts (`hello.lang`, `lang`). */
  setLang(lang: Lang): void {
    this.lang = lang;
    this.tr = translator(lang);
    if (this.user) this.user.lang = lang;
  }

  async #hello(m: Extract<ClientMessage, { type: 'hello' }>): Promise<void> {
    const lang = parseLang(m.lang);
    if (lang) this.setLang(lang);
    let nick = m.nick.trim();
    const verdict = await this.ctx.accounts.authorise({
      nick,
      password: m.password,
      door: 'web',
      ip: this.remoteAddress,
    });
    if (this.closed) return;
    if (!verdict.ok) {
      this.#fail(verdict.reason, CLOSE.policy);
      return;
    }
    // Signed in with the cookie (a revoked, expired or deleted one counts for nothing).
    const account = verdict.account ?? (await this.signIns?.account(this.signIn));
    if (this.closed) return;
    if (!account) this.signIn = undefined;
    // A reconnecting client takes its nickname back from the session it left behind (a dead socket the
    // heartbeat has not dropped yet, or a page being reloaded).
    if (m.resume) {
      const old = this.sessions.byToken.get(m.resume);
      if (old && old !== this && old.user && nickKey(old.user.nick) === nickKey(nick)) old.#replaced();
    }
    // The same account in another tab or on another door already has the name: this one is `name2`…
    if (account) nick = this.#freeNickOf(account.name, nick);
    const user = await this.ctx.hub.register(this, {
      nick,
      username: 'web',
      host: this.remoteAddress,
      realname: nick,
      lang: this.lang,
      ...(account ? { account } : {}),
    });
    if (this.#state === 'closed') {
      // The page went away while its nickname was being claimed: give the name back.
      this.ctx.hub.quit(user, 'Connection closed');
      return;
    }
    this.user = user;
    clearTimeout(this.#regTimer);
    this.#regTimer = undefined; // a cleared timer still holds its closure while referenced
    this.#state = 'chat';
    this.sessions.byToken.set(this.token, this);
    this.ctx.stats.door('web').accepted++;
    this.send({
      type: 'welcome',
      ref: m.ref,
      nick: user.nick,
      ...(user.account !== undefined ? { account: user.account } : {}),
      token: this.token,
      server: this.ctx.config.serverName,
      room: this.ctx.config.room,
      time: Date.now(),
    });
  }

  /** `nick`, or when someone logged in to the same account holds it, the first of `nick2`…`nick9` that is free. */
  #freeNickOf(account: string, nick: string): string {
    const holder = this.ctx.hub.findUser(nick);
    if (!holder || holder.account === undefined || nickKey(holder.account) !== nickKey(account)) return nick;
    for (let i = 2; i <= 9; i++) {
      const other = nick.slice(0, NICK_MAX - 1) + i;
      if (!this.ctx.hub.findUser(other)) return other;
    }
    return nick;
  }

  /** The page's sign-in was ended (sign out, in this tab or another): a guest from now on. */
  signOut(): void {
    this.signIn = undefined;
    if (this.user && this.#state === 'chat') this.ctx.hub.setAccount(this.user, undefined);
  }

  #sendJoined(room: Room, ref: Ref, after: string | undefined): void | Promise<void> {
    const { hub, config } = this.ctx;
    const page =
      after !== undefined
        ? hub.historyPage(room.name, { after: { seq: Number(after) }, limit: RESUME_LIMIT })
        : hub.historyPage(room.name, { limit: config.history });
    if (!(page instanceof Promise)) return this.#joined(room, ref, page);
    // The history store answers later: the room's events wait for the `joined` that introduces it.
    this.#deferred ??= [];
    return page
      .then((p) => this.#joined(room, ref, p))
      .finally(() => {
        const deferred = this.#deferred ?? [];
        this.#deferred = undefined;
        for (const ev of deferred) this.deliver(ev);
      });
  }

  #joined(room: Room, ref: Ref, { messages: history, more }: HistoryPage): void {
    if (this.#state === 'closed') return;
    const read = this.user && this.ctx.readMarkers.get(this.user, room.name);
    this.send({
      type: 'joined',
      ref,
      time: Date.now(),
      room: room.name,
      topic: room.topic?.text ?? null,
      members: members(room),
      history: history.map((m) => wireMessage(m)),
      more,
      ...(read !== undefined ? { read } : {}),
    });
  }

  /** A room as given, a nickname trimmed (as for a message). */
  #target(target: string): string {
    return target.startsWith('#') ? target : target.trim();
  }

  /** The annotations the server relays (`--client-tag-deny` applies to the web door as to IRC). */
  #allowed(annotations: Annotations): Annotations | undefined {
    return clientTags(annotations, this.ctx.config.clientTagDeny);
  }

  #memberRoom(name: string): Room {
    const room = this.ctx.hub.findRoom(normaliseRoomName(name));
    if (!room) throw new HubError('NO_SUCH_ROOM', { room: name });
    if (!room.members.has(this.user!)) throw new HubError('NOT_IN_ROOM', { room: room.name });
    return room;
  }

  // ---- output ------------------------------------------------------------------------------------

  /** Another connection of this account moved a read marker. */
  readMarker(target: string, read: number): void {
    if (this.#state === 'chat') this.send({ type: 'markread', time: Date.now(), target, read });
  }

  /** One's own display name or avatar, restored from the account or set on another of its connections. */
  ownMetadata(key: string, value: string | undefined): void {
    if (this.#state !== 'chat' || !this.user || !isWebKey(key)) return;
    this.send(metadataMessage(this.user.nick, key, value));
  }

  accountNotice(_what: 'grace', params: { nick: string; secs: number }): void {
    this.send({
      type: 'error',
      time: Date.now(),
      code: 'NICK_PROTECTED',
      text: this.tr('accounts.grace.warningWeb', params),
      nick: params.nick,
    });
  }

  send(message: ServerMessage): void {
    this.#outbox.push(frameText(encode(message)));
  }

  /** Sends an error with its code and the catalogue's text (`web.error.<code>`). */
  error(ref: Ref, code: string, params: Record<string, string | number> = {}): void {
    this.send({
      type: 'error',
      ref,
      time: Date.now(),
      code,
      text: this.tr(`web.error.${code}`, params),
      ...(typeof params.room === 'string' ? { room: params.room } : {}),
      ...(typeof params.nick === 'string' ? { nick: params.nick } : {}),
    });
  }

  #hubError(ref: Ref, err: HubError): void {
    const params = { max: NICK_MAX, ...err.params };
    const code = err.reason === 'NICK_INVALID' ? `NICK_${String(err.params.problem)}` : err.reason;
    this.error(ref, code, params);
  }

  /** Says why and closes (protocol violations, limits): nothing more the client sends is read. */
  #fail(code: string, closeCode: number): void {
    this.error(undefined, code);
    this.close(code, closeCode, '', false, true);
  }

  deliver(ev: HubEvent): void {
    if (this.#state !== 'chat') return;
    if (this.#deferred) {
      this.#deferred.push(ev);
      return;
    }
    // Own join: the `joined` answer says it (with members and history).
    if (ev.type === 'join' && ev.user.id === this.user?.id) return;
    const cached = ev.wire.web;
    if (cached) {
      this.#outbox.push(cached);
      return;
    }
    const m = render(ev);
    if (!m) return;
    // Framed once: every web reader of the event gets the same frame.
    const bytes = frameText(encode(m));
    ev.wire.web = bytes;
    this.#outbox.push(bytes);
  }

  disconnect(reason: string): void {
    this.send({ type: 'bye', time: Date.now(), reason });
    this.close(reason, CLOSE.goingAway);
  }

  /** The same person reconnected with this session's token: leave quietly. */
  #replaced(): void {
    this.close('Reconnected', CLOSE.policy, 'replaced');
  }

  outboxOverflowed(): void {
    this.ctx.stats.door('web').slowConsumers++;
    this.close('Send queue exceeded', CLOSE.policy, 'slow', true);
  }

  /** Ends the session: the user leaves the hub, what is queued is sent, the WebSocket closes. */
  close(reason: string, code: number = CLOSE.normal, wsReason = '', abort = false, condemned = false): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    clearTimeout(this.#regTimer);
    this.#inbox.stop();
    if (this.sessions.byToken.get(this.token) === this) this.sessions.byToken.delete(this.token);
    this.ctx.stats.door('web').connections--;
    if (this.user) this.ctx.hub.quit(this.user, reason);
    if (abort) resetSocket(this.ws.socket);
    else {
      this.#outbox.flush();
      if (condemned) this.ws.condemn(code, wsReason || reason);
      else this.ws.close(code, wsReason || reason);
    }
  }

  get closed(): boolean {
    return this.#state === 'closed';
  }
}

export function members(room: Room): Member[] {
  return webMembers(snapshotMembers(room));
}

/** A hub event as the JSON every web reader gets (the same for all, so it is serialised once). */
function render(ev: HubEvent): ServerMessage | undefined {
  const time = ev.time;
  switch (ev.type) {
    case 'message':
      return { type: 'message', time: ev.message.time, message: wireMessage(ev.message, ev.annotations) };
    case 'join':
      return {
        type: 'presence',
        time,
        event: 'join',
        nick: ev.user.nick,
        room: ev.room.name,
        door: ev.user.door,
        ...webProfile(ev),
      };
    case 'part':
      return { type: 'presence', time, event: 'part', nick: ev.user.nick, room: ev.room.name, reason: ev.reason };
    case 'quit':
      return { type: 'presence', time, event: 'quit', nick: ev.user.nick, reason: ev.reason };
    case 'nick':
      return { type: 'presence', time, event: 'nick', nick: ev.user.nick, old: ev.oldNick };
    case 'kick':
      return {
        type: 'presence',
        time,
        event: 'kick',
        nick: ev.target.nick,
        room: ev.room.name,
        by: ev.by.nick,
        reason: ev.reason,
      };
    case 'topic':
      return { type: 'topic', time, room: ev.room.name, topic: ev.topic?.text ?? null, by: ev.user.nick };
    case 'mode':
      return { type: 'members', time, room: ev.room.name, members: webMembers(ev.members.map((m) => ({ ...m }))) };
    case 'invite':
      return { type: 'invite', time, room: ev.room.name, by: ev.by.nick };
    case 'rename':
      return { type: 'rename', time, old: ev.oldName, room: ev.room.name, by: ev.by.nick, reason: ev.reason };
    case 'signal':
      return signalMessage(ev);
    case 'metadata':
      return isWebKey(ev.key) ? { ...metadataMessage(ev.user.nick, ev.key, ev.value), time } : undefined;
    case 'redact':
      return redactMessage(ev);
    case 'away':
    case 'setname':
    case 'account':
      return undefined;
  }
}
