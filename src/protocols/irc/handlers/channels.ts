import { chatMessageToIrc } from '../serialize-events.js';
import { ERR, RPL } from '../../../codec/irc/numerics.js';
import { HubError } from '../../../core/errors.js';
import type { ModeChange } from '../../../core/events.js';
import type { ChatMessage } from '../../../core/history.js';
import { MAX_BANS, type Room } from '../../../core/room.js';
import type { User } from '../../../core/user.js';
import type { IrcSession } from '../session.js';
import { LETTER_SETTING, modeParam, MUTE_PREFIX } from '../modes.js';
import { sendRoomMetadata } from './metadata.js';
import { sendMarker } from './read-marker.js';
import { inOrder, list, type CommandTable } from './types.js';

/** `@`/`+` before a member's nick (all of them with multi-prefix). */
export function memberPrefix(s: IrcSession, room: Room, user: User): string {
  const m = room.members.get(user);
  if (!m) return '';
  if (s.caps.has('multi-prefix')) return (m.op ? '@' : '') + (m.voice ? '+' : '');
  return m.op ? '@' : m.voice ? '+' : '';
}

export function sendTopic(s: IrcSession, room: Room, always: boolean): void {
  if (room.topic) {
    s.reply(RPL.TOPIC, room.name, room.topic.text);
    s.reply(RPL.TOPICWHOTIME, room.name, room.topic.setBy, String(Math.floor(room.topic.setAt / 1000)));
  } else if (always) s.reply(RPL.NOTOPIC, room.name, 'No topic is set');
}

/** RPL_NAMREPLY lines (as many as fit in 512 bytes) and RPL_ENDOFNAMES. */
export function sendNames(s: IrcSession, room: Room): void {
  const me = s.me;
  const visible = room.visibleTo(me);
  if (visible) {
    const symbol = room.modes.secret ? '@' : '=';
    const names: string[] = [];
    for (const u of room.members.keys()) {
      if (!room.members.has(me) && u.invisible) continue;
      names.push(memberPrefix(s, room, u) + (s.caps.has('userhost-in-names') ? u.mask : u.nick));
    }
    const room_ = room.name;
    const budget = 400 - s.serverName.length - me.nick.length - room_.length;
    let chunk: string[] = [];
    let len = 0;
    for (const n of names) {
      if (len + n.length + 1 > budget && chunk.length > 0) {
        s.reply(RPL.NAMREPLY, symbol, room_, chunk.join(' '));
        chunk = [];
        len = 0;
      }
      chunk.push(n);
      len += n.length + 1;
    }
    if (chunk.length > 0) s.reply(RPL.NAMREPLY, symbol, room_, chunk.join(' '));
  }
  s.reply(RPL.ENDOFNAMES, room.name, 'End of /NAMES list');
}

/** History on join for clients that do not fetch it themselves (no draft/chathistory). */
function sendJoinHistory(s: IrcSession, room: Room): void | Promise<void> {
  const n = s.ctx.config.history;
  if (n === 0 || s.caps.has('draft/chathistory')) return;
  const show = (messages: ChatMessage[]) => {
    if (messages.length === 0 || s.isClosed) return;
    s.replayed(room.name, messages.at(-1)!.seq);
    s.sendBatch('chathistory', [room.name], messages.map(chatMessageToIrc));
  };
  const messages = s.ctx.hub.roomHistory(room.name, { limit: n });
  if (!(messages instanceof Promise)) return show(messages);
  // The history store is away: the join stands, without its replay.
  return messages.then(show, () => {
    if (!s.isClosed) s.fromServer('NOTICE', s.me.nick, `History of ${room.name} is unavailable right now`);
  });
}

function join(s: IrcSession, names: string, keys: string | undefined): void | Promise<void> {
  const { hub } = s.ctx;
  const me = s.me;
  if (names === '0') {
    for (const room of [...me.rooms]) hub.part(me, room.name, '');
    return;
  }
  const keyList = (keys ?? '').split(',');
  return inOrder(
    list(names).map((name, i) => [name, keyList[i] || undefined] as const),
    ([name, key]) => {
      try {
        if (hub.findRoom(name)?.members.has(me)) return;
        const room = hub.join(me, name, key);
        sendTopic(s, room, false);
        // draft/read-marker: the room's marker, before RPL_ENDOFNAMES.
        if (s.caps.has('draft/read-marker')) sendMarker(s, room.name, s.ctx.readMarkers.get(me, room.name));
        sendNames(s, room);
        sendRoomMetadata(s, room);
        return sendJoinHistory(s, room);
      } catch (err) {
        s.hubError(err, 'JOIN');
      }
    },
  );
}

