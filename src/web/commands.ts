/** The /commands typed in the input, as on the line door, and the language switch. */
import { send } from './connection.js';
import { activate, conv, info, loadOlder, removeConv } from './convs.js';
import { pickLang, type Lang } from './i18n.js';
import { applyLang } from './render.js';
import { activeConv, el, fold, MAX_TEXT, PAGE, state, tr } from './state.js';
import { submitSearch } from './search.js';
import { queueText } from './outgoing.js';
import { forget } from './storage.js';
import { setOwn } from './metadata.js';

/** Leaves the room shown (the server's `part` echo removes its tab), or closes a private talk. */
export function leave(reason = ''): void {
  const c = activeConv();
  if (!c) return;
  if (c.kind === 'private') removeConv(c.name);
  else send({ type: 'part', room: c.name, reason });
}

export function setLang(next: Lang): void {
  state.lang = next;
  localStorage.setItem('tomada.lang', next);
  applyLang();
}

/**
 * Sends a text, or refuses it whole with the reason when it is over the server's limit (the server
 * would refuse it too; cutting it would send something the person did not write). False when refused.
 */
export function sendText(target: string, text: string, kind?: 'action', reply?: string): boolean {
  if (text.length > MAX_TEXT) {
    info(undefined, tr('error.tooLong', { length: text.length, max: MAX_TEXT }), true);
    return false;
  }
  // Shown in its own conversation if there is one, else where it was typed (`/msg` to someone new).
  const shownIn = state.convs.has(fold(target)) ? fold(target) : (state.active ?? fold(target));
  queueText(target, text, kind, shownIn, reply);
  return true;
}

/** Runs a /command; false when it refused its text (the input then keeps it). */
export function runCommand(line: string): boolean | void {
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
      const known = state.convs.get(fold(room));
      if (known?.kind === 'room') return activate(known.name);
      state.switchTo.add(fold(room));
      send({ type: 'join', room, ...(args[1] ? { key: args[1] } : {}) });
      return;
    }
    case 'part':
    case 'leave':
      if (!c) return info(undefined, tr('error.notInRoom'), true);
      return leave(rest);
    case 'nick':
      if (!args[0]) return usage('/nick NAME');
      send({ type: 'nick', nick: args[0] });
      return;
    case 'msg':
    case 'query': {
      const target = args[0];
      const text = args.slice(1).join(' ');
      if (!target || (cmd === 'msg' && !text)) return usage(cmd === 'msg' ? '/msg NICK TEXT' : '/query NICK');
      // /msg sends and stays where one is (as IRC clients do); /query is the one that opens the talk.
      if (cmd === 'query' && !target.startsWith('#')) activate(conv(target, 'private').name);
      if (!text) return;
      // Once the server has it, "To NICK: text" is said here (messages.ts); until then it shows as pending.
      if (!sendText(target, text)) return false;
      return;
    }
    case 'me':
      if (!c) return info(undefined, tr('error.notInRoom'), true);
      if (!rest) return usage('/me ACTION');
      return sendText(c.name, rest, 'action');
    case 'topic':
      if (!c || c.kind !== 'room') return info(undefined, tr('error.notInRoom'), true);
      if (!rest) info(c, c.topic ? tr('info.topic', { topic: c.topic }) : tr('info.noTopic'));
      else send({ type: 'topic', room: c.name, text: rest });
      return;
    case 'rooms':
    case 'list':
      state.browsing = true;
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
    case 'displayname':
      return setOwn('display-name', rest);
    case 'avatar':
      return setOwn('avatar', rest);
    case 'search':
      // The search box's search: the results show above the room list (opened on a phone).
      if (rest === '') return usage('/search WORDS');
      el.searchInput.value = rest;
      submitSearch();
      document.body.classList.add('show-rooms');
      return;
    case 'register':
      // A room gets an owner (an account's own registration is the first screen's form).
      if (!/^#\S+$/.test(rest)) return usage('/register #room');
      send({ type: 'register', room: rest });
      return;
    case 'lang': {
      if (!/^(en|pt)/i.test(rest)) return usage('/lang en|pt-BR');
      setLang(pickLang([rest]));
      send({ type: 'lang', lang: state.lang });
      info(undefined, tr('info.lang'));
      return;
    }
    case 'quit':
      state.intentionalClose = true;
      send({ type: 'quit', reason: rest });
      forget();
      return;
    case 'help':
      info(undefined, tr('info.help'));
      return;
    default:
      info(undefined, tr('error.unknownCommand', { command: cmd }), true);
  }
}
