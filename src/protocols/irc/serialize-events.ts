import { MAX_BODY_BYTES, truncateUtf8, type IrcMessage } from '../../codec/irc/message.js';
import type { Annotations, Audience, HubEvent, RedactEvent } from '../../core/events.js';
import type { ChatMessage } from '../../core/history.js';
import { modeParams } from './modes.js';

export { modeParams } from './modes.js';

/**
 * `::ffff:1.2.3.4` → `1.2.3.4`; a leading `:` (IPv6) would end a parameter, so `::1` → `0::1`. Used for
 * IRC users' hosts, and for the hosts of other doors' users where IRC shows them as parameters (WHO, WHOIS).
 */
export function hostFromAddress(address: string): string {
  const a = address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
  return a.startsWith(':') ? `0${a}` : a || 'unknown';
}

/** The IRC message for a stored or live chat message, with `time` and `msgid` tags. */
export function chatMessageToIrc(m: ChatMessage): IrcMessage {
  const command = m.kind === 'notice' ? 'NOTICE' : 'PRIVMSG';
  const text = m.kind === 'action' ? `\x01ACTION ${m.text}\x01` : m.text;
  const tags: Record<string, string> = { time: new Date(m.time).toISOString(), msgid: m.id };
  if (m.bot) tags.bot = ''; // IRCv3 bot mode: the tag has no value
  if (m.account !== undefined) tags.account = m.account; // IRCv3 account-tag
  return {
    tags,
    source: m.fromMask,
    command,
    // A multiline message keeps its line feeds here: the session sends it as a batch or as lines.
    params: [m.target, text],
  };
}

/** `REDACT <room> <msgid> [:reason]` from the person who deleted the message (draft/message-redaction). */
export function redactToIrc(ev: RedactEvent): IrcMessage {
  return {
    tags: { time: new Date(ev.time).toISOString(), msgid: ev.id },
    source: ev.by.mask,
    command: 'REDACT',
    params: ev.reason ? [ev.room.name, ev.msgid, ev.reason] : [ev.room.name, ev.msgid],
  };
}

/** STATUSMSG: `@#room` for a room's operators, `+#room` for its voices and operators. */
export function statusTarget(target: string, audience: Audience | undefined): string {
  return audience === 'op' ? `@${target}` : audience === 'voice' ? `+${target}` : target;
}

/** A live message as IRC shows it: its STATUSMSG target, and the client-only tags after the server's. */
export function liveMessageToIrc(m: ChatMessage, audience?: Audience, annotations?: Annotations): IrcMessage {
  const msg = chatMessageToIrc(m);
  if (audience) msg.params[0] = statusTarget(m.target, audience);
  if (annotations) Object.assign(msg.tags, annotations);
  return msg;
}

/** `\x01ACTION text\x01` → `text` (and whether it was one). */
function unwrapAction(text: string): { action: boolean; body: string } {
  if (text.startsWith('\x01ACTION ') && text.endsWith('\x01') && text.length > 8) {
    return { action: true, body: text.slice(8, -1) };
  }
  return { action: false, body: text };
}

/** Cuts `text` into pieces of at most `budget` UTF-8 bytes, at a space when there is one in the second half. */
export function splitUtf8(text: string, budget: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (Buffer.byteLength(rest) > budget) {
    let bytes = 0;
    let end = 0;
    for (const ch of rest) {
      const b = Buffer.byteLength(ch);
      if (bytes + b > budget) break;
      bytes += b;
      end += ch.length;
    }
    if (end === 0) break; // budget smaller than one character: cannot happen with IRC's limits
    const space = rest.lastIndexOf(' ', end);
    const cut = space > end / 2 ? space : end;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut === space ? cut + 1 : cut);
  }
  out.push(rest);
  return out;
}

