/** What the page does with each message from the server. */
import type { ServerMessage } from '../protocols/web/json-protocol.js';
import { closeOnPurpose, retryHello, send } from './connection.js';
import { runCommand } from './commands.js';
import { activate, addMessages, conv, convOf, info, lastId, loadOlderIfRoom, markRead, removeConv } from './convs.js';
import {
  atBottom,
  mentionsMe,
  messageItem,
  renderAccount,
  renderAll,
  renderHeader,
  renderMembers,
  renderMessages,
  renderRoomList,
  scrollToEnd,
  separatorsBefore,
} from './render.js';
import { setConn } from './banner.js';
import { appendLive, confirmOutgoing, flushOutgoing, refuseOutgoing } from './outgoing.js';
import { messageArrived, onReact, onTyping, TYPING_REF } from './gestures.js';
import { onMetadata } from './metadata.js';
import { focusMessage, onAround, onRedact, onSearch } from './search.js';
import { el, fold, state, tr } from './state.js';
import { save } from './storage.js';

type Of<T extends ServerMessage['type']> = Extract<ServerMessage, { type: T }>;

export function onServerMessage(msg: ServerMessage, helloNick: string): void {
  switch (msg.type) {
    case 'welcome':
      return onWelcome(msg);
    case 'joined':
      return onJoined(msg);
    case 'history':
      return onHistory(msg);
    case 'message':
      return onMessage(msg);
    case 'presence':
      return onPresence(msg);
    case 'topic': {
      const c = state.convs.get(fold(msg.room));
      if (!c) return;
      c.topic = msg.topic;
      info(
        c,
        msg.topic ? tr('info.topicSet', { nick: msg.by, topic: msg.topic }) : tr('info.topicCleared', { nick: msg.by }),
      );
      renderHeader();
      return;
    }
    case 'members': {
      const c = state.convs.get(fold(msg.room));
      if (!c) return;
      c.members = new Map(msg.members.map((m) => [fold(m.nick), m]));
      renderMembers();
      return;
    }
    case 'rooms':
      if (state.browsing) {
        state.browsing = false;
        renderRoomBrowser(msg.rooms);
        document.body.classList.add('show-rooms');
        return;
      }
      info(undefined, msg.rooms.length === 0 ? tr('info.noRooms') : tr('info.rooms'));
      for (const r of msg.rooms)
        info(undefined, tr('info.roomItem', { room: r.name, count: r.members, topic: r.topic ?? '' }));
      return;
    case 'registered':
      info(state.convs.get(fold(msg.room)), msg.text);
      return;
    case 'invite':
      info(undefined, tr('info.invite', { nick: msg.by, room: msg.room }));
      return;
    case 'rename':
      return onRename(msg);
    case 'markread':
      return onMarkRead(msg);
    case 'metadata':
      return onMetadata(msg);
    case 'error':
      return onError(msg, helloNick);
    case 'bye':
      // The server going away (a restart) or ending this session: the page reconnects unless it quit.
      info(undefined, tr('info.bye', { reason: msg.reason }), true);
      return;
    case 'typing':
      return onTyping(msg);
    case 'react':
      return onReact(msg);
    case 'redact':
      return onRedact(msg);
    case 'search':
      return onSearch(msg);
    case 'pong':
      return;
  }
}

/** The read marker moved (on another device too): what is older than it is read here as well. */
function onMarkRead(msg: Of<'markread'>): void {
  const c = state.convs.get(fold(msg.target));
  if (!c || (c.read ?? 0) > msg.read) return;
  c.read = msg.read;
  const last = c.messages.at(-1);
  if (last && last.time <= msg.read && c.unread > 0) {
    c.unread = 0;
    renderRoomList();
    save();
  }
}

/** A room took a new name: its tab keeps its messages under the new one. */
function onRename(msg: Of<'rename'>): void {
  const c = state.convs.get(fold(msg.old));
  if (!c) return;
  state.convs.delete(fold(msg.old));
  c.name = msg.room;
  state.convs.set(fold(msg.room), c);
  if (state.active === fold(msg.old)) state.active = fold(msg.room);
  info(c, tr('info.renamed', { nick: msg.by, old: msg.old, room: msg.room }));
  renderAll();
  save();
}

