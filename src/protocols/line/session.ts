import { logText } from '../connection-log.js';
import type { Socket } from 'node:net';
import { LineSplitter, LineTooLongError, type LineSink } from '../../codec/line.js';
import { APELIDO, CONNECTED } from '../../codec/tutorial.js';
import { HubError } from '../../core/errors.js';
import type { HubEvent, Sink } from '../../core/events.js';
import { normaliseRoomName, plainText } from '../../core/names.js';
import type { Room } from '../../core/room.js';
import type { User } from '../../core/user.js';
import { translator, type Lang, type Translate } from '../../i18n/index.js';
import type { DoorContext } from '../door.js';
import {
  attachSocket,
  endSocket,
  Inbox,
  resetSocket,
  type InboxOwner,
  type SocketOwner,
} from '../../transports/connection.js';
import { Outbox, type OutboxOwner } from '../../transports/outbox.js';
import { andThen } from '../../core/history.js';
import { runCommand } from './commands.js';
import { lineLoggedIn } from './account-commands.js';
import type { AccountInfo } from '../../core/identity.js';
import { hubErrorText } from './hub-errors.js';
import { renderEvent, renderHistory } from './render.js';
import { CatchUp } from './catch-up.js';
import { LineRegistration } from './registration.js';

export { APELIDO, CONNECTED } from '../../codec/tutorial.js';

/**
 * One client of the line door: the tutorial's "Servidor de Chat" protocol, made robust. The tutorial's
 * client never sends a line ending, so text counts as a message once the client pauses (idle flush),
 * until the client shows it frames by lines (after its first LF the idle flush is off for it).
 */
export class LineSession implements Sink, SocketOwner, InboxOwner<string>, OutboxOwner, LineSink {
  readonly door = 'line';
  user: User | undefined;
  /** The room the person talks in (line clients are in one room at a time). */
  room: Room | undefined;
  tr: Translate;
  lang: Lang;
  readonly #splitter: LineSplitter;
  readonly #outbox: Outbox;
  readonly #inbox: Inbox<string>;
  /**
   * `claiming`: the nickname is on its way to the registry; what the client sends meanwhile waits.
   * `login`: the nickname is registered; the session waits for `/login PASSWORD`.
   */
  #state: 'nick' | 'claiming' | 'login' | 'chat' | 'closed' = 'nick';
  /** The handshake (see registration.ts), until the person is in the chat. */
  #registration: LineRegistration | undefined;
  /** The nickname the client answered `APELIDO` with (its own messages may carry it as a prefix). */
  #handshakeNick = '';
  /** The greeting went out and the client has sent nothing since: a `/lang` now repeats it in the new language. */
  #justGreeted = false;
  #framed = false;
  #ending = false;
  #idleTimer: NodeJS.Timeout | undefined;
  /** Made by the first `/history after` (see catch-up.ts). */
  #catchUp: CatchUp | undefined;

  // Every callback below is a method, none a closure: an idle connection holds only its objects.
  constructor(
    readonly ctx: DoorContext,
    readonly socket: Socket,
    /**
     * The door's live sessions, which this one leaves when it ends; `holdSlot` keeps its place in the
     * connection limits while it handles what its peer sent before leaving (TcpListener.holdSlot).
     */
    readonly sessions: { delete(s: LineSession): unknown; holdSlot?(socket: Socket): (() => void) | undefined },
  ) {
    const { limits } = ctx.config;
    this.lang = ctx.config.lang;
    this.tr = translator(this.lang);
    this.#splitter = new LineSplitter({ maxLength: limits.maxLine });
    this.#inbox = new Inbox<string>(this, limits);
    this.#outbox = new Outbox(socket, ctx.outboxes, limits.maxSendQueue, this, ctx.stats.door('line'));
    attachSocket(socket, this);
    this.#registration = new LineRegistration(this);
    this.askNickname();
  }

  // ---- the socket, the inbox and the outbox call these -------------------------------------------

  socketData(chunk: Buffer): void {
    this.#onData(chunk);
  }

  socketEnd(): void {
    this.#peerEnded();
  }

