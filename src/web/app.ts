/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// (The two lines above keep the root `tsc -p .` green while src/web is in its include; src/web/tsconfig.json is the real setting.)
/**
 * The web client: no framework, the DOM and one WebSocket speaking the JSON protocol of
 * src/protocols/web/json-protocol.ts. Every text from the network goes into the page with
 * `textContent`, never as HTML.
 *
 * Resuming: the page keeps (in sessionStorage) its nickname, resume token, conversations and the id of
 * the last message seen in each room. After a drop or a reload it says hello with the token and joins
 * each room asking for the messages *after* that id, so nothing is lost and nothing shown twice (ids
 * already shown are skipped as well).
 */
import { pickLang, translate, type Key, type Lang } from './i18n.js';

// ---- protocol shapes (the server's json-protocol.ts, as the browser sees them) ----------------------

interface WireMessage {
  id: string;
  time: number;
  target: string;
  from: string;
  text: string;
  kind: 'message' | 'action' | 'notice';
  private: boolean;
}
interface Member {
  nick: string;
  op: boolean;
  voice: boolean;
  door: string;
}
type ServerMessage =
  | { type: 'welcome'; nick: string; token: string; server: string; room: string; time: number }
  | { type: 'message'; ref?: string | number; time: number; message: WireMessage }
  | {
      type: 'joined';
      room: string;
      topic: string | null;
      members: Member[];
      history: WireMessage[];
      more: boolean;
      ref?: string | number;
    }
  | { type: 'history'; room: string; messages: WireMessage[]; more: boolean; ref?: string | number }
  | {
      type: 'presence';
      event: 'join' | 'part' | 'quit' | 'nick' | 'kick';
      nick: string;
      room?: string;
      old?: string;
      by?: string;
      reason?: string;
      door?: string;
    }
  | { type: 'topic'; room: string; topic: string | null; by: string }
  | { type: 'rooms'; rooms: Array<{ name: string; members: number; topic: string | null }> }
  | { type: 'members'; room: string; members: Member[] }
  | { type: 'invite'; room: string; by: string }
  | { type: 'pong' }
  | { type: 'error'; code: string; text: string; ref?: string | number; room?: string; nick?: string }
  | { type: 'bye'; reason: string };

// ---- state ---------------------------------------------------------------------------------------

interface Conv {
  name: string;
  kind: 'room' | 'private';
  messages: WireMessage[];
  ids: Set<string>;
  members: Map<string, Member>;
  topic: string | null;
  unread: number;
  /** Older history exists on the server. */
  more: boolean;
  loadingOlder: boolean;
  /** Lines that are not messages (joins, errors…), shown after the messages they followed. */
  infos: Array<{ after: string; text: string; error: boolean }>;
}

interface Saved {
  nick: string;
  token?: string;
  active?: string;
  convs: Array<{ name: string; kind: 'room' | 'private'; messages: WireMessage[]; more: boolean }>;
}

const STORE_KEY = 'tomada.session';
const KEEP_PER_CONV = 300;
const PAGE = 50;

const params = new URLSearchParams(location.search);
let lang: Lang = pickLang([params.get('lang'), localStorage.getItem('tomada.lang'), ...navigator.languages]);
const tr = (key: Key, p?: Record<string, string | number>) => translate(lang, key, p);

let ws: WebSocket | undefined;
let me = '';
let token: string | undefined;
let welcomed = false;
/** The current socket got its `welcome`. */
let socketWelcomed = false;
let intentionalClose = false;
let retries = 0;
let retryTimer: number | undefined;
let nickRetries = 0;
let refSeq = 0;
/** Rooms asked for with /join (folded): the page switches to them once joined. */
const switchTo = new Set<string>();
const convs = new Map<string, Conv>();
let active: string | undefined;

const fold = (s: string) => s.toLowerCase();
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const el = {
  login: $('login'),
  loginForm: $<HTMLFormElement>('login-form'),
  nick: $<HTMLInputElement>('nick'),
  loginError: $('login-error'),
  loginLang: $<HTMLSelectElement>('lang'),
  chat: $('chat'),
  title: $('title'),
  topic: $('topic'),
  status: $('status'),
  roomList: $('room-list'),
  messages: $('messages'),
  memberList: $('member-list'),
  membersTitle: $('members-title'),
  sendForm: $<HTMLFormElement>('send-form'),
  input: $<HTMLInputElement>('input'),
  toggleRooms: $('toggle-rooms'),
  toggleMembers: $('toggle-members'),
};

