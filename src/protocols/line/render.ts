import type { HubEvent } from '../../core/events.js';
import type { ChatMessage } from '../../core/history.js';
import type { Translate } from '../../i18n/index.js';
import { plainText } from '../../core/names.js';
// The line door shows setting changes as IRC people write them (`+o ana`): the one shared notation.
import { modeParam, SETTING_LETTER } from '../irc/modes.js';

/**
 * HubEvent → the line door's text. Pure. The tutorial's wire strings are fixed (`<nick>: <text>`,
 * `<nick> entrou no chat!`, `<nick> saiu do chat!`); everything else is a `* ` info line in the reader's
 * language.
 */
export function renderMessage(m: ChatMessage): string {
  switch (m.kind) {
    case 'action':
      return `* ${m.from} ${m.text}`;
    case 'notice':
      return `-${m.from}- ${m.text}`;
    default:
      return `${m.from}: ${m.text}`;
  }
}

/** The time stamp in front of history lines: `[YYYY-MM-DD HH:MM]`, server local time. */
export function stamp(time: number): string {
  const d = new Date(time);
  const p = (n: number) => String(n).padStart(2, '0');
  return `[${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}]`;
}

export function renderHistory(m: ChatMessage): string {
  return `${stamp(m.time)} ${renderMessage(m)}`;
}

/** A search result: where it was said too (`[time] #room nick: text`). */
export function renderFound(m: ChatMessage): string {
  return `${stamp(m.time)} ${m.target} ${renderMessage(m)}`;
}

/**
 * Text of an event for one reader, or undefined when the reader sees nothing. `shared` says whether the
 * text is the same for every reader of that language (so the door may cache its bytes on the event).
 */
export function renderEvent(ev: HubEvent, tr: Translate): { text: string; shared: boolean } | undefined {
  switch (ev.type) {
    case 'message':
      if (ev.message.private)
        return { text: tr('chat.private', { nick: ev.message.from, text: ev.message.text }), shared: false };
      return { text: renderMessage(ev.message), shared: true };
    case 'join':
      return { text: `${ev.user.nick} entrou no chat!`, shared: true };
    case 'part':
    case 'quit':
      return { text: `${ev.user.nick} saiu do chat!`, shared: true };
    case 'nick':
      return { text: tr('chat.nick.changed', { old: ev.oldNick, nick: ev.user.nick }), shared: true };
    case 'topic':
      return ev.topic
        ? {
            text: tr('chat.topic.set', { nick: ev.user.nick, room: ev.room.name, topic: ev.topic.text }),
            shared: true,
          }
        : { text: tr('chat.topic.cleared', { nick: ev.user.nick, room: ev.room.name }), shared: true };
    case 'kick':
      return {
        text: tr('chat.kicked', {
          target: ev.target.nick,
          room: ev.room.name,
          nick: ev.by.nick,
          reason: ev.reason || ev.by.nick,
        }),
        shared: true,
      };
    case 'mode': {
      const modes = ev.changes
        .map(
          (c) => `${c.adding ? '+' : '-'}${SETTING_LETTER[c.mode]}${c.param !== undefined ? ' ' + modeParam(c) : ''}`,
        )
        .join(' ');
      return { text: tr('chat.mode', { nick: ev.by?.nick ?? '*', modes, room: ev.room.name }), shared: true };
    }
    case 'rename':
      return {
        text: tr('chat.room.renamed', {
          nick: ev.by.nick,
          old: ev.oldName,
          room: ev.room.name,
          reason: ev.reason ? `(${ev.reason})` : '',
        }).trimEnd(),
        shared: true,
      };
    case 'redact': {
      const p = { nick: ev.by.nick, room: ev.room.name, reason: ev.reason };
      return { text: tr(ev.reason ? 'chat.redactedWhy' : 'chat.redacted', p), shared: true };
    }
    case 'invite':
      return { text: tr('chat.invited', { nick: ev.by.nick, room: ev.room.name }), shared: false };
    case 'away':
    case 'setname':
    case 'account':
    case 'metadata':
      return undefined;
    case 'signal': {
      // A reaction becomes one plain line (typing is not shown: a line per keystroke pause would be noise).
      // The emoji came from a client tag: cut short and stripped of control characters before a terminal sees it.
      const emoji = plainText(ev.annotations['+draft/react'] ?? '').slice(0, 32);
      if (emoji.trim() === '') return undefined;
      const p = { nick: ev.from.nick, emoji, room: ev.target };
      return { text: tr(ev.private ? 'chat.reactedPrivate' : 'chat.reacted', p), shared: !ev.private };
    }
  }
}
