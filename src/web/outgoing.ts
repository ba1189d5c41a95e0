/**
 * What the person sent, until the server confirms it: nothing typed is lost to a dropped connection.
 *
 * Each message gets a client idempotency key (also its `ref`). It is shown at the end of its
 * conversation as pending until the server's answer (the sender's own `message`, same `ref`) replaces
 * it with the real message. Typed while the connection is down, it waits and is sent on the next
 * `welcome`; sent on a socket that died before the answer came, it is sent again with the same key, and
 * the server answers with the original instead of storing it twice (src/protocols/web/idempotency.ts).
 * Refused by the server (no such nick, cannot send…), or sent too long ago for the server to still
 * know its key, it is marked failed with Retry and Discard buttons. Kept in sessionStorage with the
 * rest, so a reload does not lose it either.
 */
import { renderConn } from './banner.js';
import { el, fold, state, tr, type Outgoing } from './state.js';
import { save } from './storage.js';

/** The server remembers a key this long (IDEMPOTENCY_TTL_MS); a resend after that could be a second copy. */
const SERVER_KEY_TTL_MS = 10 * 60_000;

/** Redraws what depends on the outgoing lines and saves them. */
function changed(): void {
  renderOutgoing();
  renderConn();
  save();
}

function newKey(): string {
  const b = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/** Queues a text for `target`, shown in the conversation `shownIn` (folded), and sends it if it can. */
export function queueText(
  target: string,
  text: string,
  kind: 'action' | undefined,
  shownIn: string,
  reply?: string,
): Outgoing {
  const o: Outgoing = { key: newKey(), target, text, time: Date.now(), conv: shownIn, status: 'pending', sent: 0 };
  if (kind) o.kind = kind;
  if (reply) o.reply = reply;
  state.outgoing.push(o);
  transmit(o);
  changed();
  return o;
}

function transmit(o: Outgoing): void {
  const ws = state.ws;
  if (!ws || ws.readyState !== WebSocket.OPEN || !state.socketWelcomed || o.status !== 'pending') return;
  ws.send(
    JSON.stringify({
      type: 'message',
      target: o.target,
      text: o.text,
      key: o.key,
      ref: o.key,
      ...(o.kind ? { kind: o.kind } : {}),
      ...(o.reply ? { reply: o.reply } : {}),
    }),
  );
  o.sent ||= Date.now();
  o.sentOn = ws;
}

/** On a new `welcome`: sends what waits, in order (what an earlier socket may have delivered, with its key). */
export function flushOutgoing(): void {
  for (const o of state.outgoing) {
    if (o.status !== 'pending' || o.sentOn === state.ws) continue;
    if (o.sent && Date.now() - o.sent > SERVER_KEY_TTL_MS) {
      o.status = 'failed';
      o.error = tr('out.maybeSent');
      continue;
    }
    transmit(o);
  }
  changed();
}

const byRef = (ref: unknown) => (typeof ref === 'string' ? state.outgoing.find((o) => o.key === ref) : undefined);

/** The server's answer to one of ours: its pending line goes (the message takes its place). */
export function confirmOutgoing(ref: unknown): Outgoing | undefined {
  const o = byRef(ref);
  if (!o) return undefined;
  state.outgoing.splice(state.outgoing.indexOf(o), 1);
  changed();
  return o;
}

/** The server refused one of ours: it stays, marked failed with the reason. True when it was ours. */
export function refuseOutgoing(ref: unknown, reason: string): boolean {
  const o = byRef(ref);
  if (!o) return false;
  o.status = 'failed';
  o.error = reason;
  changed();
  return true;
}

export function retryOutgoing(key: string): void {
  const o = byRef(key);
  if (!o) return;
  o.status = 'pending';
  o.error = undefined;
  o.sentOn = undefined;
  // A fresh attempt: the server may have forgotten the key; it is a new message anyway if it never arrived.
  o.sent = 0;
  transmit(o);
  changed();
}

export function discardOutgoing(key: string): void {
  const o = byRef(key);
  if (!o) return;
  state.outgoing.splice(state.outgoing.indexOf(o), 1);
  changed();
}

/** The outgoing lines of one conversation, as list items at the end of its messages. */
export function outgoingItems(convKey: string): HTMLLIElement[] {
  const connected = state.socketWelcomed && state.ws?.readyState === WebSocket.OPEN;
  // (One whose conversation is gone, left or closed since, shows in the conversation shown.)
  return state.outgoing
    .filter((o) => o.conv === convKey || (convKey === state.active && !state.convs.has(o.conv)))
    .map((o) => {
      const li = document.createElement('li');
      li.className = `outgoing ${o.status}${o.kind === 'action' ? ' action' : ''}`;
      li.dataset.key = o.key;
      const nick = document.createElement('span');
      nick.className = 'nick';
      const to = fold(o.target) === convKey ? '' : ` → ${o.target}`;
      nick.textContent = (o.kind === 'action' ? `* ${state.me}` : state.me) + to;
      const text = document.createElement('span');
      text.className = 'text';
      text.textContent = o.text;
      const status = document.createElement('span');
      status.className = 'out-status';
      status.setAttribute('role', 'status');
      status.textContent =
        o.status === 'failed'
          ? tr('out.failed', { reason: o.error ?? '' })
          : connected
            ? tr('out.sending')
            : tr('out.waiting');
      li.append(nick, text, status);
      if (o.status === 'failed') {
        li.append(button(tr('out.retry'), 'retry', () => retryOutgoing(o.key)));
        li.append(button(tr('out.discard'), 'discard', () => discardOutgoing(o.key)));
      }
      return li;
    });
}

function button(label: string, cls: string, onClick: () => void): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = cls;
  b.textContent = label;
  b.addEventListener('click', onClick);
  return b;
}

/** Redraws the outgoing lines of the conversation shown, after its messages. */
export function renderOutgoing(): void {
  for (const li of el.messages.querySelectorAll('li.outgoing')) li.remove();
  if (state.active) el.messages.append(...outgoingItems(state.active));
}

/** Adds live lines (a new message, an info) to the view, before the outgoing lines, which stay last. */
export function appendLive(...nodes: HTMLElement[]): void {
  const first = el.messages.querySelector('li.outgoing');
  if (first) for (const n of nodes) el.messages.insertBefore(n, first);
  else el.messages.append(...nodes);
}