/**
 * A PRIVMSG or NOTICE too long for one IRC line (512 bytes with CRLF, not counting tags) once the
 * sender's prefix is added. A text an IRC client could have sent in one line (`PRIVMSG target :text`
 * within 510 bytes) is cut to fit, at a whole character, as IRC servers do: the reader gets one line, never
 * the tail as a second message. A longer text (only the line and web doors allow one) is sent as several
 * lines, each with the whole prefix (and CTCP ACTION wrapping), nothing lost; only the first keeps the
 * `msgid` (ids are unique). Any other message is returned as it is.
 */
export function splitLongMessage(msg: IrcMessage, whole = false): IrcMessage[] {
  if ((msg.command !== 'PRIVMSG' && msg.command !== 'NOTICE') || msg.params.length !== 2) return [msg];
  const [target, text] = msg.params as [string, string];
  if (text.includes('\n')) return multilineFallback(msg, target, text);
  const overhead = Buffer.byteLength(`:${msg.source ?? ''} ${msg.command} ${target} :`);
  const textBytes = Buffer.byteLength(text);
  if (overhead + textBytes <= MAX_BODY_BYTES) return [msg];
  const { action, body } = unwrapAction(text);
  const budget = MAX_BODY_BYTES - overhead - (action ? 9 : 0);
  if (budget < 16) return [msg];
  const fromOneLine = !whole && Buffer.byteLength(`${msg.command} ${target} :`) + textBytes <= MAX_BODY_BYTES;
  if (fromOneLine) {
    const cut = truncateUtf8(body, budget);
    return [{ ...msg, params: [target, action ? `\x01ACTION ${cut}\x01` : cut] }];
  }
  return splitUtf8(body, budget).map((piece, i) => {
    const tags = { ...msg.tags };
    if (i > 0) delete tags.msgid;
    return { ...msg, tags, params: [target, action ? `\x01ACTION ${piece}\x01` : piece] };
  });
}

/**
 * A `draft/multiline` message for a client without the capability: one PRIVMSG per line, blank lines left
 * out, a line too long for one IRC line split (never cut: the text was written on several); only the
 * first keeps the `msgid` (message-ids, multiline "Fallback").
 */
function multilineFallback(msg: IrcMessage, target: string, text: string): IrcMessage[] {
  const out: IrcMessage[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const tags = { ...msg.tags };
    if (out.length > 0) delete tags.msgid;
    out.push(...splitLongMessage({ ...msg, tags, params: [target, line] }, true));
  }
  return out;
}

/** `text` in pieces of at most `budget` UTF-8 bytes, cut between characters only (nothing dropped). */
function cutUtf8(text: string, budget: number): string[] {
  const out: string[] = [];
  let piece = '';
  let bytes = 0;
  for (const ch of text) {
    const b = Buffer.byteLength(ch);
    if (bytes + b > budget && piece !== '') {
      out.push(piece);
      piece = '';
      bytes = 0;
    }
    piece += ch;
    bytes += b;
  }
  out.push(piece);
  return out;
}

/**
 * A message whose text has line feeds as a `draft/multiline` batch (for clients with the capability and
 * `batch`): the message's tags on the opening `BATCH`, one PRIVMSG per line (blank lines too), a line too
 * long for one IRC line continued with `draft/multiline-concat`.
 */
export function multilineBatch(msg: IrcMessage, id: string): IrcMessage[] {
  const [target, text] = msg.params as [string, string];
  const tags = { ...msg.tags };
  delete tags.batch;
  const out: IrcMessage[] = [
    { tags, source: msg.source, command: 'BATCH', params: [`+${id}`, 'draft/multiline', target] },
  ];
  const budget = MAX_BODY_BYTES - Buffer.byteLength(`:${msg.source ?? ''} ${msg.command} ${target} :`);
  for (const line of text.split('\n')) {
    cutUtf8(line, Math.max(budget, 16)).forEach((piece, i) => {
      const lineTags: Record<string, string> = i > 0 ? { batch: id, 'draft/multiline-concat': '' } : { batch: id };
      out.push({ tags: lineTags, source: msg.source, command: msg.command, params: [target, piece] });
    });
  }
  out.push({ tags: {}, source: msg.source, command: 'BATCH', params: [`-${id}`] });
  return out;
}