function onWelcome(msg: Of<'welcome'>): void {
  const resumed = state.welcomed;
  state.me = msg.nick;
  // The server's word on the account (a sign-in revoked meanwhile makes this page a guest's).
  state.account = msg.account;
  state.token = msg.token;
  state.welcomed = true;
  state.socketWelcomed = true;
  state.retries = 0;
  state.nickRetries = 0;
  el.login.hidden = true;
  el.chat.hidden = false;
  setConn({ kind: 'online' });
  const rooms = [...state.convs.values()].filter((c) => c.kind === 'room');
  if (rooms.length === 0) send({ type: 'join', room: msg.room });
  for (const c of rooms) {
    const after = lastId(c);
    send({ type: 'join', room: c.name, ...(after ? { after } : {}) });
  }
  // After the joins, so each room's gap is asked for first; what waits goes out in the order typed.
  flushOutgoing();
  if (resumed) info(undefined, tr('info.reconnected'));
  renderAccount();
  renderAll();
  save();
}

function onJoined(msg: Of<'joined'>): void {
  const c = conv(msg.room, 'room');
  c.name = msg.room;
  c.topic = msg.topic;
  c.members = new Map(msg.members.map((m) => [fold(m.nick), m]));
  const resuming = c.messages.length > 0;
  addMessages(c, msg.history);
  // The read marker (kept by the server for the account): the divider goes before the first unread.
  if (msg.read !== undefined && !resuming) {
    c.read = msg.read;
    const first = msg.history.find((m) => m.time > msg.read! && fold(m.from) !== fold(state.me));
    if (first) c.firstUnread ??= first.id;
  }
  if (!resuming) c.more = msg.more;
  else if (msg.more) send({ type: 'history', room: c.name, after: lastId(c), limit: 200 });
  if (state.switchTo.delete(fold(c.name)) || !state.active || !state.convs.has(state.active)) {
    state.active = fold(c.name);
    c.unread = 0;
  }
  if (!resuming) info(c, tr('info.joined', { room: c.name, count: msg.members.length }));
  renderAll();
  save();
  if (fold(c.name) === state.active && atBottom()) markRead(c);
  loadOlderIfRoom();
}

function onHistory(msg: Of<'history'>): void {
  const c = state.convs.get(fold(msg.room));
  if (!c) return;
  if (msg.around) return onAround(c, msg);
  const older =
    c.messages.length > 0 && msg.messages.length > 0 && Number(msg.messages[0]!.id) < Number(c.messages[0]!.id);
  addMessages(c, msg.messages);
  if (older || c.messages.length === msg.messages.length) c.more = msg.more;
  else if (msg.more) send({ type: 'history', room: c.name, after: lastId(c), limit: 200 });
  c.loadingOlder = false;
  if (fold(c.name) === state.active) {
    renderMessages(older || state.focus !== undefined);
    // Filling in after a search result opened: the result stays in view.
    if (!older && state.focus !== undefined) focusMessage(msg.more);
  }
  save();
  loadOlderIfRoom();
}

function onMessage(msg: Of<'message'>): void {
  const m = msg.message;
  const mine = confirmOutgoing(msg.ref);
  const c = convOf(m);
  // `/msg` from another conversation: the sent text is said where it was typed.
  if (mine && mine.conv !== fold(c.name) && state.convs.has(mine.conv))
    info(state.convs.get(mine.conv), tr('info.sentPrivate', { nick: m.target, text: m.text }));
  const prev = c.messages.at(-1);
  const fresh = addMessages(c, [m]);
  if (fresh.length === 0) return;
  messageArrived(c, m);
  const own = fold(m.from) === fold(state.me);
  const shown = fold(c.name) === state.active;
  // Unseen: another tab, a hidden page, or read further up (then the view stays where the person reads).
  const reading = shown && !atBottom();
  if (!own && (!shown || document.hidden || reading)) {
    c.firstUnread ??= m.id;
    if (!shown || document.hidden) c.unread++;
    renderRoomList();
  }
  if (shown) {
    if (c.messages.at(-1)?.id === m.id) {
      appendLive(...separatorsBefore(prev, m, c.firstUnread), messageItem(m));
      if (!reading || own) scrollToEnd();
      else el.newBelow.hidden = false;
    } else renderMessages(reading);
  }
  if (shown && !reading) markRead(c);
  if (!own && document.hidden && (m.private || mentionsMe(m))) notify(c.name, m.from, m.text, m.private);
  save();
}

/** A desktop notification, when the person allowed them (asked on the login gesture). */
function notify(conv: string, from: string, text: string, priv: boolean): void {
  if (!('Notification' in window) || Notification.permission !== 'granted') return;
  const title = priv ? tr('notify.private', { nick: from }) : tr('notify.mention', { nick: from, room: conv });
  const n = new Notification(title, { body: text.slice(0, 200), tag: `tomada:${fold(conv)}` });
  n.addEventListener('click', () => {
    window.focus();
    activate(conv);
    n.close();
  });
}