// ---- persistence -----------------------------------------------------------------------------------

function save(): void {
  if (!me) return;
  const data: Saved = {
    nick: me,
    token,
    active,
    convs: [...convs.values()].map((c) => ({
      name: c.name,
      kind: c.kind,
      messages: c.messages.slice(-KEEP_PER_CONV),
      more: c.more || c.messages.length > KEEP_PER_CONV,
    })),
  };
  sessionStorage.setItem(STORE_KEY, JSON.stringify(data));
}

function load(): Saved | undefined {
  try {
    const raw = sessionStorage.getItem(STORE_KEY);
    return raw ? (JSON.parse(raw) as Saved) : undefined;
  } catch {
    return undefined;
  }
}

// ---- conversations ---------------------------------------------------------------------------------

function conv(name: string, kind: Conv['kind']): Conv {
  const key = fold(name);
  let c = convs.get(key);
  if (!c) {
    c = {
      name,
      kind,
      messages: [],
      ids: new Set(),
      members: new Map(),
      topic: null,
      unread: 0,
      more: false,
      loadingOlder: false,
      infos: [],
    };
    convs.set(key, c);
    renderRoomList();
  }
  return c;
}

function lastId(c: Conv): string | undefined {
  return c.messages.at(-1)?.id;
}

/** Adds messages (any order, duplicates skipped); returns those that were new. */
function addMessages(c: Conv, list: WireMessage[]): WireMessage[] {
  const fresh = list.filter((m) => !c.ids.has(m.id));
  if (fresh.length === 0) return fresh;
  for (const m of fresh) c.ids.add(m.id);
  c.messages.push(...fresh);
  c.messages.sort((a, b) => Number(a.id) - Number(b.id));
  return fresh;
}

function convOf(m: WireMessage): Conv {
  if (!m.private) return conv(m.target, 'room');
  const other = fold(m.from) === fold(me) ? m.target : m.from;
  return conv(other, 'private');
}

function info(c: Conv | undefined, text: string, error = false): void {
  const target = c ?? (active ? convs.get(active) : undefined);
  if (!target) {
    if (!welcomed) el.loginError.textContent = text;
    return;
  }
  const entry = { after: lastId(target) ?? '', text, error };
  target.infos.push(entry);
  if (target.infos.length > 200) target.infos.shift();
  if (fold(target.name) === active) {
    el.messages.append(infoItem(entry));
    scrollToEnd();
  }
}

function activate(name: string): void {
  active = fold(name);
  const c = convs.get(active);
  if (c) c.unread = 0;
  document.body.classList.remove('show-rooms', 'show-members');
  renderAll();
  save();
  el.input.focus();
  loadOlderIfRoom();
}

function removeConv(name: string): void {
  convs.delete(fold(name));
  if (active === fold(name)) active = convs.keys().next().value;
  renderAll();
  save();
}

// ---- rendering -------------------------------------------------------------------------------------

function nickColour(nick: string): string {
  let h = 0;
  for (const ch of fold(nick)) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return `hsl(${h % 360} 65% 38%)`;
}