/** Whether a client with `caps` gets `text` as a `draft/multiline` batch. */
export function wantsBatch(text: string | undefined, caps: ReadonlySet<string>): boolean {
  return text !== undefined && text.includes('\n') && caps.has('draft/multiline') && caps.has('batch');
}

/**
 * {@link eventToIrc} as one client sees it: a JOIN without `extended-join` has only the room. With
 * {@link wireKey}, which names the variant for the per-event bytes cache.
 */
export function eventForClient(ev: HubEvent, serverName: string, caps: ReadonlySet<string>): IrcMessage | undefined {
  const msg = eventToIrc(ev, serverName);
  if (msg && ev.type === 'join' && !caps.has('extended-join')) return { ...msg, params: [msg.params[0]!] };
  return msg;
}

/** The bytes-cache key of an event for a client with `caps` (the tags and forms it gets). */
export function wireKey(ev: HubEvent, caps: ReadonlySet<string>): string {
  return (
    'irc:' +
    (caps.has('server-time') ? 't' : '') +
    (caps.has('message-tags') ? 'm' : '') +
    (caps.has('account-tag') ? 'a' : '') +
    (ev.type === 'join' && caps.has('extended-join') ? 'x' : '')
  );
}

/**
 * The IRC message an event becomes (the same for every IRC recipient), with all the tags a client could
 * get; the session keeps the tags the client asked for. Undefined for events IRC does not show.
 */
export function eventToIrc(ev: HubEvent, serverName: string): IrcMessage | undefined {
  const time = new Date(ev.time).toISOString();
  const m = (source: string, command: string, ...params: string[]): IrcMessage => ({
    tags: { time },
    source,
    command,
    params,
  });
  switch (ev.type) {
    case 'message':
      return liveMessageToIrc(ev.message, ev.audience, ev.annotations);
    case 'signal':
      return {
        tags: { time, msgid: ev.id, ...ev.annotations },
        source: ev.from.mask,
        command: 'TAGMSG',
        params: [statusTarget(ev.target, ev.audience)],
      };
    case 'redact':
      return redactToIrc(ev);
    case 'join':
      // extended-join: the account (`*` for none) and the real name; the session drops them without it.
      return m(ev.user.mask, 'JOIN', ev.room.name, ev.user.account ?? '*', ev.user.realname);
    case 'part':
      return ev.reason ? m(ev.user.mask, 'PART', ev.room.name, ev.reason) : m(ev.user.mask, 'PART', ev.room.name);
    case 'quit':
      return m(ev.user.mask, 'QUIT', ev.reason);
    case 'nick':
      return m(ev.oldMask, 'NICK', ev.user.nick);
    case 'topic':
      return m(ev.user.mask, 'TOPIC', ev.room.name, ev.topic?.text ?? '');
    case 'kick':
      return m(ev.by.mask, 'KICK', ev.room.name, ev.target.nick, ev.reason || ev.by.nick);
    case 'mode':
      return m(ev.by?.mask ?? serverName, 'MODE', ev.room.name, ...modeParams(ev.changes));
    case 'rename':
      // draft/channel-rename: the reason always, empty or not (clients without it get PART and JOIN).
      return m(ev.by.mask, 'RENAME', ev.oldName, ev.room.name, ev.reason);
    case 'invite':
      return m(ev.by.mask, 'INVITE', ev.target.nick, ev.room.name);
    case 'away':
      return ev.user.away === undefined ? m(ev.user.mask, 'AWAY') : m(ev.user.mask, 'AWAY', ev.user.away);
    case 'setname':
      return m(ev.user.mask, 'SETNAME', ev.user.realname);
    case 'account':
      return m(ev.user.mask, 'ACCOUNT', ev.user.account ?? '*');
    case 'metadata':
      // draft/metadata-2: `METADATA <nick> <key> <visibility> [:value]`; no value when the key was removed.
      return ev.value === undefined
        ? m(serverName, 'METADATA', ev.user.nick, ev.key, '*')
        : m(serverName, 'METADATA', ev.user.nick, ev.key, '*', ev.value);
  }
}
