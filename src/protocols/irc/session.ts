import { t } from '../../i18n/index.js';
import type { IrcMessage } from '../../codec/irc/message.js';
import { ERR } from '../../codec/irc/numerics.js';
import { HubError } from '../../core/errors.js';
import type { HubEvent, Sink } from '../../core/events.js';
import type { User } from '../../core/user.js';
import type { DoorContext } from '../door.js';
import { Inbox, registrationDeadline, type InboxOwner, type Sweepable } from '../../transports/connection.js';
import { takesEvent, type Cap } from './caps.js';
import type { AccountInfo } from '../../core/identity.js';
import type { SaslExchange } from './sasl.js';
import { handleLine, httpRefusal, isHttpRequest, lineSize, pipelines, type InboundLine } from './dispatch.js';
import { hubErrorNumeric } from './hub-errors.js';
import { allowedTags, ircLines } from './output.js';
import { monitorsOf } from './monitor.js';
import { sendMarker } from './handlers/read-marker.js';
import { metadataLine } from './handlers/metadata.js';
import type { OpenMultiline } from './handlers/multiline.js';
import { renameFallback } from './handlers/rename.js';
import { eventForClient, hostFromAddress, multilineBatch, wantsBatch, wireKey } from './serialize-events.js';
import type { IrcSessionHandle, IrcTransport } from './transport.js';

const NO_CAPS: ReadonlySet<Cap> = new Set();

/** Lines a client may send before it has registered (more closes the connection). */
export const MAX_UNREGISTERED_LINES = 300;

/**
 * One IRC client on any transport: registration (PASS/NICK/USER/CAP), command dispatch with flood
 * control (fake lag), keep-alive PINGs, IRCv3 tags and labeled responses, and the hub events it is sent.
 * How a line becomes a command (the table, labels, events held while one waits) is in dispatch.ts.
 */
export class IrcSession implements Sink, IrcSessionHandle, InboxOwner<InboundLine>, Sweepable {
  readonly door = 'irc';
  user: User | undefined;
  /** Registration state, before {@link user} exists. */
  pendingNick: string | undefined;
  username: string | undefined;
  realname: string | undefined;
  password: string | undefined;
  /** A SASL exchange under way, and the account SASL logged in to before registration. */
  sasl: SaslExchange | undefined;
  saslAccount: AccountInfo | undefined;
  // Made on the first capability: a client that negotiates none (a simple bot) holds no set.
  #caps: Set<Cap> | undefined;
  capNegotiating = false;
  /** User mode +w: this client receives WALLOPS. */
  wallops = false;
  capVersion = 0;
  readonly host: string;
  #state: 'registering' | 'active' | 'closed' = 'registering';
  #linesBeforeRegistration = 0;
  /** Lines waiting for flood control, and whether each was valid UTF-8. */
  readonly #inbox: Inbox<InboundLine>;
  /** The peer finished sending (FIN) with lines still to handle: the session ends, with this, after them. */
  #ending: string | undefined;
  #regTimer: NodeJS.Timeout | undefined;
  #lastSeen = Date.now();
  #pingSentAt = 0;
  /** Lines produced while handling a labeled command (labeled-response). */
  #capture: IrcMessage[] | undefined;
  /**
   * Events that arrived while a labeled command waited (a nickname claim, a message's commit): others'
   * doings are not part of its response, so they are written after it, in order.
   */
  #deferred: HubEvent[] | undefined;
  /** The newest message of each room a waiting JOIN's replay showed (made only then). */
  #replayed: Map<string, number> | undefined;
  #batchSeq = 0;
  /** Lines being gathered into one write (see {@link burst}). */
  #burst: string | undefined;
  /** The metadata keys this client subscribed to (`METADATA * SUB`), made on the first. */
  metadataSubs: Set<string> | undefined;
  /** A `draft/multiline` batch the client opened and has not closed. */
  multiline: OpenMultiline | undefined;
  /** MONITOR: the nicknames this client watches, by key (made on the first `MONITOR +`). */
  #monitors: Map<string, string> | undefined;

  constructor(
    readonly ctx: DoorContext,
    readonly transport: IrcTransport,
    /** The door's set of live sessions, which this one leaves when it ends. */
    readonly sessions?: { delete(s: IrcSession): unknown },
  ) {
    const { limits } = ctx.config;
    this.host = hostFromAddress(transport.remoteAddress);
    this.#inbox = new Inbox<InboundLine>(this, limits);
    this.#regTimer = registrationDeadline(limits.registrationTimeoutSecs, () => this.quit('Registration timed out'));
    ctx.stats.door('irc').connections++;
  }