function hhmm(time: number): string {
  const d = new Date(time);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

function span(cls: string, text: string): HTMLSpanElement {
  const s = document.createElement('span');
  s.className = cls;
  s.textContent = text;
  return s;
}

function messageItem(m: WireMessage): HTMLLIElement {
  const li = document.createElement('li');
  li.className = `msg ${m.kind}`;
  li.dataset.id = m.id;
  if (fold(m.from) === fold(me)) li.classList.add('own');
  const time = document.createElement('time');
  time.dateTime = new Date(m.time).toISOString();
  time.title = new Date(m.time).toLocaleString(lang);
  time.textContent = hhmm(m.time);
  const nick = span('nick', m.kind === 'action' ? `* ${m.from}` : m.from);
  nick.style.color = nickColour(m.from);
  li.append(time, nick, span('text', m.text));
  return li;
}

function infoItem(entry: { text: string; error: boolean }): HTMLLIElement {
  const li = document.createElement('li');
  li.className = entry.error ? 'info error' : 'info';
  li.textContent = entry.text;
  return li;
}

function scrollToEnd(): void {
  el.messages.scrollTop = el.messages.scrollHeight;
}

function renderMessages(keepBottomOffset = false): void {
  const c = active ? convs.get(active) : undefined;
  const fromBottom = el.messages.scrollHeight - el.messages.scrollTop;
  el.messages.replaceChildren();
  if (!c) return;
  if (!c.more && c.kind === 'room')
    el.messages.append(infoItem({ text: tr('chat.start', { room: c.name }), error: false }));
  const infosByAfter = new Map<string, typeof c.infos>();
  for (const i of c.infos) {
    const list = infosByAfter.get(i.after) ?? [];
    list.push(i);
    infosByAfter.set(i.after, list);
  }
  for (const i of infosByAfter.get('') ?? []) el.messages.append(infoItem(i));
  for (const m of c.messages) {
    el.messages.append(messageItem(m));
    for (const i of infosByAfter.get(m.id) ?? []) el.messages.append(infoItem(i));
  }
  if (keepBottomOffset) el.messages.scrollTop = el.messages.scrollHeight - fromBottom;
  else scrollToEnd();
}

function renderRoomList(): void {
  el.roomList.replaceChildren();
  const sorted = [...convs.values()].sort((a, b) =>
    a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'room' ? -1 : 1,
  );
  for (const c of sorted) {
    const li = document.createElement('li');
    const b = document.createElement('button');
    b.type = 'button';
    b.className = c.kind;
    if (fold(c.name) === active) b.setAttribute('aria-current', 'true');
    b.append(span('name', c.name));
    if (c.unread > 0) b.append(span('unread', String(c.unread)));
    b.addEventListener('click', () => activate(c.name));
    li.append(b);
    el.roomList.append(li);
  }
}

function renderMembers(): void {
  const c = active ? convs.get(active) : undefined;
  el.memberList.replaceChildren();
  const list = c
    ? [...c.members.values()].sort((a, b) => Number(b.op) - Number(a.op) || a.nick.localeCompare(b.nick))
    : [];
  el.membersTitle.textContent = tr('chat.members', { count: list.length });
  for (const m of list) {
    const li = document.createElement('li');
    const n = span('nick', (m.op ? '@' : m.voice ? '+' : '') + m.nick);
    n.style.color = nickColour(m.nick);
    li.append(n, span('door', m.door));
    li.addEventListener('click', () => {
      if (fold(m.nick) !== fold(me)) activate(conv(m.nick, 'private').name);
    });
    el.memberList.append(li);
  }
}

function renderHeader(): void {
  const c = active ? convs.get(active) : undefined;
  el.title.textContent = c?.name ?? tr('title');
  el.topic.textContent = c?.topic ?? '';
  el.input.placeholder = tr('chat.placeholder', { target: c?.name ?? '' });
}

function renderAll(): void {
  renderHeader();
  renderRoomList();
  renderMembers();
  renderMessages();
}

function setStatus(text: string, online: boolean): void {
  el.status.textContent = text;
  el.status.classList.toggle('offline', !online);
}

function applyLang(): void {
  document.documentElement.lang = lang;
  document.title = tr('title');
  for (const node of document.querySelectorAll<HTMLElement>('[data-t]')) node.textContent = tr(node.dataset.t as Key);
  for (const node of document.querySelectorAll<HTMLElement>('[data-t-label]'))
    node.setAttribute('aria-label', tr(node.dataset.tLabel as Key));
  el.loginLang.value = lang;
  if (welcomed) renderAll();
}

// ---- connection ------------------------------------------------------------------------------------

function send(msg: Record<string, unknown>): void {
  if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify(msg));
}

