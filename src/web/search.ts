/**
 * Search and deletion in the page: the search box (server-side full-text search of the rooms one is
 * in), its results, each opening the message in its context (the history `around` it), and the
 * `redact` of a message (one's own, or any as a room operator) taken off every reader's screen.
 */
import type { ServerMessage, WireMessage } from '../protocols/web/json-protocol.js';
import { send } from './connection.js';
import { activate, addMessages, info, lastId } from './convs.js';
import { cancelReply } from './gestures.js';
import { renderMessages } from './render.js';
import { el, fold, state, tr, type Conv } from './state.js';
import { save } from './storage.js';

type Of<T extends ServerMessage['type']> = Extract<ServerMessage, { type: T }>;

export const SEARCH_REF = 'search';

/** The search box was submitted: asks the server (an empty box hides the results). */
export function submitSearch(): void {
  const text = el.searchInput.value.trim();
  if (text === '') {
    el.searchResults.hidden = true;
    return;
  }
  send({ type: 'search', ref: SEARCH_REF, text });
}

/** The results: the newest first, each a button that opens the message where it was said. */
export function onSearch(msg: Of<'search'>): void {
  el.searchResults.replaceChildren();
  el.searchResults.hidden = false;
  const head = document.createElement('li');
  head.className = 'search-head';
  head.textContent =
    msg.messages.length === 0
      ? tr('search.none', { text: msg.text })
      : tr('search.count', { count: msg.messages.length });
  el.searchResults.append(head);
  for (const m of [...msg.messages].reverse()) {
    const li = document.createElement('li');
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'hit';
    b.dataset.id = m.id;
    const where = document.createElement('span');
    where.className = 'where';
    where.textContent = `${m.target} · ${new Date(m.time).toLocaleString(state.lang)} · ${m.from}`;
    const text = document.createElement('span');
    text.className = 'hit-text';
    text.textContent = m.text;
    b.append(where, text);
    b.addEventListener('click', () => jumpTo(m));
    li.append(b);
    el.searchResults.append(li);
  }
}

/** Shows a message in its conversation: at once when it is loaded, else after the history around it. */
function jumpTo(m: WireMessage): void {
  const c = state.convs.get(fold(m.target));
  if (!c) return;
  state.focus = m.id;
  activate(c.name);
  if (c.ids.has(m.id)) focusMessage();
  else send({ type: 'history', room: c.name, around: m.id, limit: 50 });
}

/**
 * Scrolls the focused message (a search result) into view and makes it flash; `keep` while more pages
 * are on their way (each is drawn again, the result kept in view).
 */
export function focusMessage(keep = false): void {
  const li = state.focus ? el.messages.querySelector<HTMLElement>(`li.msg[data-id="${state.focus}"]`) : null;
  if (!keep) state.focus = undefined;
  if (!li) return;
  li.scrollIntoView({ block: 'center' });
  li.classList.add('flash');
  window.setTimeout(() => li.classList.remove('flash'), 2000);
}

/**
 * The page around a search result. When it does not reach what is shown, it takes its place (the
 * conversation is one run of messages, no holes) and the page asks for what follows it up to the
 * present, page by page (see onHistory).
 */
export function onAround(c: Conv, msg: Of<'history'>): void {
  const first = c.messages[0];
  const last = msg.messages.at(-1);
  const joins = first !== undefined && last !== undefined && Number(last.id) >= Number(first.id);
  if (!joins) {
    c.messages = [];
    c.ids.clear();
    c.firstUnread = undefined;
  }
  addMessages(c, msg.messages);
  c.more = msg.more;
  c.loadingOlder = false;
  if (!joins) send({ type: 'history', room: c.name, after: lastId(c), limit: 200 });
  if (fold(c.name) === state.active) {
    renderMessages(true);
    focusMessage(!joins);
  }
  save();
}

/** A message deleted: off the conversation, with a line saying who deleted it. */
export function onRedact(msg: Of<'redact'>): void {
  const c = state.convs.get(fold(msg.room));
  if (!c) return;
  const at = c.messages.findIndex((m) => m.id === msg.msgid);
  if (at >= 0) {
    c.messages.splice(at, 1);
    // What was placed by it stays where it was: lines after it follow the one before, the divider the next.
    const before = at > 0 ? c.messages[at - 1]!.id : '';
    for (const i of c.infos) if (i.after === msg.msgid) i.after = before;
    if (c.firstUnread === msg.msgid) c.firstUnread = c.messages[at]?.id;
  }
  c.reactions.delete(msg.msgid);
  if (state.replyTo?.id === msg.msgid) cancelReply();
  const p = { nick: msg.by, reason: msg.reason ?? '' };
  info(c, msg.reason ? tr('info.redactedWhy', p) : tr('info.redacted', p));
  if (fold(c.name) === state.active) renderMessages(true);
  save();
}

/** Whether we may delete `m` in `c`: our own message, or any as an operator of the room. */
export function mayDelete(c: Conv, m: WireMessage): boolean {
  if (c.kind !== 'room') return false;
  return fold(m.from) === fold(state.me) || c.members.get(fold(state.me))?.op === true;
}

/** The delete button's gesture: a first click asks, a second one deletes. */
export function deleteClicked(c: Conv, m: WireMessage, b: HTMLButtonElement): void {
  if (!b.classList.contains('confirm')) {
    b.classList.add('confirm');
    b.textContent = b.title = tr('delete.confirm');
    b.setAttribute('aria-label', b.title);
    return;
  }
  send({ type: 'redact', ref: `redact:${m.id}`, target: c.name, msgid: m.id });
}
