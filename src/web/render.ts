/** Drawing the page from the state. Every text from the network goes in with `textContent`, never as HTML. */
import type { WireMessage } from '../protocols/web/json-protocol.js';
import type { Key } from './i18n.js';
import { activate, conv } from './convs.js';
import { activeConv, el, fold, state, tr } from './state.js';

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

export function messageItem(m: WireMessage): HTMLLIElement {
  const li = document.createElement('li');
  li.className = `msg ${m.kind}`;
  li.dataset.id = m.id;
  if (fold(m.from) === fold(state.me)) li.classList.add('own');
  const time = document.createElement('time');
  time.dateTime = new Date(m.time).toISOString();
  time.title = new Date(m.time).toLocaleString(state.lang);
  time.textContent = hhmm(m.time);
  const nick = span('nick', m.kind === 'action' ? `* ${m.from}` : m.from);
  nick.style.color = nickColour(m.from);
  li.append(time, nick, span('text', m.text));
  return li;
}

export function infoItem(entry: { text: string; error: boolean }): HTMLLIElement {
  const li = document.createElement('li');
  li.className = entry.error ? 'info error' : 'info';
  li.textContent = entry.text;
  return li;
}

export function scrollToEnd(): void {
  el.messages.scrollTop = el.messages.scrollHeight;
}

export function renderMessages(keepBottomOffset = false): void {
  const c = activeConv();
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

export function renderRoomList(): void {
  el.roomList.replaceChildren();
  const sorted = [...state.convs.values()].sort((a, b) =>
    a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'room' ? -1 : 1,
  );
  for (const c of sorted) {
    const li = document.createElement('li');
    const b = document.createElement('button');
    b.type = 'button';
    b.className = c.kind;
    if (fold(c.name) === state.active) b.setAttribute('aria-current', 'true');
    b.append(span('name', c.name));
    if (c.unread > 0) b.append(span('unread', String(c.unread)));
    b.addEventListener('click', () => activate(c.name));
    li.append(b);
    el.roomList.append(li);
  }
}

export function renderMembers(): void {
  const c = activeConv();
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
      if (fold(m.nick) !== fold(state.me)) activate(conv(m.nick, 'private').name);
    });
    el.memberList.append(li);
  }
}

export function renderHeader(): void {
  const c = activeConv();
  el.title.textContent = c?.name ?? tr('title');
  el.topic.textContent = c?.topic ?? '';
  el.input.placeholder = tr('chat.placeholder', { target: c?.name ?? '' });
}

export function renderAll(): void {
  renderHeader();
  renderRoomList();
  renderMembers();
  renderMessages();
}

export function setStatus(text: string, online: boolean): void {
  el.status.textContent = text;
  el.status.classList.toggle('offline', !online);
}

export function applyLang(): void {
  document.documentElement.lang = state.lang;
  document.title = tr('title');
  for (const node of document.querySelectorAll<HTMLElement>('[data-t]')) node.textContent = tr(node.dataset.t as Key);
  for (const node of document.querySelectorAll<HTMLElement>('[data-t-label]'))
    node.setAttribute('aria-label', tr(node.dataset.tLabel as Key));
  el.loginLang.value = state.lang;
  if (state.welcomed) renderAll();
}
