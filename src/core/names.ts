import unhomoglyph from 'unhomoglyph';
import { casefold } from './casefold.js';

export { casefold };

/**
 * Nickname and room-name rules, shared by every door (written down in the README, "Names").
 *
 * Nicknames: 1–30 characters (NICKLEN); letters and digits of any script, and `_ - [ ] \ ` ^ { } |`;
 * not starting with a digit or `-` (IRC clients rely on that). No spaces, control characters, or any of
 * `# : , * ? ! @ . /` anywhere (they mean channels, masks, hosts or commands to some door).
 *
 * Room names: `#` then 1–49 more characters; no spaces, commas, control characters or `:`.
 *
 * Room names compare case-insensitively, RFC 1459 style (`[]\~` fold to `{}|^`) on top of Unicode
 * lower-casing, as advertised by the IRC door's `CASEMAPPING=rfc1459`. Nicknames compare by
 * {@link nickKey}, which adds a look-alike skeleton on top of that, so no two people can look the same.
 */
export const NICK_MAX = 30;
export const ROOM_MAX = 50;
export const TOPIC_MAX = 390;
export const REALNAME_MAX = 100;

const NICK_RE = /^[\p{L}\p{M}_[\]\\`^{}|][\p{L}\p{M}\p{N}_\-[\]\\`^{}|]*$/u;
// eslint-disable-next-line no-control-regex
const ROOM_BAD = /[\s,:\u0000-\u001f\u007f]/u;

/** Full case folding as far as JavaScript has it: upper then lower turns `ß` into `ss`, `ﬁ` into `fi`. */
const fold = (s: string) => s.toUpperCase().toLowerCase();

/**
 * The key two nicknames are compared by: the same person may hold only one name per key. Rule
 * (README, "Names"): NFKD (compatibility forms such as fullwidth `Ａ` and NFC/NFD spellings meet), full
 * case folding, then the Unicode TR39 confusables skeleton (the `unhomoglyph` table: Cyrillic `а` and
 * Greek `ο` become Latin, `ø` becomes `o` + combining overlay, `1` becomes `l`, `m` becomes `rn`), case
 * folding again (the skeleton's prototypes may be capitals), NFC, and the RFC 1459 brackets. Folding case
 * before the skeleton keeps `I` (whose prototype is `l`) meeting `i`, as users expect. Like ergo's, this
 * errs on the side of refusing a name that merely resembles one in use.
 */
export function nickKey(nick: string): string {
  return casefold(fold(unhomoglyph(fold(nick.normalize('NFKD')))).normalize('NFC'));
}

export type NameProblem = 'empty' | 'tooLong' | 'badChars' | 'badStart';

/** Why a nickname is not acceptable, or undefined when it is. */
export function nickProblem(nick: string, max = NICK_MAX): NameProblem | undefined {
  if (nick.length === 0) return 'empty';
  if ([...nick].length > max) return 'tooLong';
  if (/^[\d-]/.test(nick) || /^[#:&]/.test(nick)) return 'badStart';
  if (!NICK_RE.test(nick)) return 'badChars';
  return undefined;
}

/** Why a room name is not acceptable, or undefined when it is. */
export function roomProblem(name: string, max = ROOM_MAX): NameProblem | undefined {
  if (name.length < 2) return 'empty';
  if (!name.startsWith('#')) return 'badStart';
  if ([...name].length > max) return 'tooLong';
  if (ROOM_BAD.test(name)) return 'badChars';
  return undefined;
}

/** `geral` → `#geral` (doors where users type room names without the sigil). */
export function normaliseRoomName(name: string): string {
  const n = name.trim();
  return n.startsWith('#') ? n : `#${n}`;
}

/**
 * Control characters no door may pass on: C0 but tab and the IRC formatting codes (bold 02, colour 03,
 * hex colour 04, reset 0F, monospace 11, reverse 16, italic 1D, strike 1E, underline 1F), DEL, and C1.
 * ESC (1B) is among them: `ESC[2K` would let a sender erase and forge lines on a recipient's terminal.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0001\u0005-\u0008\u000a-\u000e\u0010\u0012-\u0015\u0017-\u001c\u007f-\u009f]/g;
// eslint-disable-next-line no-control-regex
const HAS_CONTROL = /[\u0000-\u0001\u0005-\u0008\u000a-\u000e\u0010\u0012-\u0015\u0017-\u001c\u007f-\u009f]/;

/**
 * Makes user text safe to pass on, once, where it enters the hub: CR, LF and NUL become spaces (they
 * would end the line, as they always did), every other character of {@link CONTROL} is removed. IRC
 * formatting codes stay for IRC clients; plain-text doors remove them with {@link stripFormatting}.
 */
export function cleanText(text: string): string {
  if (!HAS_CONTROL.test(text)) return text;
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\r\n\u0000]/g, ' ').replace(CONTROL, '');
}