  socketClosed(): void {
    // A peer that sent its lines and closed (FIN first) still has them said, at the flood rate, even
    // if the socket is gone meanwhile (its kernel resets our answers): the drain ends the session.
    // A reset without a FIN drops them, as it drops the connection.
    if (this.#inbox.finishing) return;
    this.close('Connection closed');
  }

  /** One whole line from the splitter. */
  line(text: string): void {
    this.#framed = true;
    this.#receive(text);
  }

  inboxHandle(line: string): void | Promise<void> {
    return this.#handle(line);
  }

  inboxPipelines(line: string): boolean {
    if (this.#state !== 'chat' || !this.room) return false;
    const text = this.#stripOwnPrefix(line);
    return !text.startsWith('/') || text.startsWith('//');
  }

  inboxFlooded(): void {
    this.ctx.stats.door('line').floodDisconnects++;
    this.sendLine(this.tr('chat.limit.flood'));
    this.close('Excess flood', 'condemned');
  }

  inboxEmpty(): void {
    if (this.#ending) this.close('Client quit');
  }

  outboxOverflowed(): void {
    this.ctx.stats.door('line').slowConsumers++;
    this.close('Send queue exceeded', 'reset');
  }

  /** Switches the language of this person's server texts (`/lang`). */
  setLang(lang: Lang): void {
    this.lang = lang;
    this.tr = translator(lang);
    if (this.user) this.user.lang = lang;
  }

  /** Queues one line (LF added) for the end of the turn. */
  sendLine(text: string): void {
    this.#outbox.push(Buffer.from(plainText(text) + '\n'));
  }

  // ---- input ---------------------------------------------------------------------------------------

  #onData(chunk: Buffer): void {
    if (this.#state === 'closed') return;
    try {
      this.#splitter.push(chunk, this);
    } catch (err) {
      if (err instanceof LineTooLongError) {
        this.sendLine(this.tr('chat.limit.lineTooLong', { max: err.maxLength }));
        this.close('Line too long', 'condemned');
        return;
      }
      this.ctx.logger.error(
        { err, door: 'line' },
        logText(this.ctx.config.lang, 'server.log.inputFailed', { door: 'line' }),
      );
      this.close('Internal error');
      return;
    }
    if (!this.#framed && this.#splitter.pending > 0) {
      if (this.#idleTimer) this.#idleTimer.refresh();
      else this.#idleTimer = setTimeout(() => this.#idleFlush(), this.ctx.config.limits.idleFlushMs);
    }
  }

  /** The peer finished sending: what it sent (even unterminated) still counts, then the session ends. */
  #peerEnded(): void {
    if (this.#state === 'closed') return;
    const rest = this.#splitter.flush();
    if (rest !== undefined) this.#receive(rest);
    this.#ending = true;
    // What it sent is handled once the nickname is granted (or refused: then it ends); see Inbox.finish.
    if (!this.#inbox.finish(() => this.sessions.holdSlot?.(this.socket))) this.close('Client quit');
  }

  #idleFlush(): void {
    this.#idleTimer = undefined;
    if (this.#state === 'closed') return;
    const rest = this.#splitter.flush();
    if (rest !== undefined) this.#receive(rest);
  }

  #receive(line: string): void {
    this.ctx.stats.door('line').linesIn++;
    if (this.#state === 'nick') this.#registration?.answer(line);
    // A `/lang` right behind the nickname is the handshake's (registration.ts); anything else waits its turn.
    else if (this.#state === 'claiming' && this.#inbox.length === 0 && this.#registration?.takeEarlyLang(line)) return;
    else if (this.#state === 'chat' || this.#state === 'claiming' || this.#state === 'login') this.#inbox.push(line);
  }

  // ---- the handshake (registration.ts drives it) ----------------------------------------------------

  /** The tutorial's question: the word alone, no line ending (asked again only while it is the question). */
  askNickname(): void {
    if (this.#state === 'nick') this.#outbox.push(Buffer.from(APELIDO));
  }

  /** The nickname goes to the registry: what the client sends meanwhile waits. */
  waitForClaim(): void {
    this.#state = 'claiming';
    this.#inbox.hold();
  }

  /** A refused nickname: lines sent after it were not chat, the client answers the next `APELIDO`. */
  backToNick(): void {
    this.#state = 'nick';
    this.#inbox.clear();
    this.#inbox.release();
    // A peer that has ended cannot answer the next APELIDO.
    if (this.#ending) this.close('Client quit');
  }

  /** A registered nickname: `text` says so, and the person logs in (`/login`) before coming in. */
  waitForLogin(nick: string, text: string): void {
    this.#handshakeNick = nick;
    this.#state = 'login';
    this.sendLine(text);
    this.#inbox.release();
    if (this.#ending && this.#inbox.length === 0) this.close('Client quit');
  }

  /** The hub granted the nickname: the tutorial's greeting and the default room. */
  enterChat(user: User, nick: string, account: AccountInfo | undefined, earlyLang: Lang | undefined): void {
    this.#registration?.stop();
    this.#registration = undefined;
    this.user = user;
    if (earlyLang) this.setLang(earlyLang);
    this.#handshakeNick = nick;
    this.#state = 'chat';
    this.ctx.stats.door('line').accepted++;
    this.sendLine(CONNECTED);
    if (account) lineLoggedIn(this, account);
    if (earlyLang) this.sendLine(this.tr('chat.lang.set'));
    const greeted = () => {
      this.#justGreeted = !earlyLang;
      this.#inbox.release();
      if (this.#ending && this.#inbox.length === 0) this.close('Client quit');
    };
    const joining = this.joinRoom(this.ctx.config.room);
    if (joining) void joining.catch((err: unknown) => this.#failed(err)).finally(greeted);
    else greeted();
  }

  /** Sends what is queued now (`APELIDO` asked again must not arrive glued to the reason). */
  flush(): void {
    this.#outbox.flush();
  }

  /** The peer finished sending (what it sent is still handled). */
  get ending(): boolean {
    return this.#ending;
  }

  // ---- in the chat ---------------------------------------------------------------------------------

  /** What `/history after` keeps to answer exactly (made on its first use). */
  get catchUp(): CatchUp {
    return (this.#catchUp ??= new CatchUp());
  }

  /** Gives the events held while a `/history after` answer was read (see catch-up.ts). */
  releaseHeld(room: string, seqs: readonly number[]): void {
    for (const ev of this.catchUp.release(room, seqs)) this.deliver(ev);
  }

  /** Moves the person to `name` (joining first, so a refused join leaves them where they were). */
  joinRoom(name: string, key?: string): void | Promise<void> {
    const user = this.user!;
    const target = normaliseRoomName(name);
    const previous = this.room;
    if (previous && previous.key === this.ctx.hub.findRoom(target)?.key) {
      this.sendLine(this.tr('chat.room.already', { room: previous.name }));
      return;
    }
    const room = this.ctx.hub.join(user, target, key);
    this.room = room;
    this.#catchUp?.reset(room.name);
    if (previous) this.ctx.hub.part(user, previous.name, '');
    const n = this.ctx.config.history;
    if (n === 0) return this.#roomGreeting(room);
    const shown = andThen(this.ctx.hub.roomHistory(room.name, { limit: n }), (list) => {
      for (const m of list) this.sendLine(renderHistory(m));
    });
    if (!(shown instanceof Promise)) return this.#roomGreeting(room);
    // The history store is away: say so, and greet all the same (the join itself took place).
    return shown
      .catch((err: unknown) => this.#failed(err))
      .finally(() => {
        if (!this.closed) this.#roomGreeting(room);
      });
  }

  /** The room's topic and who is there: the texts in the person's language after joining. */
  #roomGreeting(room: Room): void {
    if (room.topic) this.sendLine(this.tr('chat.topic', { room: room.name, topic: room.topic.text }));
    this.sendLine(this.tr('chat.joined', { room: room.name, count: room.members.size }));
  }

  /** The tutorial's client types `<nick>: ` in front of every message: take it off when it is the sender's own. */
  #stripOwnPrefix(line: string): string {
    for (const nick of [this.user?.nick ?? this.#handshakeNick, this.#handshakeNick]) {
      if (line.startsWith(nick + ':')) {
        const rest = line.slice(nick.length + 1);
        return rest.startsWith(' ') ? rest.slice(1) : rest;
      }
    }
    return line;
  }

  #handle(raw: string): void | Promise<void> {
    const text = this.#stripOwnPrefix(raw);
    if (text.trim() === '') return;
    if (this.#state === 'login') return this.#registration?.login(text);
    const justGreeted = this.#justGreeted;
    this.#justGreeted = false;
    if (justGreeted && /^\/lang\s/i.test(text)) {
      // A client that learns only from `Conectado ao servidor!` that this is tomada asks for its language
      // at once: the greeting it just got (in the server's language) comes again in that one.
      const before = this.lang;
      void runCommand(this, text.slice(1)); // /lang answers at once
      if (this.lang !== before && this.room) this.#roomGreeting(this.room);
      return;
    }
    try {
      if (text.startsWith('/') && !text.startsWith('//')) {
        const pending = runCommand(this, text.slice(1));
        if (pending) return pending.catch((err: unknown) => this.#failed(err));
        return;
      }
      const body = text.startsWith('//') ? text.slice(1) : text;
      if (!this.room) {
        this.sendLine(this.tr('chat.room.none'));
        return;
      }
      const sent = this.ctx.hub.message(this.user!, this.room.name, body);
      // A store that answers later: the person's next messages go on meanwhile, and their commands wait
      // for it (inboxPipelines).
      if (sent instanceof Promise)
        return sent.then(
          (m) => this.#catchUp?.note(m.target, m.seq),
          (err: unknown) => this.#failed(err),
        );
      this.#catchUp?.note(sent.target, sent.seq);
    } catch (err) {
      this.#failed(err);
    }
  }

  #failed(err: unknown): void {
    if (this.closed) return;
    if (err instanceof HubError) this.sendLine(hubErrorText(this.tr, err));
    else {
      // A bug must not take the server (or this person's session) down: log it, tell the person.
      this.ctx.logger.error(
        { err, door: 'line' },
        logText(this.ctx.config.lang, 'server.log.commandFailed', { door: 'line' }),
      );
      this.sendLine(this.tr('chat.error.generic', { reason: 'internal error' }));
    }
  }

  hubErrorText(err: HubError): string {
    return hubErrorText(this.tr, err);
  }

  // ---- output (Sink) -----------------------------------------------------------------------------

  deliver(ev: HubEvent): void {
    if (this.#state === 'closed' || this.#catchUp?.take(ev)) return;
    const self = this.user;
    // Own join/part are answered by the commands themselves; the tutorial's notices are for the others.
    if ((ev.type === 'join' || ev.type === 'part') && ev.user.id === self?.id) return;
    if (ev.type === 'kick' && ev.target.id === self?.id && this.room?.key === ev.room.key) this.room = undefined;
    if (ev.type === 'message' && !ev.message.private) {
      // Hot path: the same bytes for every line-door reader.
      const cached = ev.wire.line;
      if (cached) {
        this.#outbox.push(cached);
        return;
      }
    }
    const key = `line:${this.lang}`;
    const cached = ev.wire[key];
    if (cached) {
      this.#outbox.push(cached);
      return;
    }
    const r = renderEvent(ev, this.tr);
    if (!r) return;
    // Once per event and language (cached below), not per recipient: the hub already removed controls
    // from the text, but the line door also drops IRC formatting, and names or reasons may carry it.
    const bytes = Buffer.from(plainText(r.text) + '\n');
    if (r.shared) {
      if (ev.type === 'message') ev.wire.line = bytes;
      else ev.wire[key] = bytes;
    }
    this.#outbox.push(bytes);
  }

  accountNotice(_what: 'grace', params: { nick: string; secs: number }): void {
    this.sendLine(this.tr('accounts.grace.warning', params));
  }

  disconnect(reason: string): void {
    this.sendLine(this.tr('chat.killed', { reason }));
    this.close(reason);
  }

  /**
   * Ends the session: the user leaves the hub (others see `… saiu do chat!`), queued lines are flushed.
   * `condemned`: reads nothing more and cuts the socket soon; `reset`: a reader that does not read.
   */
  close(reason: string, how: 'polite' | 'condemned' | 'reset' = 'polite'): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    clearTimeout(this.#idleTimer);
    this.#registration?.stop();
    this.#inbox.stop();
    if (this.user) this.ctx.hub.quit(this.user, reason);
    if (how === 'reset') resetSocket(this.socket);
    else {
      this.#outbox.flush();
      endSocket(this.socket, how === 'condemned');
    }
    this.sessions.delete(this);
  }

  get closed(): boolean {
    return this.#state === 'closed';
  }

  /** The client's address (login throttling counts per address). */
  get ip(): string {
    return this.socket.remoteAddress ?? 'unknown';
  }
}
