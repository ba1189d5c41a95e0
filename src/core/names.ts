/**
 * Nickname and room-name rules, shared by every door (written down in the README, "Names").
 *
 * Nicknames: 1–30 characters (NICKLEN); letters and digits of any script, and `_ - [ ] \ ` ^ { } |`;
 * not starting with a digit or `-` (IRC clients rely on that). No spaces, control characters, or any of
 * `# : , * ? ! @ . /` anywhere (they mean channels, masks, hosts or commands to some door).
 *
 * Room names: `#` then 1–49 more characters; no spaces, commas, control characters or `:`.
 *
 * Comparison is case-insensitive, RFC 1459 style (`[]\~` fold to `{}|^`) on top of Unicode lower-casing,
 * as advertised by the IRC door's `CASEMAPPING=rfc1459`.
 */
export const NICK_MAX = 30;
export const ROOM_MAX = 50;
export const TOPIC_MAX = 390;
export const REALNAME_MAX = 100;

const NICK_RE = /^[\p{L}\p{M}_[\]\\`^{}|][\p{L}\p{M}\p{N}_\-[\]\\`^{}|]*$/u;
// eslint-disable-next-line no-control-regex
const ROOM_BAD = /[\s,:\u0000-\u001f\u007f]/u;

/** The key two names are compared by. */
export function casefold(name: string): string {
  let s = name.toLowerCase();
  if (/[[\]\\~]/.test(s)) s = s.replace(/\[/g, '{').replace(/\]/g, '}').replace(/\\/g, '|').replace(/~/g, '^');
  return s;
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

/** Removes characters no door may pass on inside a line of text (CR, LF, NUL and other C0 controls but tab and IRC formatting). */
export function cleanText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return /[\u0000\r\n]/.test(text) ? text.replace(/[\u0000\r\n]/g, ' ') : text;
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

/** Completes a partial ban mask (`nick` → `nick!*@*`, `*@host` → `*!*@host`). */
export function normaliseMask(mask: string): string {
  if (mask.includes('!')) return mask.includes('@') ? mask : `${mask}@*`;
  if (mask.includes('@')) return `*!${mask}`;
  return `${mask}!*@*`;
}
