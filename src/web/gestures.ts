/**
 * Typing, reactions and replies: the same events as IRC's `+typing`, `+draft/react` and `+draft/reply`
 * (the server translates; src/protocols/web/json-protocol.ts). All relayed live, none kept in history.
 *
 * - Typing: sent at most every {@link TYPING_EVERY_MS} while the input has text, `done` when it is sent
 *   or cleared; someone else's typing shows under the conversation for at most {@link TYPING_SHOWN_MS}
 *   unless refreshed.
 * - Reactions: counted under the message they are for, once the server has them (our own come back);
 *   a click on one adds ours, the ☺ button offers a few.
 * - Replies: the Reply button of a message quotes it above the input; the message sent carries its id,
 *   and shows the quoted message (with a link to it when it is loaded).
 *
 * Every text goes in with textContent: nothing from the network is parsed as HTML.
 */
import type { ServerMessage, WireMessage } from '../protocols/web/json-protocol.js';
import { send } from './connection.js';
import { addReaction } from './convs.js';
import { deleteClicked, mayDelete } from './search.js';
import { save } from './storage.js';
import { activeConv, el, fold, state, tr, type Conv } from './state.js';

type Of<T extends ServerMessage['type']> = Extract<ServerMessage, { type: T }>;

export const TYPING_EVERY_MS = 3000;
export const TYPING_SHOWN_MS = 6000;
/** The `ref` of typing notices: an error to one (the peer left) is not worth a line. */
export const TYPING_REF = 'typing';
/** The reactions the ☺ button offers. */
const PICKS = ['👍', '❤️', '😂', '😮', '😢', '🎉'];

/** The conversation a typing notice or reaction belongs to (as for a message: the peer, or the room). */
function convFor(m: { from: string; target: string; private: boolean }): Conv | undefined {
  if (!m.private) return state.convs.get(fold(m.target));
  return state.convs.get(fold(fold(m.from) === fold(state.me) ? m.target : m.from));
}

// ---- typing --------------------------------------------------------------------------------------

let typingTimer: number | undefined;

/** After each change of the input: `active` (throttled) while there is text to send, `done` when cleared. */
export function inputChanged(): void {
  const c = activeConv();
  const v = el.input.value;
  if (!c || v.trim() === '' || (v.startsWith('/') && !v.startsWith('//'))) return stopTyping();
  const sent = state.typingSent;
  if (sent && fold(sent.target) !== fold(c.name)) stopTyping();
  const now = Date.now();
  if (state.typingSent && now - state.typingSent.at < TYPING_EVERY_MS) return;
  send({ type: 'typing', ref: TYPING_REF, target: c.name, state: 'active' });
  state.typingSent = { target: c.name, at: now };
}

/** Says `done` if we said we were typing (on send, on clearing the input, on leaving the conversation). */
export function stopTyping(): void {
  const sent = state.typingSent;
  if (!sent) return;
  state.typingSent = undefined;
  send({ type: 'typing', ref: TYPING_REF, target: sent.target, state: 'done' });
}

export function onTyping(msg: Of<'typing'>): void {
  const c = convFor(msg);
  if (!c || fold(msg.from) === fold(state.me)) return;
  if (msg.state === 'active') c.typing.set(fold(msg.from), { nick: msg.from, until: Date.now() + TYPING_SHOWN_MS });
  else c.typing.delete(fold(msg.from));
  renderTyping();
}

/** A message from someone ends their typing there. */
export function messageArrived(c: Conv, m: WireMessage): void {
  if (c.typing.delete(fold(m.from))) renderTyping();
}

/** "ana is typing…" under the conversation shown; redrawn when the next notice expires. */
export function renderTyping(): void {
  clearTimeout(typingTimer);
  const c = activeConv();
  const now = Date.now();
  const nicks: string[] = [];
  let next = Infinity;
  if (c) {
    for (const [key, t] of c.typing) {
      if (t.until <= now) c.typing.delete(key);
      else {
        nicks.push(t.nick);
        next = Math.min(next, t.until);
      }
    }
  }
  nicks.sort((a, b) => a.localeCompare(b));
  el.typing.textContent =
    nicks.length === 0
      ? ''
      : nicks.length === 1
        ? tr('typing.one', { nick: nicks[0]! })
        : nicks.length === 2
          ? tr('typing.two', { a: nicks[0]!, b: nicks[1]! })
          : tr('typing.many', { count: nicks.length });
  if (next !== Infinity) typingTimer = window.setTimeout(renderTyping, next - now + 50);
}

// ---- reactions -----------------------------------------------------------------------------------