export function channelModeString(room: Room, member: boolean): string[] {
  const m = room.modes;
  let flags = '+';
  const params: string[] = [];
  if (m.inviteOnly) flags += 'i';
  if (m.key !== undefined) {
    flags += 'k';
    params.push(member ? m.key : '*');
  }
  if (m.limit !== undefined) {
    flags += 'l';
    params.push(String(m.limit));
  }
  if (m.moderated) flags += 'm';
  if (m.noExternal) flags += 'n';
  if (m.secret) flags += 's';
  if (m.topicOpsOnly) flags += 't';
  if (m.noRequests) flags += 'C';
  return [flags, ...params];
}

/** ISUPPORT `MAXLIST=b:100` (the hub's limit) and `KICKLEN=255`. */
export { MAX_BANS };
export const KICK_MAX = 255;

const PARAM_ALWAYS = new Set(['o', 'v', 'b', 'I', 'k']);
const FLAG_MODES = new Set(['i', 'm', 'n', 's', 't', 'l', 'C']);

/** `MODE #room +b` / `+I` with no mask: the list (bans with the mutes as `m:` extbans; invite exceptions). */
function sendList(s: IrcSession, room: Room, letter: 'b' | 'I'): void {
  const at = (b: { setAt: number }) => String(Math.floor(b.setAt / 1000));
  if (letter === 'I') {
    for (const b of room.inviteExceptions) s.reply(RPL.INVITELIST, room.name, b.mask, b.setBy, at(b));
    s.reply(RPL.ENDOFINVITELIST, room.name, 'End of channel invite list');
    return;
  }
  for (const b of room.bans) s.reply(RPL.BANLIST, room.name, b.mask, b.setBy, at(b));
  for (const b of room.mutes) s.reply(RPL.BANLIST, room.name, MUTE_PREFIX + b.mask, b.setBy, at(b));
  s.reply(RPL.ENDOFBANLIST, room.name, 'End of channel ban list');
}

function channelMode(s: IrcSession, target: string, modeString: string | undefined, args: string[]): void {
  const { hub } = s.ctx;
  const room = hub.findRoom(target);
  if (!room) {
    s.reply(ERR.NOSUCHCHANNEL, target, 'No such channel');
    return;
  }
  const me = s.me;
  if (modeString === undefined) {
    s.reply(RPL.CHANNELMODEIS, room.name, ...channelModeString(room, room.members.has(me)));
    s.reply(RPL.CREATIONTIME, room.name, String(Math.floor(room.createdAt / 1000)));
    return;
  }
  const changes: ModeChange[] = [];
  let adding = true;
  const lists = new Set<'b' | 'I'>();
  for (const c of modeString) {
    if (c === '+' || c === '-') {
      adding = c === '+';
      continue;
    }
    if (!PARAM_ALWAYS.has(c) && !FLAG_MODES.has(c)) {
      s.reply(ERR.UNKNOWNMODE, c, 'is unknown mode char to me');
      continue;
    }
    const needsParam = PARAM_ALWAYS.has(c) || (c === 'l' && adding);
    let param: string | undefined;
    if (needsParam) {
      param = args.shift();
      if (param === undefined) {
        if (c === 'b' || c === 'I') lists.add(c);
        else if (c === 'k' && !adding) param = '*';
        else s.reply(ERR.NEEDMOREPARAMS, 'MODE', 'Not enough parameters');
        if (param === undefined) continue;
      }
    }
    // A mask or key with a leading `:` could never be sent back as a middle parameter (367, 324): refused.
    if (param?.startsWith(':') && (c === 'b' || c === 'I' || c === 'k')) continue;
    let mode = LETTER_SETTING[c]!;
    // The mute extban is `m:mask`, or `$m:mask` as EXTBAN=$,am lets clients write it.
    const mute = param?.startsWith(MUTE_PREFIX) ? MUTE_PREFIX : param?.startsWith(`$${MUTE_PREFIX}`) ? '$m:' : '';
    if (c === 'b' && param !== undefined && mute !== '') {
      mode = 'mute';
      param = param.slice(mute.length);
      if (param === '' || param.startsWith(':')) continue;
    }
    changes.push(param === undefined ? { adding, mode } : { adding, mode, param });
  }
  for (const l of lists) sendList(s, room, l);
  if (changes.length === 0) return;
  if (!room.isOp(me)) {
    s.reply(ERR.CHANOPRIVSNEEDED, room.name, "You're not channel operator");
    return;
  }
  // The hub stops at the first bad target; apply one at a time so the others still take effect.
  const good: ModeChange[] = [];
  for (const c of changes) {
    if ((c.mode === 'op' || c.mode === 'voice') && c.param !== undefined) {
      const u = hub.findUser(c.param);
      if (!u) {
        s.reply(ERR.NOSUCHNICK, c.param, 'No such nick/channel');
        continue;
      }
      if (!room.members.has(u)) {
        s.reply(ERR.USERNOTINCHANNEL, u.nick, room.name, "They aren't on that channel");
        continue;
      }
    }
    const full =
      (c.mode === 'ban' && room.bans.length >= MAX_BANS) ||
      (c.mode === 'mute' && room.mutes.length >= MAX_BANS) ||
      (c.mode === 'inviteException' && room.inviteExceptions.length >= MAX_BANS);
    if (c.adding && full) {
      const what = c.mode === 'inviteException' ? 'invite exception' : 'ban';
      s.reply(ERR.BANLISTFULL, room.name, modeParam(c) ?? '*', `Channel ${what} list is full`);
      continue;
    }
    good.push(c);
  }
  if (good.length > 0) hub.setModes(me, room.name, good);
}

