import { cleanParam, type IrcMessage } from '../../codec/irc/message.js';
import type { HubEvent, ModeChange } from '../../core/events.js';
import type { ChatMessage } from '../../core/history.js';

/** The IRC message for a stored or live chat message, with `time` and `msgid` tags. */
export function chatMessageToIrc(m: ChatMessage): IrcMessage {
  const command = m.kind === 'notice' ? 'NOTICE' : 'PRIVMSG';
  const text = m.kind === 'action' ? `\x01ACTION ${m.text}\x01` : m.text;
  return {
    tags: { time: new Date(m.time).toISOString(), msgid: m.id },
    source: m.fromMask,
    command,
    params: [m.target, cleanParam(text)],
  };
}

/** `+ov-b a b c` as MODE parameters. */
export function modeParams(changes: ModeChange[]): string[] {
  let modes = '';
  let sign = '';
  const params: string[] = [];
  for (const c of changes) {
    const s = c.adding ? '+' : '-';
    if (s !== sign) modes += sign = s;
    modes += c.mode;
    if (c.param !== undefined) params.push(c.param);
  }
  return [modes, ...params];
}

/**
 * The IRC message an event becomes (the same for every IRC recipient), with all the tags a client could
 * get; the session keeps the tags the client asked for. Undefined for events IRC does not show, and for
 * events only shown with a capability (`away-notify`, `setname`) when `caps` lacks it.
 */
export function eventToIrc(ev: HubEvent, serverName: string): IrcMessage | undefined {
  const time = new Date().toISOString();
  const m = (source: string, command: string, ...params: string[]): IrcMessage => ({
    tags: { time },
    source,
    command,
    params,
  });
  switch (ev.type) {
    case 'message':
      return chatMessageToIrc(ev.message);
    case 'join':
      return m(ev.user.mask, 'JOIN', ev.room.name);
    case 'part':
      return ev.reason ? m(ev.user.mask, 'PART', ev.room.name, ev.reason) : m(ev.user.mask, 'PART', ev.room.name);
    case 'quit':
      return m(ev.user.mask, 'QUIT', ev.reason);
    case 'nick':
      return m(ev.oldMask, 'NICK', ev.user.nick);
    case 'topic':
      return m(ev.user.mask, 'TOPIC', ev.room.name, ev.room.topic?.text ?? '');
    case 'kick':
      return m(ev.by.mask, 'KICK', ev.room.name, ev.target.nick, ev.reason || ev.by.nick);
    case 'mode':
      return m(ev.by?.mask ?? serverName, 'MODE', ev.room.name, ...modeParams(ev.changes));
    case 'invite':
      return m(ev.by.mask, 'INVITE', ev.target.nick, ev.room.name);
    case 'away':
      return ev.user.away === undefined ? m(ev.user.mask, 'AWAY') : m(ev.user.mask, 'AWAY', ev.user.away);
    case 'setname':
      return m(ev.user.mask, 'SETNAME', ev.user.realname);
  }
}