export function onReact(msg: Of<'react'>): void {
  const c = convFor(msg);
  if (!c) return;
  addReaction(c, msg.msgid, msg.from, msg.emoji);
  save();
  if (c === activeConv()) {
    const li = el.messages.querySelector<HTMLLIElement>(`li.msg[data-id="${msg.msgid}"]`);
    li?.querySelector('.reactions')?.replaceWith(reactionsRow(c, msg.msgid));
  }
}

function react(c: Conv, msgid: string, emoji: string): void {
  send({ type: 'react', ref: `react:${msgid}`, target: c.name, msgid, emoji });
}

/** The reactions under a message: one button per emoji with its count (a click adds ours). */
function reactionsRow(c: Conv, msgid: string): HTMLSpanElement {
  const row = document.createElement('span');
  row.className = 'reactions';
  for (const [emoji, who] of c.reactions.get(msgid) ?? []) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = who.has(fold(state.me)) ? 'reaction mine' : 'reaction';
    b.dataset.emoji = emoji;
    b.textContent = `${emoji} ${who.size}`;
    b.title = tr('react.who', { nicks: [...who.values()].join(', '), emoji });
    b.setAttribute('aria-pressed', String(who.has(fold(state.me))));
    b.addEventListener('click', () => {
      if (!who.has(fold(state.me))) react(c, msgid, emoji);
    });
    row.append(b);
  }
  return row;
}

// ---- replies -------------------------------------------------------------------------------------

/** Starts a reply to `m`: quoted above the input until sent or cancelled. */
function replyTo(c: Conv, m: WireMessage): void {
  state.replyTo = { id: m.id, from: m.from, text: m.text, conv: fold(c.name) };
  renderReplyBar();
  el.input.focus();
}

export function cancelReply(): void {
  state.replyTo = undefined;
  renderReplyBar();
}

/** The id to send with the next message typed in the conversation shown, if a reply is started there. */
export function replyFor(convKey: string | undefined): string | undefined {
  return state.replyTo && state.replyTo.conv === convKey ? state.replyTo.id : undefined;
}

export function renderReplyBar(): void {
  const r = state.replyTo;
  const shown = r !== undefined && r.conv === state.active;
  el.replyBar.hidden = !shown;
  el.replyText.textContent = shown ? tr('reply.to', { nick: r.from, text: excerpt(r.text) }) : '';
}

function excerpt(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

/** The quoted message above a reply: a link to the original when it is loaded. */
function quote(c: Conv, id: string): HTMLElement {
  const q = document.createElement('span');
  q.className = 'quote';
  const original = c.messages.find((x) => x.id === id);
  if (!original) {
    q.textContent = tr('reply.notLoaded');
    return q;
  }
  const a = document.createElement('a');
  a.href = `#msg-${id}`;
  a.textContent = tr('reply.quote', { nick: original.from, text: excerpt(original.text) });
  a.addEventListener('click', (ev) => {
    ev.preventDefault();
    const li = el.messages.querySelector<HTMLElement>(`li.msg[data-id="${id}"]`);
    if (!li) return;
    li.scrollIntoView({ block: 'center' });
    li.classList.add('flash');
    window.setTimeout(() => li.classList.remove('flash'), 1500);
  });
  q.append('↪ ', a);
  return q;
}

// ---- on each message -----------------------------------------------------------------------------

function button(cls: string, label: string, text: string, onClick: () => void): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = cls;
  b.textContent = text;
  b.title = label;
  b.setAttribute('aria-label', label);
  b.addEventListener('click', onClick);
  return b;
}

/** Adds to a message's line its quote (a reply), its reactions and its Reply and ☺ buttons. */
export function decorate(li: HTMLLIElement, m: WireMessage): void {
  const c = activeConv();
  if (!c) return;
  li.id = `msg-${m.id}`;
  if (m.reply) li.querySelector('.text')?.before(quote(c, m.reply));
  const picker = document.createElement('span');
  picker.className = 'picker';
  picker.hidden = true;
  for (const e of PICKS)
    picker.append(
      button('pick', tr('react.with', { emoji: e }), e, () => {
        picker.hidden = true;
        react(c, m.id, e);
      }),
    );
  const actions = document.createElement('span');
  actions.className = 'actions';
  actions.append(
    button('reply', tr('reply.button'), tr('reply.button'), () => replyTo(c, m)),
    button('react-add', tr('react.add'), '☺', () => (picker.hidden = !picker.hidden)),
    picker,
  );
  if (mayDelete(c, m)) {
    const del: HTMLButtonElement = button('delete', tr('delete.button'), tr('delete.button'), () =>
      deleteClicked(c, m, del),
    );
    actions.append(del);
  }
  li.append(reactionsRow(c, m.id), actions);
}
