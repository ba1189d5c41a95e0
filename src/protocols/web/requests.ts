import { HubError } from '../../core/errors.js';
import { andThen } from '../../core/history.js';
import type { Annotations } from '../../core/events.js';
// The IRC door's rule for which client-only tags are relayed (`CLIENTTAGDENY`), shared so both doors agree.
import { clientTags } from '../irc/handlers/messaging.js';
import { snapshotMembers } from '../../core/snapshot.js';
import { nickKey, normaliseRoomName } from '../../core/names.js';
import type { Room } from '../../core/room.js';
import type { User } from '../../core/user.js';
import { parseLang } from '../../i18n/index.js';
import { hello } from './hello.js';
import { history, redact, search } from './history-requests.js';
import { setMetadata, webMembers } from './metadata.js';
import { registerRoom } from './register-room.js';
import { signalMessage, TAG, wireMessage, type ClientMessage, type Member } from './json-protocol.js';
import type { JsonSession } from './json-session.js';

/**
 * One request of a web client, by its type: a hub operation and its answer (a refusal is thrown as a
 * {@link HubError}, which the session answers). Before `hello` only `ping` and `lang` are taken.
 */
export function handleRequest(s: JsonSession, m: ClientMessage): void | Promise<void> {
  if (m.type === 'ping') {
    s.send({ type: 'pong', ref: m.ref, time: Date.now() });
    return;
  }
  if (m.type === 'lang') {
    const lang = parseLang(m.lang);
    if (!lang) {
      s.error(m.ref, 'BAD_LANG', { lang: m.lang });
      return;
    }
    s.setLang(lang);
    s.send({ type: 'pong', ref: m.ref, time: Date.now() });
    return;
  }
  if (s.awaitingHello) {
    if (m.type === 'hello') return hello(s, m);
    s.error(m.ref, 'NOT_REGISTERED');
    return;
  }
  const { hub } = s.ctx;
  const user = s.user!;
  switch (m.type) {
    case 'hello':
      s.error(m.ref, 'ALREADY_REGISTERED');
      return;
    case 'nick':
      return hub.changeNick(user, m.nick.trim());
    case 'join': {
      const room = hub.join(user, normaliseRoomName(m.room), m.key);
      return s.sendJoined(room, m.ref, m.after);
    }
    case 'part':
      hub.part(user, normaliseRoomName(m.room), m.reason ?? '');
      return;
    case 'message':
      return message(s, user, m);
    case 'typing':
      hub.signal(user, target(m.target), allowed(s, { [TAG.typing]: m.state }) ?? {});
      return;
    case 'react': {
      const ev = hub.signal(user, target(m.target), allowed(s, { [TAG.react]: m.emoji, [TAG.reply]: m.msgid }) ?? {});
      // The sender's own copy (the hub delivers none to the sender): the page counts it from this.
      const shown = signalMessage(ev);
      if (shown) s.send({ ...shown, ref: m.ref });
      return;
    }
    case 'history':
      return history(s, user, m);
    case 'redact':
      return redact(s, user, m);
    case 'search':
      return search(s, user, m);
    case 'topic':
      hub.setTopic(user, normaliseRoomName(m.room), m.text);
      return;
    case 'markread': {
      const read = s.ctx.readMarkers.mark(user, target(m.target), m.time);
      s.send({ type: 'markread', ref: m.ref, time: Date.now(), target: target(m.target), read });
      return;
    }
    case 'rooms': {
      const rooms = hub
        .visibleRooms(user)
        .map((r) => ({ name: r.name, members: r.members.size, topic: r.topic?.text ?? null }))
        .sort((a, b) => b.members - a.members || a.name.localeCompare(b.name));
      s.send({ type: 'rooms', ref: m.ref, time: Date.now(), rooms });
      return;
    }
    case 'register':
      return registerRoom(s, user, m);
    case 'who': {
      const room = hub.findRoom(normaliseRoomName(m.room));
      if (!room || !room.visibleTo(user)) {
        throw new HubError('NO_SUCH_ROOM', { room: m.room });
      }
      s.send({ type: 'members', ref: m.ref, time: Date.now(), room: room.name, members: members(room) });
      return;
    }
    case 'metadata':
      return setMetadata(s, user, m);
    case 'quit':
      s.send({ type: 'bye', time: Date.now(), reason: s.tr('web.bye') });
      s.close(m.reason ? `Quit: ${m.reason}` : 'Quit');
      return;
  }
}

/** `message`: to a room or a person; answered with the message as stored (its id and time). */
function message(s: JsonSession, user: User, m: Extract<ClientMessage, { type: 'message' }>): void | Promise<void> {
  const to = target(m.target);
  // A resend of a message that did arrive (or is being stored): the original is the answer, nothing
  // is stored or relayed twice.
  const { sent } = s.sessions;
  const who = nickKey(user.nick);
  const earlier = m.key ? (sent.get(who, m.key) ?? sent.inFlight(who, m.key)) : undefined;
  const annotations = m.reply ? allowed(s, { [TAG.reply]: m.reply }) : undefined;
  const sending =
    earlier ?? s.ctx.hub.message(user, to, m.text, m.kind ?? 'message', annotations ? { annotations } : {});
  // Remembered once stored: a refused message (history unavailable) may be sent again by its key.
  if (m.key && !earlier && sending instanceof Promise) sent.track(who, m.key, sending);
  return andThen(sending, (stored) => {
    if (m.key && !earlier) sent.remember(who, m.key, stored);
    if (!s.closed)
      s.send({ type: 'message', ref: m.ref, time: stored.time, message: wireMessage(stored, annotations) });
  });
}

/** A room as given, a nickname trimmed (as for a message). */
function target(name: string): string {
  return name.startsWith('#') ? name : name.trim();
}

/** The annotations the server relays (`--client-tag-deny` applies to the web door as to IRC). */
function allowed(s: JsonSession, annotations: Annotations): Annotations | undefined {
  return clientTags(annotations, s.ctx.config.clientTagDeny);
}

/** The members of a room as the page lists them. */
export function members(room: Room): Member[] {
  return webMembers(snapshotMembers(room));
}
