/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// (The two lines above keep the root `tsc -p .` green while src/web is in its include; src/web/tsconfig.json is the real setting.)
/**
 * The web client: no framework, the DOM and one WebSocket speaking the JSON protocol of
 * src/protocols/web/json-protocol.ts (its types imported from there; esbuild drops type-only imports).
 * This file only wires the page's events to the modules and starts:
 * state.ts (the one state object), storage.ts (sessionStorage), convs.ts (conversations),
 * render.ts (the DOM), connection.ts (socket, reconnect), messages.ts (server messages),
 * commands.ts (the /commands).
 *
 * Resuming: the page keeps (in sessionStorage) its nickname, resume token, conversations and the id of
 * the last message seen in each room. After a drop or a reload it says hello with the token and joins
 * each room asking for the messages *after* that id, so nothing is lost and nothing shown twice (ids
 * already shown are skipped as well).
 */
import { runCommand, setLang } from './commands.js';
import { connect, send } from './connection.js';
import { addMessages, conv, info, loadOlderIfRoom } from './convs.js';
import { pickLang } from './i18n.js';
import { applyLang, renderAll } from './render.js';
import { activeConv, el, state, tr } from './state.js';
import { load } from './storage.js';

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
  const text = line.startsWith('//') ? line.slice(1) : line;
  send({ type: 'message', target: c.name, text, ref: ++state.refSeq });
});

el.loginForm.addEventListener('submit', (ev) => {
  ev.preventDefault();
  const nick = el.nick.value.trim();
  el.loginError.textContent = tr('login.connecting');
  state.token = undefined;
  state.me = '';
  connect(nick);
});

el.loginLang.addEventListener('change', () => setLang(pickLang([el.loginLang.value])));
el.messages.addEventListener('scroll', loadOlderIfRoom);
el.toggleRooms.addEventListener('click', () => document.body.classList.toggle('show-rooms'));
el.toggleMembers.addEventListener('click', () => document.body.classList.toggle('show-members'));

// ---- start -----------------------------------------------------------------------------------------

applyLang();
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
  state.active = saved.active && state.convs.has(saved.active) ? saved.active : state.convs.keys().next().value;
  el.login.hidden = true;
  el.chat.hidden = false;
  renderAll();
  connect(saved.nick);
} else {
  el.nick.focus();
}
