/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// (The two lines above keep the root `tsc -p .` green while src/web is in its include; src/web/tsconfig.json is the real setting.)
/**
 * The web client: no framework, the DOM and one WebSocket speaking the JSON protocol of
 * src/protocols/web/json-protocol.ts (its types imported from there; esbuild drops type-only imports).
 * This file only wires the page's events to the modules and starts:
 * state.ts (the one state object), storage.ts (sessionStorage), convs.ts (conversations),
 * render.ts (the DOM), connection.ts (socket, reconnect), messages.ts (server messages),
 * commands.ts (the /commands), account.ts (sign in, register, sign out, change password).
 *
 * Nothing typed is lost: outgoing.ts keeps each message until the server confirms it (idempotency keys),
 * and banner.ts says plainly whether the page is connected.
 *
 * Resuming: the page keeps (in sessionStorage) its nickname, resume token, conversations and the id of
 * the last message seen in each room. After a drop or a reload it says hello with the token and joins
 * each room asking for the messages *after* that id, so nothing is lost and nothing shown twice (ids
 * already shown are skipped as well).
 */
import { leave, runCommand, sendText, setLang } from './commands.js';
import { refreshAccount } from './account.js';
import { connect, enter, reconnectNow, send } from './connection.js';
import { addMessages, conv, info, loadOlderIfRoom, markRead } from './convs.js';
import { cancelReply, inputChanged, replyFor, stopTyping } from './gestures.js';
import { pickLang } from './i18n.js';
import { applyLang, atBottom, renderAll, renderRoomList, scrollToEnd } from './render.js';
import { activeConv, el, state, tr } from './state.js';
import { submitSearch } from './search.js';
import { load, loadUnread, save } from './storage.js';

el.sendForm.addEventListener('submit', (ev) => {
  ev.preventDefault();
  const line = el.input.value;
  if (line.trim() === '') return;
  el.input.value = '';
  if (line.startsWith('/') && !line.startsWith('//')) {
    // A refused text stays in the input, to be shortened.
    if (runCommand(line) === false) el.input.value = line;
    return;
  }
  const c = activeConv();
  if (!c) {
    info(undefined, tr('error.notInRoom'), true);
    return;
  }
  const text = line.startsWith('//') ? line.slice(1) : line;
  stopTyping();
  if (!sendText(c.name, text, undefined, replyFor(state.active))) el.input.value = line;
  else cancelReply();
});
el.input.addEventListener('input', inputChanged);
el.replyCancel.addEventListener('click', cancelReply);

el.loginForm.addEventListener('submit', (ev) => {
  ev.preventDefault();
  enter(el.nick.value.trim());
});

el.loginLang.addEventListener('change', () => setLang(pickLang([el.loginLang.value])));
el.messages.addEventListener('scroll', () => {
  if (atBottom()) {
    el.newBelow.hidden = true;
    const c = activeConv();
    if (c) markRead(c);
  }
  loadOlderIfRoom();
});
el.newBelow.addEventListener('click', scrollToEnd);
el.connNow.addEventListener('click', reconnectNow);
el.leave.addEventListener('click', () => leave());
el.browseRooms.addEventListener('click', () => {
  state.browsing = true;
  send({ type: 'rooms' });
});
document.addEventListener('visibilitychange', () => {
  // Back on the tab: what the shown conversation got meanwhile is now read.
  const c = activeConv();
  if (!document.hidden && c) markRead(c);
  if (document.hidden || !c || c.unread === 0) return;
  c.unread = 0;
  renderRoomList();
  save();
});
el.searchForm.addEventListener('submit', (ev) => {
  ev.preventDefault();
  submitSearch();
});
el.toggleRooms.addEventListener('click', () => document.body.classList.toggle('show-rooms'));
el.toggleMembers.addEventListener('click', () => document.body.classList.toggle('show-members'));

// ---- start -----------------------------------------------------------------------------------------

applyLang();
void refreshAccount();
const saved = load();
if (saved?.nick) {
  // A reload: show what was there, then resume.
  state.token = saved.token;
  state.me = saved.nick;
  for (const s of saved.convs) {
    const c = conv(s.name, s.kind);
    addMessages(c, s.messages);
    c.more = s.more;
  }
  state.outgoing = Array.isArray(saved.outgoing) ? saved.outgoing : [];
  const unread = loadUnread();
  for (const [key, c] of state.convs) c.unread = key === saved.active ? 0 : (unread[key] ?? 0);
  state.active = saved.active && state.convs.has(saved.active) ? saved.active : state.convs.keys().next().value;
  el.login.hidden = true;
  el.chat.hidden = false;
  renderAll();
  connect(saved.nick);
} else {
  el.nick.focus();
}
