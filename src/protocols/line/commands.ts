import { allOf, andThen } from '../../core/history.js';
import { parseLang } from '../../i18n/index.js';
import type { LineSession } from './session.js';
import { renderFound, renderHistory } from './render.js';
import { accountCommands } from './account-commands.js';

/** A command that waits (a nickname claim) returns its promise: the session handles nothing else meanwhile. */
type Handler = (s: LineSession, args: string) => void | Promise<void>;

const MAX_HISTORY = 200;

function usage(s: LineSession, text: string): void {
  s.sendLine(s.tr('chat.usage', { usage: text }));
}

function currentRoom(s: LineSession) {
  if (!s.room) s.sendLine(s.tr('chat.room.none'));
  return s.room;
}

/**
 * `/history after ID`: what a client missed (a reconnecting terminal client asks it), oldest first, then
 * one line naming how many there were and the last id, so the client can ask again from there. The line
 * door shows no ids on messages: `after now` answers only that line, with the newest id the person was
 * given in the room (the room's newest when none yet). Live events wait while the answer is read, and
 * a message it listed is not given again live (catch-up.ts).
 */
function historyAfter(s: LineSession, room: string, from: string): void | Promise<void> {
  const { hub } = s.ctx;
  const given = from === 'now' ? s.catchUp.given(room) : undefined;
  s.catchUp.hold();
  const asked = allOf([
    from === 'now' && given === undefined ? hub.roomHistory(room, { limit: 1 }) : [],
    from === 'now' ? [] : hub.roomHistory(room, { after: { seq: Number(from) }, limit: MAX_HISTORY }),
  ]);
  const answered = andThen(asked, ([latest, list]) => {
    const newest = given ?? latest![0]?.seq ?? 0;
    for (const m of list!) s.sendLine(renderHistory(m));
    const last = list!.length > 0 ? list!.at(-1)!.seq : from === 'now' ? newest : Math.max(Number(from), 0);
    s.sendLine(s.tr('chat.history.after', { room, count: list!.length, after: from, last }));
    s.releaseHeld(
      room,
      list!.map((m) => m.seq),
    );
  });
  // A read that failed: the session says so; what was held is given all the same.
  if (answered instanceof Promise)
    return answered.catch((err: unknown) => {
      s.releaseHeld(room, []);
      throw err;
    });
}

/** The line door's `/commands`: one function each. Hub refusals are thrown and answered by the session. */
const commands: Record<string, Handler> = {
  help: (s) => s.sendLine(s.tr('chat.help')),

  nick: (s, args) => {
    const nick = args.trim();
    if (!nick) return usage(s, '/nick NAME');
    return s.ctx.hub.changeNick(s.user!, nick);
  },

  join: (s, args) => {
    const [room, key] = args.trim().split(/\s+/);
    if (!room) return usage(s, '/join #room [key]');
    return s.joinRoom(room, key);
  },

  part: (s, args) => {
    const room = currentRoom(s);
    if (!room) return;
    s.ctx.hub.part(s.user!, room.name, args.trim());
    s.room = undefined;
    s.sendLine(s.tr('chat.left', { room: room.name }));
  },

  rooms: (s) => {
    const rooms = s.ctx.hub.visibleRooms(s.user);
    if (rooms.length === 0) return s.sendLine(s.tr('chat.rooms.empty'));
    s.sendLine(s.tr('chat.rooms.header'));
    for (const r of rooms.sort((a, b) => b.members.size - a.members.size)) {
      s.sendLine(
        s.tr('chat.rooms.item', { room: r.name, count: r.members.size, topic: r.topic?.text ?? '' }).trimEnd(),
      );
    }
  },

  who: (s, args) => {
    const name = args.trim();
    const room = name ? s.ctx.hub.findRoom(name.startsWith('#') ? name : `#${name}`) : currentRoom(s);
    if (!room) {
      if (name) s.sendLine(s.tr('chat.room.noSuch', { room: name }));
      return;
    }
    const nicks = [...room.members.entries()]
      .map(([u, m]) => (m.op ? '@' : m.voice ? '+' : '') + u.nick)
      .sort((a, b) => a.localeCompare(b));
    s.sendLine(s.tr('chat.who', { room: room.name, count: nicks.length, nicks: nicks.join(' ') }));
  },

  msg: (s, args) => {
    const m = /^\s*(\S+)\s+(.+)$/.exec(args);
    if (!m) return usage(s, '/msg NICK TEXT');
    return andThen(s.ctx.hub.message(s.user!, m[1]!, m[2]!), () => undefined);
  },

  me: (s, args) => {
    const room = currentRoom(s);
    if (!room) return;
    if (!args.trim()) return usage(s, '/me ACTION');
    // The sender sees its own action too (the terminal shows only "/me …"), once it is sent.
    return andThen(s.ctx.hub.message(s.user!, room.name, args.trim(), 'action'), () =>
      s.sendLine(`* ${s.user!.nick} ${args.trim()}`),
    );
  },

  topic: (s, args) => {
    const room = currentRoom(s);
    if (!room) return;
    const text = args.trim();
    if (!text) {
      s.sendLine(
        room.topic
          ? s.tr('chat.topic', { room: room.name, topic: room.topic.text })
          : s.tr('chat.topic.none', { room: room.name }),
      );
      return;
    }
    s.ctx.hub.setTopic(s.user!, room.name, text);
  },

  history: (s, args) => {
    const room = currentRoom(s);
    if (!room) return;
    const after = /^after\s+(\d+|now)$/i.exec(args.trim());
    if (after) return historyAfter(s, room.name, after[1]!.toLowerCase());
    const n = args.trim() === '' ? s.ctx.config.history || 20 : Number(args.trim());
    if (!Number.isInteger(n) || n <= 0) return usage(s, '/history [N] | /history after ID|now');
    return andThen(s.ctx.hub.roomHistory(room.name, { limit: Math.min(n, MAX_HISTORY) }), (list) => {
      if (list.length === 0) return s.sendLine(s.tr('chat.history.empty', { room: room.name }));
      s.sendLine(s.tr('chat.history.header', { count: list.length, room: room.name }));
      for (const m of list) s.sendLine(renderHistory(m));
    });
  },

  /** Full-text search of the rooms one is in (every word; "quotes" for a phrase), oldest first. */
  search: (s, args) => {
    const text = args.trim();
    return andThen(s.ctx.hub.search(s.user!, { text, limit: 20 }), (found) => {
      if (found.length === 0) return s.sendLine(s.tr('chat.search.none', { text }));
      s.sendLine(s.tr('chat.search.header', { count: found.length, text }));
      for (const m of found) s.sendLine(renderFound(m));
    });
  },

  lang: (s, args) => {
    const lang = parseLang(args.trim());
    if (!lang) return usage(s, '/lang en|pt-BR');
    s.setLang(lang);
    s.sendLine(s.tr('chat.lang.set'));
  },

  quit: (s, args) => {
    s.sendLine(s.tr('chat.quit.bye'));
    s.close(args.trim() || 'Client quit');
  },

  ...accountCommands,
};

/** Runs `/name args` (without the slash). */
export function runCommand(s: LineSession, text: string): void | Promise<void> {
  const m = /^(\S*)\s?(.*)$/s.exec(text)!;
  const name = m[1]!.toLowerCase();
  const handler = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!handler) {
    s.sendLine(s.tr('chat.unknownCommand', { command: name }));
    return;
  }
  return handler(s, m[2] ?? '');
}
