import type { IrcMessage } from '../../../codec/irc/message.js';
import { ERR, RPL } from '../../../codec/irc/numerics.js';
import type { Annotations, Audience } from '../../../core/events.js';
import type { ChatMessage } from '../../../core/history.js';
import { REALNAME_MAX } from '../../../core/names.js';
import { liveMessageToIrc, statusTarget } from '../serialize-events.js';
import type { IrcSession } from '../session.js';
import { inOrder, list, type CommandTable } from './types.js';
import { isNickServ, nickserv } from './nickserv.js';
import { chanserv, isChanServ } from './chanserv.js';

// eslint-disable-next-line no-control-regex -- CTCP is delimited by \x01 (CTCP spec).
const ACTION = /^\x01ACTION ?([^\x01]*)\x01?$/;

/** STATUSMSG=@+: `@#room` (operators) and `+#room` (voices and up) as a target and its audience. */
export function splitStatus(target: string): { target: string; audience?: Audience } {
  if (target.startsWith('@#')) return { target: target.slice(1), audience: 'op' };
  if (target.startsWith('+#')) return { target: target.slice(1), audience: 'voice' };
  return { target };
}

/**
 * The client-only tags (`+name`) of a message that the server relays (message-tags "Client-only tags"):
 * all but those `clientTagDeny` blocks (`CLIENTTAGDENY`). Undefined when there are none.
 */
export function clientTags(tags: Record<string, string>, deny: readonly string[]): Annotations | undefined {
  let out: Annotations | undefined;
  const all = deny[0] === '*';
  for (const [k, v] of Object.entries(tags)) {
    if (!k.startsWith('+') || k.length === 1) continue;
    const name = k.slice(1);
    if (all ? !deny.includes(`-${name}`) : deny.includes(name)) continue;
    (out ??= {})[k] = v;
  }
  return out;
}

/** CTCP other than ACTION (refused in a `+C` room). */
function isRequest(text: string): boolean {
  return text.startsWith('\x01') && !ACTION.test(text);
}

function privmsg(s: IrcSession, msg: IrcMessage): void | Promise<void> {
  const notice = msg.command === 'NOTICE';
  const targets = list(msg.params[0]);
  if (targets.length === 0) {
    if (!notice) s.reply(ERR.NORECIPIENT, `No recipient given (${msg.command})`);
    return;
  }
  const raw = msg.params[1];
  if (raw === undefined || raw === '') {
    if (!notice) s.reply(ERR.NOTEXTTOSEND, 'No text to send');
    return;
  }
  const action = !notice ? ACTION.exec(raw) : null;
  const kind = notice ? 'notice' : action ? 'action' : 'message';
  const text = action ? action[1]! : raw;
  const annotations = clientTags(msg.tags, s.ctx.config.clientTagDeny);
  // One target after the other: one whose message waits for its commit holds the next ones.
  return inOrder(targets.slice(0, 4), (given) => sendOne(s, msg.command, given, raw, text, kind, annotations));
}

function sendOne(
  s: IrcSession,
  command: string,
  given: string,
  raw: string,
  text: string,
  kind: ChatMessage['kind'],
  annotations: Annotations | undefined,
): void | Promise<void> {
  const { hub } = s.ctx;
  const notice = command === 'NOTICE';
  const { target, audience } = splitStatus(given);
  const sent = (m: ChatMessage) => {
    if (s.isClosed) return;
    const irc = liveMessageToIrc(m, audience, annotations);
    // To oneself: the hub delivers nothing (sender = recipient), so the recipient's copy is sent here,
    // before the echo; under labeled-response both go in the one labeled batch.
    const toSelf = m.private && hub.findUser(target) === s.me;
    if (toSelf) s.send(irc);
    if (s.caps.has('echo-message')) s.send({ ...irc, source: s.me.mask });
    if (m.private && !notice) {
      const to = hub.findUser(target);
      if (to?.away !== undefined) s.reply(RPL.AWAY, to.nick, to.away);
    }
  };
  try {
    if (isRequest(raw) && hub.findRoom(target)?.modes.noRequests) {
      if (!notice) s.reply(ERR.CANNOTSENDTOCHAN, hub.findRoom(target)!.name, 'Cannot send to channel (+C)');
      return;
    }
    const result = hub.message(s.me, target, text, kind, {
      ...(audience ? { audience } : {}),
      ...(annotations ? { annotations } : {}),
    });
    if (!(result instanceof Promise)) return sent(result);
    return result.then(sent, (err: unknown) => {
      if (!s.isClosed) s.hubError(err, command);
    });
  } catch (err) {
    s.hubError(err, command);
  }
}

/**
 * TAGMSG (message-tags): client-only tags without text, delivered like PRIVMSG (membership, modes,
 * STATUSMSG, echo-message) to clients with `message-tags` only; other doors do not show it.
 */
function tagmsg(s: IrcSession, msg: IrcMessage): void {
  const { hub } = s.ctx;
  const annotations = clientTags(msg.tags, s.ctx.config.clientTagDeny) ?? {};
  for (const given of list(msg.params[0]).slice(0, 4)) {
    const { target, audience } = splitStatus(given);
    try {
      const ev = hub.signal(s.me, target, annotations, audience);
      const irc = {
        tags: { time: new Date(ev.time).toISOString(), msgid: ev.id, ...annotations },
        source: s.me.mask,
        command: 'TAGMSG',
        params: [statusTarget(ev.target, ev.audience)],
      };
      if (ev.private && ev.to?.id === s.me.id) s.send(irc);
      if (s.caps.has('echo-message')) s.send(irc);
    } catch (err) {
      s.hubError(err, 'TAGMSG');
    }
  }
}

export const messaging: CommandTable = {
  PRIVMSG: {
    min: 0,
    registered: true,
    handle: (s, m) =>
      isNickServ(m.params[0])
        ? nickserv(s, m.params[1])
        : isChanServ(m.params[0])
          ? chanserv(s, m.params[1])
          : privmsg(s, m),
  },
  NOTICE: { min: 0, registered: true, handle: privmsg },
  TAGMSG: { min: 1, registered: true, handle: tagmsg },
  AWAY: {
    min: 0,
    registered: true,
    handle: (s, m) => {
      const text = (m.params[0] ?? '').slice(0, 200);
      s.ctx.hub.setAway(s.me, text === '' ? undefined : text);
      if (text === '') s.reply(RPL.UNAWAY, 'You are no longer marked as being away');
      else s.reply(RPL.NOWAWAY, 'You have been marked as being away');
    },
  },
  SETNAME: {
    min: 1,
    registered: true,
    handle: (s, m) => {
      const name = m.params[0]!;
      if (name === '' || name.length > REALNAME_MAX) {
        s.fromServer('FAIL', 'SETNAME', 'INVALID_REALNAME', 'Realname is not valid');
        return;
      }
      s.ctx.hub.setRealname(s.me, name);
    },
  },
};