function connect(nick: string): void {
  clearTimeout(retryTimer);
  intentionalClose = false;
  socketWelcomed = false;
  setStatus(tr('status.connecting'), false);
  // Relative to the page, so a reverse proxy may serve the client under a path of its own (`/chat/`).
  const url = new URL('ws', location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  url.search = '';
  url.hash = '';
  const socket = new WebSocket(url);
  ws = socket;
  socket.addEventListener('open', () => {
    socket.send(JSON.stringify({ type: 'hello', nick, lang, ...(token ? { resume: token } : {}) }));
  });
  socket.addEventListener('message', (ev: MessageEvent<string>) => {
    let msg: ServerMessage;
    try {
      msg = JSON.parse(ev.data) as ServerMessage;
    } catch {
      return;
    }
    onServerMessage(msg, nick);
  });
  socket.addEventListener('close', () => {
    if (ws !== socket) return;
    ws = undefined;
    if (intentionalClose || !me) {
      setStatus(tr('status.offline'), false);
      return;
    }
    // Back-off: 1, 2, 4 … 30 s, with jitter so a restarted server is not hit by everyone at once.
    const secs = Math.min(30, 2 ** retries) * (0.75 + Math.random() * 0.5);
    retries++;
    setStatus(tr('status.retry', { secs: Math.round(secs) }), false);
    retryTimer = window.setTimeout(() => connect(me), secs * 1000);
  });
}

function onServerMessage(msg: ServerMessage, helloNick: string): void {
  switch (msg.type) {
    case 'welcome': {
      const resumed = welcomed;
      me = msg.nick;
      token = msg.token;
      welcomed = true;
      socketWelcomed = true;
      retries = 0;
      nickRetries = 0;
      el.login.hidden = true;
      el.chat.hidden = false;
      setStatus(tr('status.online', { nick: me }), true);
      const rooms = [...convs.values()].filter((c) => c.kind === 'room');
      if (rooms.length === 0) send({ type: 'join', room: msg.room });
      for (const c of rooms) {
        const after = lastId(c);
        send({ type: 'join', room: c.name, ...(after ? { after } : {}) });
      }
      if (resumed) info(undefined, tr('info.reconnected'));
      renderAll();
      save();
      break;
    }
    case 'joined': {
      const c = conv(msg.room, 'room');
      c.name = msg.room;
      c.topic = msg.topic;
      c.members = new Map(msg.members.map((m) => [fold(m.nick), m]));
      const resuming = c.messages.length > 0;
      addMessages(c, msg.history);
      if (!resuming) c.more = msg.more;
      else if (msg.more) send({ type: 'history', room: c.name, after: lastId(c), limit: 200 });
      if (switchTo.delete(fold(c.name)) || !active || !convs.has(active)) {
        active = fold(c.name);
        c.unread = 0;
      }
      if (!resuming) info(c, tr('info.joined', { room: c.name, count: msg.members.length }));
      renderAll();
      save();
      loadOlderIfRoom();
      break;
    }
    case 'history': {
      const c = convs.get(fold(msg.room));
      if (!c) break;
      const older =
        c.messages.length > 0 && msg.messages.length > 0 && Number(msg.messages[0]!.id) < Number(c.messages[0]!.id);
      addMessages(c, msg.messages);
      if (older || c.messages.length === msg.messages.length) c.more = msg.more;
      else if (msg.more) send({ type: 'history', room: c.name, after: lastId(c), limit: 200 });
      c.loadingOlder = false;
      if (fold(c.name) === active) renderMessages(older);
      save();
      loadOlderIfRoom();
      break;
    }
    case 'message': {
      const c = convOf(msg.message);
      const fresh = addMessages(c, [msg.message]);
      if (fresh.length === 0) break;
      const isActive = fold(c.name) === active;
      if (isActive) {
        const last = c.messages.at(-1);
        if (last?.id === msg.message.id) {
          el.messages.append(messageItem(msg.message));
          scrollToEnd();
        } else renderMessages();
      } else {
        c.unread++;
        renderRoomList();
      }
      save();
      break;
    }
    case 'presence':
      onPresence(msg);
      break;
    case 'topic': {
      const c = convs.get(fold(msg.room));
      if (!c) break;
      c.topic = msg.topic;
      info(
        c,
        msg.topic ? tr('info.topicSet', { nick: msg.by, topic: msg.topic }) : tr('info.topicCleared', { nick: msg.by }),
      );
      renderHeader();
      break;
    }
    case 'members': {
      const c = convs.get(fold(msg.room));
      if (!c) break;
      c.members = new Map(msg.members.map((m) => [fold(m.nick), m]));
      renderMembers();
      break;
    }
    case 'rooms':
      info(undefined, msg.rooms.length === 0 ? tr('info.noRooms') : tr('info.rooms'));
      for (const r of msg.rooms)
        info(undefined, tr('info.roomItem', { room: r.name, count: r.members, topic: r.topic ?? '' }));
      break;
    case 'invite':
      info(undefined, tr('info.invite', { nick: msg.by, room: msg.room }));
      break;
    case 'error':
      onError(msg, helloNick);
      break;
    case 'bye':
      intentionalClose = true;
      info(undefined, tr('info.bye', { reason: msg.reason }), true);
      break;
    case 'pong':
      break;
  }
}

function onError(msg: Extract<ServerMessage, { type: 'error' }>, helloNick: string): void {
  if (!socketWelcomed) {
    if (msg.code === 'NICK_IN_USE' && me && fold(msg.nick ?? '') === fold(helloNick) && nickRetries < 3) {
      // Our own ghost (a reload or reconnect racing the old socket's close): try again shortly.
      nickRetries++;
      intentionalClose = true;
      ws?.close();
      retryTimer = window.setTimeout(() => connect(helloNick), 700 * nickRetries);
      return;
    }
    // The nickname was refused: say why and let the person choose another.
    el.loginError.textContent = msg.text;
    el.login.hidden = false;
    el.chat.hidden = true;
    me = '';
    token = undefined;
    intentionalClose = true;
    ws?.close();
    el.nick.value = helloNick;
    el.nick.focus();
    return;
  }
  info(msg.room ? convs.get(fold(msg.room)) : undefined, msg.text, true);
}

function onPresence(msg: Extract<ServerMessage, { type: 'presence' }>): void {
  const self = fold(msg.nick) === fold(me);
  switch (msg.event) {
    case 'join': {
      const c = convs.get(fold(msg.room ?? ''));
      if (!c) return;
      c.members.set(fold(msg.nick), { nick: msg.nick, op: false, voice: false, door: msg.door ?? '' });
      info(c, tr('info.join', { nick: msg.nick, room: c.name }));
      break;
    }
    case 'part':
    case 'kick': {
      const c = convs.get(fold(msg.room ?? ''));
      if (!c) return;
      if (self) {
        removeConv(c.name);
        if (msg.event === 'kick')
          info(
            undefined,
            tr('info.kick', { nick: msg.nick, room: c.name, by: msg.by ?? '', reason: msg.reason ?? '' }),
            true,
          );
        return;
      }
      c.members.delete(fold(msg.nick));
      info(
        c,
        msg.event === 'kick'
          ? tr('info.kick', { nick: msg.nick, room: c.name, by: msg.by ?? '', reason: msg.reason ?? '' })
          : tr('info.part', { nick: msg.nick, room: c.name }),
      );
      break;
    }
    case 'quit':
      for (const c of convs.values()) {
        if (c.members.delete(fold(msg.nick))) info(c, tr('info.quit', { nick: msg.nick, reason: msg.reason ?? '' }));
      }
      break;
    case 'nick': {
      const old = msg.old ?? '';
      if (fold(old) === fold(me)) {
        me = msg.nick;
        setStatus(tr('status.online', { nick: me }), true);
      }
      for (const c of convs.values()) {
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

// ---- input -----------------------------------------------------------------------------------------

function activeConv(): Conv | undefined {
  return active ? convs.get(active) : undefined;
}

function runCommand(line: string): void {
  const [rawCmd = '', ...args] = line.slice(1).split(' ');
  const cmd = rawCmd.toLowerCase();
  const rest = line.slice(1 + rawCmd.length).trim();
  const c = activeConv();
  const usage = (u: string) => info(undefined, tr('error.usage', { usage: u }), true);
  switch (cmd) {
    case 'join':
    case 'j': {
      if (!args[0]) return usage('/join #room [key]');
      const room = args[0].startsWith('#') ? args[0] : `#${args[0]}`;
      const known = convs.get(fold(room));
      if (known?.kind === 'room') return activate(known.name);
      switchTo.add(fold(room));
      send({ type: 'join', room, ...(args[1] ? { key: args[1] } : {}) });
      return;
    }
    case 'part':
    case 'leave':
      if (!c) return info(undefined, tr('error.notInRoom'), true);
      if (c.kind === 'private') removeConv(c.name);
      else send({ type: 'part', room: c.name, reason: rest });
      return;
    case 'nick':
      if (!args[0]) return usage('/nick NAME');
      send({ type: 'nick', nick: args[0] });
      return;
    case 'msg':
    case 'query': {
      const target = args[0];
      const text = args.slice(1).join(' ');
      if (!target || (cmd === 'msg' && !text)) return usage(cmd === 'msg' ? '/msg NICK TEXT' : '/query NICK');
      if (!target.startsWith('#')) activate(conv(target, 'private').name);
      if (text) send({ type: 'message', target, text, ref: ++refSeq });
      return;
    }
    case 'me':
      if (!c) return info(undefined, tr('error.notInRoom'), true);
      if (!rest) return usage('/me ACTION');
      send({ type: 'message', target: c.name, text: rest, kind: 'action', ref: ++refSeq });
      return;
    case 'topic':
      if (!c || c.kind !== 'room') return info(undefined, tr('error.notInRoom'), true);
      if (!rest) info(c, c.topic ? tr('info.topic', { topic: c.topic }) : tr('info.noTopic'));
      else send({ type: 'topic', room: c.name, text: rest });
      return;
    case 'rooms':
    case 'list':
      send({ type: 'rooms' });
      return;
    case 'who':
    case 'names':
      if (!c || c.kind !== 'room') return info(undefined, tr('error.notInRoom'), true);
      info(
        c,
        tr('info.who', {
          room: c.name,
          count: c.members.size,
          nicks: [...c.members.values()].map((m) => m.nick).join(' '),
        }),
      );
      return;
    case 'history': {
      if (!c || c.kind !== 'room') return info(undefined, tr('error.notInRoom'), true);
      const n = rest === '' ? PAGE : Number(rest);
      if (!Number.isInteger(n) || n <= 0) return usage('/history [N]');
      loadOlder(c, Math.min(n, 200));
      return;
    }
    case 'lang': {
      if (!/^(en|pt)/i.test(rest)) return usage('/lang en|pt-BR');
      setLang(pickLang([rest]));
      send({ type: 'lang', lang });
      info(undefined, tr('info.lang'));
      return;
    }
    case 'quit':
      intentionalClose = true;
      send({ type: 'quit', reason: rest });
      sessionStorage.removeItem(STORE_KEY);
      return;
    case 'help':
      info(undefined, tr('info.help'));
      return;
    default:
      info(undefined, tr('error.unknownCommand', { command: cmd }), true);
  }
}

el.sendForm.addEventListener('submit', (ev) => {
  ev.preventDefault();
  const line = el.input.value;
  if (line.trim() === '') return;
  el.input.value = '';
  if (line.startsWith('/') && !line.startsWith('//')) {
    runCommand(line);
    return;
  }
  const c = activeConv();
  if (!c) {
    info(undefined, tr('error.notInRoom'), true);
    return;
  }
  send({ type: 'message', target: c.name, text: line.startsWith('//') ? line.slice(1) : line, ref: ++refSeq });
});

el.loginForm.addEventListener('submit', (ev) => {
  ev.preventDefault();
  const nick = el.nick.value.trim();
  el.loginError.textContent = tr('login.connecting');
  token = undefined;
  me = '';
  connect(nick);
});

function setLang(next: Lang): void {
  lang = next;
  localStorage.setItem('tomada.lang', lang);
  applyLang();
}

el.loginLang.addEventListener('change', () => setLang(pickLang([el.loginLang.value])));

/** Asks for the page of history before the oldest message shown. */
function loadOlder(c: Conv, limit = PAGE): void {
  const oldest = c.messages[0]?.id;
  if (!oldest || !c.more || c.loadingOlder) return;
  c.loadingOlder = true;
  send({ type: 'history', room: c.name, before: oldest, limit });
}

/**
 * Older history when the person scrolls to the top, or when what is shown does not fill the view
 * (there is then nothing to scroll).
 */
function loadOlderIfRoom(): void {
  const c = activeConv();
  if (!c || c.kind !== 'room') return;
  if (el.messages.scrollTop <= 40 || el.messages.scrollHeight <= el.messages.clientHeight) loadOlder(c);
}

el.messages.addEventListener('scroll', loadOlderIfRoom);

el.toggleRooms.addEventListener('click', () => document.body.classList.toggle('show-rooms'));
el.toggleMembers.addEventListener('click', () => document.body.classList.toggle('show-members'));

// ---- start -----------------------------------------------------------------------------------------

applyLang();
const saved = load();
if (saved?.nick) {
  // A reload: show what was there, then resume.
  token = saved.token;
  me = saved.nick;
  for (const s of saved.convs) {
    const c = conv(s.name, s.kind);
    addMessages(c, s.messages);
    c.more = s.more;
  }
  active = saved.active && convs.has(saved.active) ? saved.active : convs.keys().next().value;
  el.login.hidden = true;
  el.chat.hidden = false;
  renderAll();
  connect(saved.nick);
} else {
  el.nick.focus();
}