  inboxHandle(inbound: InboundLine): void | Promise<void> {
    return handleLine(this, inbound);
  }

  /** A plain PRIVMSG or NOTICE to one channel, without tags (a label or a batch waits its turn). */
  inboxPipelines({ line }: InboundLine): boolean {
    return this.registered && pipelines(line);
  }

  inboxEmpty(): void {
    if (this.#ending !== undefined) this.#end(this.#ending);
  }

  inboxFlooded(): void {
    this.ctx.stats.door('irc').floodDisconnects++;
    this.quit('Excess Flood', 'Excess Flood', true);
  }

  /** This client's MONITOR list (undefined when it has none and `create` is false). */
  monitoring(): Map<string, string>;
  monitoring(create: false): Map<string, string> | undefined;
  monitoring(create = true): Map<string, string> | undefined {
    if (create) this.#monitors ??= new Map();
    return this.#monitors;
  }

  /** The capabilities this client enabled (changed through {@link setCap}). */
  get caps(): ReadonlySet<Cap> {
    return this.#caps ?? NO_CAPS;
  }

  setCap(cap: Cap, on: boolean): void {
    if (on) (this.#caps ??= new Set()).add(cap);
    else this.#caps?.delete(cap);
  }

  get serverName(): string {
    return this.ctx.config.serverName;
  }

  /** The client's nick as replies address it (`*` before one is chosen). */
  get nick(): string {
    return this.user?.nick ?? this.pendingNick ?? '*';
  }

  get registered(): boolean {
    return this.#state === 'active';
  }

  get isClosed(): boolean {
    return this.#state === 'closed';
  }

  /** The registered user (handlers marked `registered` may rely on it). */
  get me(): User {
    if (!this.user) throw new Error('not registered');
    return this.user;
  }

  // ---- output ------------------------------------------------------------------------------------

  /** Sends a message, keeping only the tags the client negotiated. */
  send(msg: IrcMessage): void {
    if (this.#state === 'closed') return;
    if (this.#capture) {
      this.#capture.push(msg);
      return;
    }
    this.#write({ ...msg, tags: allowedTags(msg.tags, this.caps) });
  }

  /** A PRIVMSG or NOTICE: as a `draft/multiline` batch when its text has line feeds and the client can take one. */
  sendMessage(msg: IrcMessage): void {
    if (!wantsBatch(msg.params[1], this.caps)) this.send(msg);
    else for (const m of multilineBatch(msg, this.newBatchId())) this.send(m);
  }

  #write(msg: IrcMessage): void {
    if (this.#burst !== undefined) {
      this.#burst += this.#text(msg);
      return;
    }
    const bytes = this.#bytes(msg);
    if (bytes) this.transport.writeLines(bytes);
  }

  /**
   * Sends what `fn` sends as one buffer (the welcome burst: some twenty lines), not one buffer per line:
   * a registration storm then leaves one allocation per client behind, not twenty.
   */
  burst(fn: () => void): void {
    if (this.#burst !== undefined) {
      fn();
      return;
    }
    this.#burst = '';
    try {
      fn();
    } finally {
      const text = this.#burst;
      this.#burst = undefined;
      if (text !== '' && this.#state !== 'closed') this.transport.writeLines(Buffer.from(text));
    }
  }

  #text(msg: IrcMessage): string {
    return ircLines(msg, this.ctx);
  }

  #bytes(msg: IrcMessage): Buffer | undefined {
    const out = this.#text(msg);
    return out === '' ? undefined : Buffer.from(out);
  }

  /** A numeric reply from the server to this client: `:server NNN nick params…`. */
  reply(numeric: string, ...params: string[]): void {
    // Replies echo what the client sent (`401 me :x`): a middle parameter that cannot be one becomes `*`.
    const safe = params.map((p, i) =>
      i < params.length - 1 && (p === '' || p.startsWith(':') || p.includes(' ')) ? '*' : p,
    );
    this.send({ tags: {}, source: this.serverName, command: numeric, params: [this.nick, ...safe] });
  }

  /** A message from the server itself (`NOTICE`, `FAIL`, `BATCH`, …). */
  fromServer(command: string, ...params: string[]): void {
    this.send({ tags: {}, source: this.serverName, command, params });
  }

  /** Replies with the numeric for a hub refusal (NOTICE never gets error replies). */
  hubError(err: unknown, command: string): void {
    if (!(err instanceof HubError)) throw err;
    if (command === 'NOTICE') return;
    const { numeric, params } = hubErrorNumeric(err, command);
    this.reply(numeric, ...params);
  }

  newBatchId(): string {
    return `b${++this.#batchSeq}`;
  }

  /** Sends `lines` inside a batch of `type` when the client has `batch`, else as they are. */
  sendBatch(type: string, params: string[], lines: IrcMessage[]): void {
    if (!this.caps.has('batch')) {
      for (const l of lines) this.send(l);
      return;
    }
    const id = this.newBatchId();
    this.fromServer('BATCH', `+${id}`, type, ...params);
    for (const l of lines) this.send({ ...l, tags: { ...l.tags, batch: id } });
    this.fromServer('BATCH', `-${id}`);
  }

  // ---- input (IrcSessionHandle) -----------------------------------------------------------------

  receiveLine(line: string, validUtf8 = true): void {
    if (this.#state === 'closed') return;
    this.ctx.stats.door('irc').linesIn++;
    this.#lastSeen = Date.now();
    if (this.#state === 'registering') {
      if (++this.#linesBeforeRegistration > MAX_UNREGISTERED_LINES) {
        this.quit('Too many lines before registration', undefined, true);
        return;
      }
      if (this.#linesBeforeRegistration === 1 && isHttpRequest(line)) {
        this.transport.writeLines(httpRefusal(this.ctx.config.network));
        this.#end('HTTP request');
        return;
      }
    }
    const size = lineSize(line);
    if (size === 'too long') this.lineTooLong();
    else if (size === 'command') this.#inbox.push({ line, utf8: validUtf8 });
  }

  /** 417, and the connection stays (modern.ircdocs.horse ERR_INPUTTOOLONG). */
  lineTooLong(): void {
    if (this.#state !== 'closed') this.reply(ERR.INPUTTOOLONG, 'Input line was too long');
  }

  /** The connection is gone. Lines the peer sent before its FIN are still handled (see {@link peerEnded}). */
  closed(reason: string): void {
    if (this.#ending === undefined) this.#end(reason);
  }

  /**
   * The peer finished sending. What it sent before is still handled, at the flood rate, then the session
   * ends: `printf 'NICK …\r\nUSER …\r\nJOIN #x\r\nPRIVMSG #x :…\r\nQUIT\r\n' | nc` (a notifier) says
   * all of it even when fake lag held some back (see Inbox.finish).
   */
  peerEnded(reason: string, holdSlot: () => (() => void) | undefined): void {
    if (this.#state === 'closed') return;
    if (this.#inbox.finish(holdSlot)) this.#ending = reason;
    else this.#end(reason);
  }

  // ---- while a command runs (dispatch.ts) ------------------------------------------------------

  /** labeled-response: what is sent to this client is kept from now on, to go out as the command's response. */
  capture(): void {
    this.#capture = [];
  }

  /** Ends the capture: what it kept (see labeled-response.ts). */
  endCapture(): IrcMessage[] {
    const kept = this.#capture ?? [];
    this.#capture = undefined;
    return kept;
  }

  /** A command waits: the hub events this client is sent are held until it settles. */
  defer(): void {
    this.#deferred = [];
  }

  /** The held events, less the messages a waiting JOIN's replay already showed. */
  undefer(): HubEvent[] {
    const events = this.#deferred ?? [];
    this.#deferred = undefined;
    const seen = this.#replayed;
    this.#replayed = undefined;
    if (!seen) return events;
    return events.filter(
      (ev) => ev.type !== 'message' || ev.message.private || ev.message.seq > (seen.get(ev.message.target) ?? -1),
    );
  }

  /** Notes the newest message a JOIN's history replay showed of `room` (see dispatch.ts). */
  replayed(room: string, seq: number): void {
    (this.#replayed ??= new Map()).set(room, seq);
  }

  // ---- registration and keep-alive -------------------------------------------------------------

  /** Called by the registration handler once the hub accepted the user. */
  activate(user: User): void {
    this.user = user;
    this.#state = 'active';
    clearTimeout(this.#regTimer);
    this.#regTimer = undefined; // a cleared timer still holds its closure while referenced
    this.ctx.stats.door('irc').accepted++;
    this.ctx.keepAlive.add(this);
  }

  pong(): void {
    this.#pingSentAt = 0;
  }

  /**
   * Keep-alive, called by the door's sweep (every few seconds, not per connection): a client silent for
   * `pingIntervalSecs` is sent a PING; one that stays silent `pingTimeoutSecs` after it is let go.
   */
  sweep(now: number): void {
    if (this.#state !== 'active') return;
    const { pingIntervalSecs, pingTimeoutSecs } = this.ctx.config.limits;
    if (this.#pingSentAt && this.#lastSeen < this.#pingSentAt) {
      if (now - this.#pingSentAt >= pingTimeoutSecs * 1000) this.quit(`Ping timeout: ${pingTimeoutSecs} seconds`);
    } else if (now - this.#lastSeen >= pingIntervalSecs * 1000) {
      this.#pingSentAt = now;
      this.fromServer('PING', this.serverName);
    } else this.#pingSentAt = 0;
  }

  // ---- hub events (Sink) ------------------------------------------------------------------------

  deliver(ev: HubEvent): void {
    if (this.#state !== 'active' || !takesEvent(ev, this.caps, this.metadataSubs)) return;
    if (this.#deferred) {
      this.#deferred.push(ev);
      return;
    }
    if (ev.type === 'rename' && !this.caps.has('draft/channel-rename')) {
      renameFallback(this, ev);
      return;
    }
    if (this.#capture) {
      const msg = eventForClient(ev, this.serverName, this.caps);
      if (msg) this.#capture.push(msg);
      return;
    }
    const batch = ev.type === 'message' && wantsBatch(ev.message.text, this.caps);
    const key = wireKey(ev, this.caps) + (batch ? 'L' : '');
    let bytes = ev.wire[key];
    if (!bytes) {
      const msg = eventForClient(ev, this.serverName, this.caps);
      if (!msg) return;
      // A multiline batch's id is the message's: the same bytes serve every client that gets the batch.
      const msgs = batch && ev.type === 'message' ? multilineBatch(msg, `ml${ev.message.id}`) : [msg];
      let text = '';
      for (const m of msgs) text += this.#text({ ...m, tags: allowedTags(m.tags, this.caps) });
      if (text === '') return;
      bytes = Buffer.from(text);
      ev.wire[key] = bytes;
    }
    this.transport.writeLines(bytes);
    // away-notify: a user who joins while away is announced as away too (IRCv3 away-notify).
    if (
      ev.type === 'join' &&
      ev.user.id !== this.user?.id &&
      ev.user.away !== undefined &&
      this.caps.has('away-notify')
    ) {
      this.send({
        tags: { time: new Date(ev.time).toISOString() },
        source: ev.user.mask,
        command: 'AWAY',
        params: [ev.user.away],
      });
    }
  }

  disconnect(reason: string): void {
    this.quit(reason);
  }

  /** draft/read-marker: another connection of this account moved a marker. */
  readMarker(target: string, time: number): void {
    if (this.#state === 'active' && this.caps.has('draft/read-marker')) sendMarker(this, target, time);
  }

  /** One of this person's keys was restored from their account or set on another of its connections. */
  ownMetadata(key: string): void {
    if (this.#state === 'active' && this.caps.has('draft/metadata-2') && this.metadataSubs?.has(key))
      this.send(metadataLine(this, this.me, key));
  }

  accountNotice(_what: 'grace', params: { nick: string; secs: number }): void {
    if (this.#state !== 'active') return;
    this.fromServer('NOTICE', this.nick, t(this.ctx.config.lang, 'accounts.grace.warningIrc', params));
  }

  /**
   * Ends the session with `ERROR` (the user quits the hub with `reason`). `condemned`: the client broke
   * a limit, nothing more it sends is read.
   */
  quit(reason: string, quitMessage = reason, condemned = false): void {
    if (this.#state === 'closed') return;
    this.#capture = undefined;
    this.#deferred = undefined;
    this.#write({ tags: {}, command: 'ERROR', params: [`Closing Link: ${this.host} (${reason})`] });
    this.#end(quitMessage, condemned);
  }

  #end(reason: string, condemned = false): void {
    if (this.#state === 'closed') return;
    if (this.#burst) this.transport.writeLines(Buffer.from(this.#burst)); // the goodbye is in it
    this.#burst = undefined;
    this.#state = 'closed';
    clearTimeout(this.#regTimer);
    this.ctx.keepAlive.delete(this);
    if (this.#monitors) monitorsOf(this.ctx.hub).clear(this);
    this.#inbox.stop();
    // Counted while the session lives: `tomada_connections{door="irc"}` is the live IRC sessions.
    this.ctx.stats.door('irc').connections--;
    if (this.user) this.ctx.hub.quit(this.user, reason);
    this.transport.close(condemned);
    this.sessions?.delete(this);
  }
}