function userMode(s: IrcSession, target: string, modeString: string | undefined): void {
  const me = s.me;
  if (s.ctx.hub.findUser(target) !== me) {
    if (!s.ctx.hub.findUser(target)) s.reply(ERR.NOSUCHNICK, target, 'No such nick/channel');
    else s.reply(ERR.USERSDONTMATCH, "Can't change mode for other users");
    return;
  }
  const current = () =>
    '+' + (me.bot ? 'B' : '') + (me.invisible ? 'i' : '') + (me.oper ? 'o' : '') + (s.wallops ? 'w' : '');
  if (modeString === undefined) {
    s.reply(RPL.UMODEIS, current());
    return;
  }
  let adding = true;
  let applied = '';
  let sign = '';
  let unknown = false;
  for (const c of modeString) {
    if (c === '+' || c === '-') adding = c === '+';
    else if (c === 'B') {
      if (me.bot === adding) continue;
      me.bot = adding;
      if (sign !== (adding ? '+' : '-')) applied += sign = adding ? '+' : '-';
      applied += 'B';
    } else if (c === 'i') {
      if (me.invisible === adding) continue;
      me.invisible = adding;
      if (sign !== (adding ? '+' : '-')) applied += sign = adding ? '+' : '-';
      applied += 'i';
    } else if (c === 'w') {
      if (s.wallops === adding) continue;
      s.wallops = adding;
      if (sign !== (adding ? '+' : '-')) applied += sign = adding ? '+' : '-';
      applied += 'w';
    } else if (c === 'o') {
      // Only OPER grants +o; anyone may drop it.
      if (adding || !me.oper) continue;
      me.oper = false;
      if (sign !== '-') applied += sign = '-';
      applied += 'o';
    } else unknown = true;
  }
  if (unknown) s.reply(ERR.UMODEUNKNOWNFLAG, 'Unknown MODE flag');
  if (applied) s.send({ tags: {}, source: me.mask, command: 'MODE', params: [me.nick, applied] });
}

export const channels: CommandTable = {
  JOIN: { min: 1, registered: true, handle: (s, m) => join(s, m.params[0]!, m.params[1]) },
  PART: {
    min: 1,
    registered: true,
    handle: (s, m) => {
      for (const name of list(m.params[0])) {
        try {
          s.ctx.hub.part(s.me, name, m.params[1] ?? '');
        } catch (err) {
          s.hubError(err, 'PART');
        }
      }
    },
  },
  TOPIC: {
    min: 1,
    registered: true,
    handle: (s, m) => {
      const name = m.params[0]!;
      if (m.params.length >= 2) {
        s.ctx.hub.setTopic(s.me, name, m.params[1]!);
        return;
      }
      const room = s.ctx.hub.findRoom(name);
      if (!room) throw new HubError('NO_SUCH_ROOM', { room: name });
      if (!room.visibleTo(s.me)) throw new HubError('NOT_IN_ROOM', { room: room.name });
      sendTopic(s, room, true);
    },
  },
  NAMES: {
    min: 0,
    registered: true,
    handle: (s, m) => {
      if (m.params.length === 0) {
        s.reply(RPL.ENDOFNAMES, '*', 'End of /NAMES list');
        return;
      }
      for (const name of list(m.params[0])) {
        const room = s.ctx.hub.findRoom(name);
        if (room) sendNames(s, room);
        else s.reply(RPL.ENDOFNAMES, name, 'End of /NAMES list');
      }
    },
  },
  INVITE: {
    min: 2,
    registered: true,
    handle: (s, m) => {
      const { target, room } = s.ctx.hub.invite(s.me, m.params[0]!, m.params[1]!);
      s.reply(RPL.INVITING, target.nick, room.name);
      if (target.away !== undefined) s.reply(RPL.AWAY, target.nick, target.away);
    },
  },
  KICK: {
    min: 2,
    registered: true,
    handle: (s, m) => {
      const reason = (m.params[2] ?? '').slice(0, KICK_MAX);
      for (const nick of list(m.params[1])) {
        try {
          s.ctx.hub.kick(s.me, m.params[0]!, nick, reason);
        } catch (err) {
          s.hubError(err, 'KICK');
        }
      }
    },
  },
  MODE: {
    min: 1,
    registered: true,
    handle: (s, m) => {
      const target = m.params[0]!;
      if (target.startsWith('#')) channelMode(s, target, m.params[1], m.params.slice(2));
      else userMode(s, target, m.params[1]);
    },
  },
};
