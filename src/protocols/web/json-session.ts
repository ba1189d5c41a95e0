import { logText } from '../connection-log.js';
import { randomBytes } from 'node:crypto';
import { HubError } from '../../core/errors.js';
import type { HistoryPage } from '../../core/history.js';
import type { HubEvent, Sink } from '../../core/events.js';
import { NICK_MAX } from '../../core/names.js';
import type { Room } from '../../core/room.js';
import type { SignIns } from '../../core/sign-ins.js';
import type { User } from '../../core/user.js';
import { translator, type Lang, type Translate } from '../../i18n/index.js';
import type { DoorContext } from '../door.js';
import { frameText } from '../../codec/ws-frame.js';
import { Inbox, registrationDeadline, resetSocket, type InboxOwner } from '../../transports/connection.js';
import { Outbox, type OutboxOwner } from '../../transports/outbox.js';
import type { WsConnection, WsOwner } from '../../transports/websocket.js';
import { redactMessage } from './history-requests.js';
import { IdempotencyCache } from './idempotency.js';
import { isWebKey, metadataMessage, webMembers, webProfile } from './metadata.js';
import { handleRequest, members } from './requests.js';
import {
  encode,
  parseClientMessage,
  signalMessage,
  wireMessage,
  type ClientMessage,
  type Ref,
  type ServerMessage,
} from './json-protocol.js';

/** Messages of history sent at most for a resume (`join` with `after`); the client pages for more. */
const RESUME_LIMIT = 500;

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
 * What each request does is in requests.ts (`hello` in hello.ts).
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
      const pending = handleRequest(this, m);
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

  /** Switches the language of this person's server texts (`hello.lang`, `lang`). */
  setLang(lang: Lang): void {
    this.lang = lang;
    this.tr = translator(lang);
    if (this.user) this.user.lang = lang;
  }

  /** Before `hello`: only `ping`, `lang` and `hello` itself are taken (requests.ts). */
  get awaitingHello(): boolean {
    return this.#state === 'hello';
  }

  /** The hub granted the nickname of `hello` (hello.ts): the session is in the chat, the page welcomed. */
  enterChat(user: User, ref: Ref): void {
    this.user = user;
    clearTimeout(this.#regTimer);
    this.#regTimer = undefined; // a cleared timer still holds its closure while referenced
    this.#state = 'chat';
    this.sessions.byToken.set(this.token, this);
    this.ctx.stats.door('web').accepted++;
    this.send({
      type: 'welcome',
      ref,
      nick: user.nick,
      ...(user.account !== undefined ? { account: user.account } : {}),
      token: this.token,
      server: this.ctx.config.serverName,
      room: this.ctx.config.room,
      time: Date.now(),
    });
  }

  /** The page's sign-in was ended (sign out, in this tab or another): a guest from now on. */
  signOut(): void {
    this.signIn = undefined;
    if (this.user && this.#state === 'chat') this.ctx.hub.setAccount(this.user, undefined);
  }

  /** `joined` for a room just joined, with its history (after `after` for a resume). */
  sendJoined(room: Room, ref: Ref, after: string | undefined): void | Promise<void> {
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

  /** `hello` refused (a wrong password, a name that needs one): said, and closed. */
  refuse(code: string): void {
    this.#fail(code, CLOSE.policy);
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
  replaced(): void {
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
