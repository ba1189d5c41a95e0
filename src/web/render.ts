/** Drawing the page from the state. Every text from the network goes in with `textContent`, never as HTML. */
import type { WireMessage } from '../protocols/web/json-protocol.js';
import type { Key } from './i18n.js';
import { activate, conv } from './convs.js';
import { decorate, renderReplyBar, renderTyping } from './gestures.js';
import { renderConn } from './banner.js';
import { outgoingItems } from './outgoing.js';
import { avatarImg, displayNameSpan, profileOf } from './metadata.js';
import { NICK_COLOURS } from './palette.js';
import { activeConv, el, fold, state, tr } from './state.js';

/** A colour of the palette, so it is readable on both themes (the theme picks its shade of it). */
function nickColour(nick: string): string {
  let h = 0;
  for (const ch of fold(nick)) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return `var(--nick-${h % NICK_COLOURS})`;
}

const LINK = /\b(?:https?:\/\/|ircs?:\/\/|mailto:)[^\s<>"]+/gi;
const SAFE_SCHEMES = new Set(['http:', 'https:', 'mailto:', 'irc:', 'ircs:']);

function safeUrl(url: string): boolean {
  try {
    return SAFE_SCHEMES.has(new URL(url).protocol);
  } catch {
    return false;
  }
}

/** The text with its links as `<a>` (DOM nodes and textContent only: nothing from the text is parsed as HTML). */
function textWithLinks(text: string): HTMLSpanElement {
  const out = span('text', '');
  let last = 0;
  for (const m of text.matchAll(LINK)) {
    // Trailing punctuation ends the sentence, not the link.
    const url = m[0].replace(/[.,;:!?')\]}]+$/, '');
    if (!safeUrl(url)) continue;
    out.append(text.slice(last, m.index));
    const a = document.createElement('a');
    a.href = url;
    a.textContent = url;
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    out.append(a);
    last = m.index + url.length;
  }
  out.append(text.slice(last));
  return out;
}

const NICK_SPLIT = /[^\w[\]\\`^{}|-]+/;

/** Someone else's message naming us as a whole word (names compared folded, as the server does). */
export function mentionsMe(m: WireMessage): boolean {
  if (!state.me || fold(m.from) === fold(state.me)) return false;
  const me = fold(state.me);
  return m.text.split(NICK_SPLIT).some((w) => w !== '' && fold(w) === me);
}

function dayOf(time: number): string {
  return new Date(time).toDateString();
}

export function dayItem(time: number): HTMLLIElement {
  const li = document.createElement('li');
  li.className = 'day';
  li.setAttribute('role', 'separator');
  li.textContent = new Date(time).toLocaleDateString(state.lang, {
    weekday: 'long',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
  });
  return li;
}

export function unreadDivider(): HTMLLIElement {
  const li = document.createElement('li');
  li.className = 'unread-divider';
  li.setAttribute('role', 'separator');
  li.textContent = tr('chat.unreadDivider');
  return li;
}

/** The separators due before `m` when `prev` is the message shown before it. */
export function separatorsBefore(prev: WireMessage | undefined, m: WireMessage, firstUnread?: string): HTMLLIElement[] {
  const out: HTMLLIElement[] = [];
  if (!prev || dayOf(prev.time) !== dayOf(m.time)) out.push(dayItem(m.time));
  if (firstUnread === m.id) out.push(unreadDivider());
  return out;
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

/**
 * The nick with the person's avatar before it and their display name beside it, when they have them (in
 * a message line the name comes first, so the nick's colon still leads into the text).
 */
function person(p: Parameters<typeof avatarImg>[0], nick: HTMLSpanElement, nameFirst = false): HTMLElement[] {
  const avatar = avatarImg(p) ?? [];
  const name = displayNameSpan(p) ?? [];
  return [avatar, ...(nameFirst ? [name, nick] : [nick, name])].flat();
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
  li.append(time, ...person(profileOf(m.from), nick, true), textWithLinks(m.text));
  if (mentionsMe(m)) li.classList.add('mention');
  decorate(li, m);
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
  el.newBelow.hidden = true;
}

/** The view shows the last line (give or take a few pixels): new lines may scroll it. */
export function atBottom(): boolean {
  return el.messages.scrollHeight - el.messages.scrollTop - el.messages.clientHeight < 30;
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
  let prev: WireMessage | undefined;
  for (const m of c.messages) {
    el.messages.append(...separatorsBefore(prev, m, c.firstUnread), messageItem(m));
    prev = m;
    for (const i of infosByAfter.get(m.id) ?? []) el.messages.append(infoItem(i));
  }
  el.messages.append(...outgoingItems(fold(c.name)));
  if (keepBottomOffset) el.messages.scrollTop = el.messages.scrollHeight - fromBottom;
  else {
    const divider = el.messages.querySelector<HTMLElement>('.unread-divider');
    if (divider) divider.scrollIntoView({ block: 'start' });
    else scrollToEnd();
  }
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
  renderTitle();
}

/** The tab's title carries the unread count, so a background tab says there is something to read. */
export function renderTitle(): void {
  let unread = 0;
  for (const c of state.convs.values()) unread += c.unread;
  document.title = unread > 0 ? `(${unread}) ${tr('title')}` : tr('title');
}

/** Online when they are in a room we are in (the server sends no presence for anyone else). */
function presenceOf(nick: string): boolean {
  const key = fold(nick);
  for (const c of state.convs.values()) if (c.kind === 'room' && c.members.has(key)) return true;
  return false;
}

function renderPrivatePeer(name: string): void {
  el.membersTitle.textContent = tr('chat.privateWith', { nick: name });
  const online = presenceOf(name);
  const li = document.createElement('li');
  li.className = online ? 'peer online' : 'peer offline';
  const n = span('nick', name);
  n.style.color = nickColour(name);
  li.append(n, span('door', online ? tr('chat.peerOnline') : tr('chat.peerUnknown')));
  el.memberList.append(li);
}

export function renderMembers(): void {
  const c = activeConv();
  el.memberList.replaceChildren();
  if (c?.kind === 'private') return renderPrivatePeer(c.name);
  const list = c
    ? [...c.members.values()].sort((a, b) => Number(b.op) - Number(a.op) || a.nick.localeCompare(b.nick))
    : [];
  el.membersTitle.textContent = tr('chat.members', { count: list.length });
  for (const m of list) {
    const li = document.createElement('li');
    const n = span('nick', (m.op ? '@' : m.voice ? '+' : '') + m.nick);
    n.style.color = nickColour(m.nick);
    const who = span('who', '');
    who.append(...person(m, n));
    li.append(who, span('door', m.door));
    if (fold(m.nick) !== fold(state.me)) {
      // Opening a private conversation is this visible gesture, never a side effect of /msg.
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'talk';
      b.textContent = tr('chat.talk');
      b.title = tr('chat.talkTo', { nick: m.nick });
      b.addEventListener('click', () => activate(conv(m.nick, 'private').name));
      li.append(b);
    }
    el.memberList.append(li);
  }
}

export function renderHeader(): void {
  const c = activeConv();
  el.title.textContent = c?.name ?? tr('title');
  el.topic.textContent = c?.topic ?? '';
  el.input.placeholder = tr('chat.placeholder', { target: c?.name ?? '' });
  el.leave.hidden = !c;
  el.leave.textContent = c?.kind === 'private' ? tr('chat.close') : tr('chat.leave');
}

export function renderAll(): void {
  renderHeader();
  renderTyping();
  renderReplyBar();
  renderRoomList();
  renderMembers();
  renderMessages();
}

/** The account's places: the sign-in form or "signed in as", and the chat's account menu. */
export function renderAccount(): void {
  const name = state.account;
  el.accountForm.hidden = name !== undefined;
  el.signedIn.hidden = name === undefined;
  el.accountButton.hidden = name === undefined;
  if (name === undefined) el.accountPanel.hidden = true;
  el.signedInText.textContent = name === undefined ? '' : tr('account.signedIn', { name });
  el.accountWho.textContent = el.signedInText.textContent;
  el.accountButton.textContent = name === undefined ? '' : tr('account.menu', { name });
}

export function applyLang(): void {
  document.documentElement.lang = state.lang;
  document.title = tr('title');
  for (const node of document.querySelectorAll<HTMLElement>('[data-t]')) node.textContent = tr(node.dataset.t as Key);
  for (const node of document.querySelectorAll<HTMLElement>('[data-t-label]'))
    node.setAttribute('aria-label', tr(node.dataset.tLabel as Key));
  el.loginLang.value = state.lang;
  renderAccount();
  renderConn();
  if (state.welcomed) renderAll();
}