// Colour codes carry their arguments: 03 then up to two digits, optionally a comma and two more; 04 hex.
const FORMATTING =
  // eslint-disable-next-line no-control-regex
  /\u0003(?:\d{1,2}(?:,\d{1,2})?)?|\u0004(?:[0-9a-fA-F]{6}(?:,[0-9a-fA-F]{6})?)?|[\u0002\u000f\u0011\u0016\u001d\u001e\u001f]/g;
// eslint-disable-next-line no-control-regex
const HAS_FORMATTING = /[\u0002-\u0004\u000f\u0011\u0016\u001d-\u001f]/;

/** Text for a plain-text line or terminal: no control character, no IRC formatting. */
export function plainText(text: string): string {
  return stripFormatting(cleanText(text));
}

/** Removes IRC formatting codes (with a colour's arguments), for doors and terminals that show plain text. */
export function stripFormatting(text: string): string {
  return HAS_FORMATTING.test(text) ? text.replace(FORMATTING, '') : text;
}

/**
 * IRC-style glob (`*` any run, `?` one character) matched case-insensitively against `nick!user@host`.
 * Used for room bans, which apply whichever door a user came through.
 */
export function maskMatches(mask: string, subject: string): boolean {
  const m = casefold(mask);
  const s = casefold(subject);
  // Iterative wildcard match (no regex: masks come from users).
  let mi = 0;
  let si = 0;
  let star = -1;
  let mark = 0;
  while (si < s.length) {
    if (mi < m.length && (m[mi] === '?' || m[mi] === s[si])) {
      mi++;
      si++;
    } else if (mi < m.length && m[mi] === '*') {
      star = mi++;
      mark = si;
    } else if (star !== -1) {
      mi = star + 1;
      si = ++mark;
    } else return false;
  }
  while (mi < m.length && m[mi] === '*') mi++;
  return mi === m.length;
}

/**
 * A ban (mute, invite exception) on an account rather than a mask: `$a:name` (glob allowed), the form
 * IRC servers of the charybdis family use, matching whoever is logged in to that account, whatever nick
 * and host they come with. `$a` alone matches anyone logged in.
 */
export const ACCOUNT_MASK = '$a';

/** Whether a ban mask (or an account mask, {@link ACCOUNT_MASK}) matches a user. */
export function banMatches(mask: string, user: { mask: string; account: string | undefined }): boolean {
  if (mask === ACCOUNT_MASK) return user.account !== undefined;
  if (mask.startsWith(`${ACCOUNT_MASK}:`)) {
    const name = mask.slice(ACCOUNT_MASK.length + 1);
    if (user.account === undefined) return false;
    return /[*?]/.test(name) ? maskMatches(name, user.account) : nickKey(name) === nickKey(user.account);
  }
  return maskMatches(mask, user.mask);
}

/** Completes a partial ban mask (`nick` → `nick!*@*`, `*@host` → `*!*@host`); an account mask stays. */
export function normaliseMask(mask: string): string {
  if (mask === ACCOUNT_MASK || mask.startsWith(`${ACCOUNT_MASK}:`)) return mask;
  if (mask.includes('!')) return mask.includes('@') ? mask : `${mask}@*`;
  if (mask.includes('@')) return `*!${mask}`;
  return `${mask}!*@*`;
}
