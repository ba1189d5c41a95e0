/**
 * Display names and avatars (the server's `metadata`, IRC `draft/metadata-2` keys): shown beside a nick,
 * never instead of it (the nick is the identity), and set with `/displayname` and `/avatar`. Every value
 * goes in with `textContent` or as an `<img>` of an https address: nothing is parsed as HTML.
 */
import type { Member, ServerMessage } from '../protocols/web/json-protocol.js';
import { send } from './connection.js';
import { info } from './convs.js';
import { renderMembers, renderMessages } from './render.js';
import { el, fold, state, tr } from './state.js';

type Profile = Pick<Member, 'displayName' | 'avatar'>;

/** The server's limits (json-protocol.ts: DISPLAY_NAME_MAX, AVATAR_MAX_BYTES), checked again here. */
const AVATAR_MAX_BYTES = 300;
/** The size an avatar is drawn at, in CSS pixels. */
const AVATAR_SIZE = 20;
/** The `ref` of our own `metadata` requests: their answers are confirmed in the conversation. */
const META_REF = 'metadata';

/** An avatar the page shows: an https address, short, that the browser can parse. */
export function avatarOk(url: string): boolean {
  if (!/^https:\/\/[^\s\p{Cc}]+$/iu.test(url) || new TextEncoder().encode(url).length > AVATAR_MAX_BYTES) return false;
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}

/** What the rooms we share with `nick` say of them (their member entry carries it). */
export function profileOf(nick: string): Profile {
  const key = fold(nick);
  for (const c of state.convs.values()) {
    const m = c.members.get(key);
    if (m) return m;
  }
  return {};
}

/** The small image of a person's avatar (fixed size, lazy, no referrer), or nothing. */
export function avatarImg(p: Profile): HTMLImageElement | undefined {
  if (!p.avatar || !avatarOk(p.avatar)) return undefined;
  const img = document.createElement('img');
  img.className = 'avatar';
  img.alt = '';
  img.width = AVATAR_SIZE;
  img.height = AVATAR_SIZE;
  img.loading = 'lazy';
  img.decoding = 'async';
  img.referrerPolicy = 'no-referrer';
  img.src = p.avatar;
  // A broken address shows an empty space rather than the browser's broken-image mark.
  img.addEventListener('error', () => img.classList.add('broken'), { once: true });
  return img;
}

/** A person's display name as text, or nothing. */
export function displayNameSpan(p: Profile): HTMLSpanElement | undefined {
  if (!p.displayName) return undefined;
  const s = document.createElement('span');
  s.className = 'display-name';
  s.textContent = p.displayName;
  s.title = p.displayName;
  return s;
}

/** Someone's display name or avatar changed (ours too): every room's member entry takes it. */
export function onMetadata(msg: Extract<ServerMessage, { type: 'metadata' }>): void {
  const field = msg.key === 'display-name' ? 'displayName' : 'avatar';
  for (const c of state.convs.values()) {
    const m = c.members.get(fold(msg.nick));
    if (!m) continue;
    if (msg.value === undefined) delete m[field];
    else m[field] = msg.value;
  }
  if (msg.ref === META_REF) {
    const which = msg.key === 'display-name' ? 'displayName' : 'avatar';
    info(
      undefined,
      msg.value === undefined ? tr(`info.${which}Cleared`) : tr(`info.${which}Set`, { value: msg.value }),
    );
  }
  renderMembers();
  renderMessages(true);
}

/** `/displayname [TEXT]` and `/avatar [https URL]`: sets one's own (nothing given: removes it). */
export function setOwn(key: 'display-name' | 'avatar', value: string): void {
  if (key === 'avatar' && value !== '' && !avatarOk(value)) return info(undefined, tr('error.avatar'), true);
  send({ type: 'metadata', ref: META_REF, key, value });
}

// The account menu's form: your display name and avatar, filled with the current ones when it opens.
const profileForm = document.getElementById('profile-form') as HTMLFormElement;
const displayNameInput = document.getElementById('display-name') as HTMLInputElement;
const avatarInput = document.getElementById('avatar-url') as HTMLInputElement;

el.accountButton.addEventListener('click', () => {
  const mine = profileOf(state.me);
  displayNameInput.value = mine.displayName ?? '';
  avatarInput.value = mine.avatar ?? '';
});
profileForm.addEventListener('submit', (ev) => {
  ev.preventDefault();
  const mine = profileOf(state.me);
  const name = displayNameInput.value.trim();
  const avatar = avatarInput.value.trim();
  if (name !== (mine.displayName ?? '')) setOwn('display-name', name);
  if (avatar !== (mine.avatar ?? '')) setOwn('avatar', avatar);
});
