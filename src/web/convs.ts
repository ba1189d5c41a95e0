/** The conversations (rooms and private talks): creating, filling, switching, and paging back. */
import type { WireMessage } from '../protocols/web/json-protocol.js';
import { send } from './connection.js';
import { stopTyping } from './gestures.js';
import { appendLive } from './outgoing.js';
import { infoItem, renderAll, renderRoomList, scrollToEnd } from './render.js';
import { activeConv, el, fold, PAGE, state, type Conv } from './state.js';
import { save } from './storage.js';

/** The conversation of that name, created (and listed) if new. */
export function conv(name: string, kind: Conv['kind']): Conv {
  const key = fold(name);
  let c = state.convs.get(key);
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
      // What was said before any conversation existed (a nick-protection warning) opens the first one.
      infos: state.unplaced.splice(0).map((i) => ({ after: '', ...i })),
      typing: new Map(),
      reactions: new Map(),
    };
    state.convs.set(key, c);
    renderRoomList();
  }
  return c;
}

export function lastId(c: Conv): string | undefined {
  return c.messages.at(-1)?.id;
}

/** Adds messages (any order, duplicates skipped); returns those that were new. */
export function addMessages(c: Conv, list: WireMessage[]): WireMessage[] {
  const fresh = list.filter((m) => !c.ids.has(m.id));
  if (fresh.length === 0) return fresh;
  for (const m of fresh) {
    c.ids.add(m.id);
    for (const r of m.reactions ?? []) addReaction(c, m.id, r.nick, r.emoji);
  }
  c.messages.push(...fresh);
  c.messages.sort((a, b) => Number(a.id) - Number(b.id));
  return fresh;
}

/**
 * Counts `nick`'s `emoji` on the message `msgid` (once per person and emoji), and keeps it on the
 * message too, so a reload (which shows the saved messages) shows it again. Whether it was new.
 */
export function addReaction(c: Conv, msgid: string, nick: string, emoji: string): boolean {
  let byEmoji = c.reactions.get(msgid);
  if (!byEmoji) c.reactions.set(msgid, (byEmoji = new Map<string, Map<string, string>>()));
  let who = byEmoji.get(emoji);
  if (!who) byEmoji.set(emoji, (who = new Map<string, string>()));
  if (who.has(fold(nick))) return false;
  who.set(fold(nick), nick);
  const m = c.messages.find((x) => x.id === msgid);
  if (m && !m.reactions?.some((r) => r.emoji === emoji && fold(r.nick) === fold(nick)))
    (m.reactions ??= []).push({ nick, emoji });
  return true;
}

export function convOf(m: WireMessage): Conv {
  if (!m.private) return conv(m.target, 'room');
  const other = fold(m.from) === fold(state.me) ? m.target : m.from;
  return conv(other, 'private');
}

/** A line that is not a message, in `c` or else the conversation shown (or the login form). */
export function info(c: Conv | undefined, text: string, error = false): void {
  const target = c ?? activeConv();
  if (!target) {
    if (!state.welcomed) el.loginError.textContent = text;
    else if (state.unplaced.push({ text, error }) > 50) state.unplaced.shift();
    return;
  }
  const entry = { after: lastId(target) ?? '', text, error };
  target.infos.push(entry);
  if (target.infos.length > 200) target.infos.shift();
  if (fold(target.name) === state.active) {
    appendLive(infoItem(entry));
    scrollToEnd();
  }
}

export function activate(name: string): void {
  // The conversation left has been read: its divider goes.
  const left = activeConv();
  if (left && fold(name) !== state.active) {
    left.firstUnread = undefined;
    stopTyping();
  }
  state.active = fold(name);
  const c = state.convs.get(state.active);
  if (c) c.unread = 0;
  if (c) markRead(c);
  document.body.classList.remove('show-rooms', 'show-members');
  renderAll();
  save();
  el.input.focus();
  loadOlderIfRoom();
}

export function removeConv(name: string): void {
  state.convs.delete(fold(name));
  if (state.active === fold(name)) state.active = state.convs.keys().next().value;
  renderAll();
  save();
}

/** Asks for the page of history before the oldest message shown. */
export function loadOlder(c: Conv, limit = PAGE): void {
  const oldest = c.messages[0]?.id;
  if (!oldest || !c.more || c.loadingOlder) return;
  c.loadingOlder = true;
  send({ type: 'history', room: c.name, before: oldest, limit });
}

/**
 * Older history when the person scrolls to the top, or when what is shown does not fill the view
 * (there is then nothing to scroll).
 */
export function loadOlderIfRoom(): void {
  const c = activeConv();
  if (!c || c.kind !== 'room') return;
  if (el.messages.scrollTop <= 40 || el.messages.scrollHeight <= el.messages.clientHeight) loadOlder(c);
}

const MARK_DELAY_MS = 1000;
const marking = new Map<Conv, ReturnType<typeof setTimeout>>();

/**
 * The conversation is read up to its last message: the server keeps the marker (for every device of the
 * account). Sent at most once a second per conversation, whatever arrives meanwhile.
 */
export function markRead(c: Conv): void {
  const last = c.messages.at(-1);
  if (!last || document.hidden || (c.read ?? 0) >= last.time) return;
  c.read = last.time;
  if (marking.has(c)) return;
  marking.set(
    c,
    setTimeout(() => {
      marking.delete(c);
      if (c.read !== undefined) send({ type: 'markread', target: c.name, time: c.read });
    }, MARK_DELAY_MS),
  );
}