/** The room browser: the server's room list, each with a button to join (or go to) it. */
function renderRoomBrowser(rooms: Of<'rooms'>['rooms']): void {
  el.roomBrowser.replaceChildren();
  el.roomBrowser.hidden = false;
  if (rooms.length === 0) {
    const li = document.createElement('li');
    li.textContent = tr('info.noRooms');
    el.roomBrowser.append(li);
  }
  for (const r of rooms) {
    const li = document.createElement('li');
    const name = document.createElement('strong');
    name.textContent = r.name;
    const count = document.createElement('span');
    count.className = 'count';
    count.textContent = ` ${tr('chat.roomMembers', { count: r.members })} `;
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = tr('chat.join');
    b.addEventListener('click', () => runCommand(`/join ${r.name}`));
    li.append(name, count, b);
    if (r.topic) {
      const t = document.createElement('span');
      t.className = 'topic';
      t.textContent = r.topic;
      li.append(t);
    }
    el.roomBrowser.append(li);
  }
}

/** How often a hello refused for our own nickname is tried again (0.7, 1.4, then every 2 s: about 30 s). */
const GHOST_RETRIES = 16;

function onError(msg: Of<'error'>, helloNick: string): void {
  if (!state.socketWelcomed) {
    if (
      msg.code === 'NICK_IN_USE' &&
      state.me &&
      fold(msg.nick ?? '') === fold(helloNick) &&
      state.nickRetries < GHOST_RETRIES
    ) {
      // Our own ghost: a reload or reconnect racing the old socket's close, or, behind a load balancer,
      // our session on a node that died, until the network frees its names (its lease: about 7 s).
      state.nickRetries++;
      retryHello(helloNick, Math.min(2000, 700 * state.nickRetries));
      return;
    }
    // The nickname was refused: say why and let the person choose another.
    el.loginError.textContent = msg.text;
    el.login.hidden = false;
    el.chat.hidden = true;
    state.me = '';
    state.token = undefined;
    closeOnPurpose();
    el.nick.value = helloNick;
    if (msg.code === 'PASSWORD_REQUIRED' || msg.code === 'BAD_PASSWORD') {
      // This server has a password: ask for it beside the nickname.
      el.passwordRow.hidden = false;
      el.password.value = '';
      el.password.focus();
    } else el.nick.focus();
    return;
  }
  // A typing notice refused (the peer left, a moderated room): nothing to say.
  if (msg.ref === TYPING_REF) return;
  // A message of ours refused: marked failed where it is shown, with the reason and a retry.
  if (refuseOutgoing(msg.ref, msg.text)) return;
  info(msg.room ? state.convs.get(fold(msg.room)) : undefined, msg.text, true);
}

function onPresence(msg: Of<'presence'>): void {
  const self = fold(msg.nick) === fold(state.me);
  switch (msg.event) {
    case 'join': {
      const c = state.convs.get(fold(msg.room ?? ''));
      if (!c) return;
      const { displayName, avatar } = msg;
      c.members.set(fold(msg.nick), {
        nick: msg.nick,
        op: false,
        voice: false,
        door: msg.door ?? '',
        ...(displayName !== undefined ? { displayName } : {}),
        ...(avatar !== undefined ? { avatar } : {}),
      });
      info(c, tr('info.join', { nick: msg.nick, room: c.name }));
      break;
    }
    case 'part':
    case 'kick': {
      const c = state.convs.get(fold(msg.room ?? ''));
      if (!c) return;
      const kicked = () =>
        tr('info.kick', { nick: msg.nick, room: c.name, by: msg.by ?? '', reason: msg.reason ?? '' });
      if (self) {
        removeConv(c.name);
        if (msg.event === 'kick') info(undefined, kicked(), true);
        return;
      }
      c.members.delete(fold(msg.nick));
      info(c, msg.event === 'kick' ? kicked() : tr('info.part', { nick: msg.nick, room: c.name }));
      break;
    }
    case 'quit':
      for (const c of state.convs.values()) {
        if (c.members.delete(fold(msg.nick))) info(c, tr('info.quit', { nick: msg.nick, reason: msg.reason ?? '' }));
      }
      break;
    case 'nick': {
      const old = msg.old ?? '';
      if (fold(old) === fold(state.me)) {
        state.me = msg.nick;
        setConn({ kind: 'online' });
      }
      for (const c of state.convs.values()) {
        const m = c.members.get(fold(old));
        if (m) {
          c.members.delete(fold(old));
          c.members.set(fold(msg.nick), { ...m, nick: msg.nick });
          info(c, tr('info.nick', { old, nick: msg.nick }));
        }
      }
      save();
      break;
    }
  }
  renderMembers();
}
