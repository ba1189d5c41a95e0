/**
 * How many terminal columns text takes: 2 for wide characters (CJK, full-width forms, emoji shown as
 * pictures), 0 for combining marks, joiners and variation selectors, 1 otherwise. Written here (a few
 * ranges) rather than taken from a package: no width package is a dependency, and the client only needs
 * to agree with Node's readline, which counts the same way when it places the cursor.
 */
export function charWidth(ch: string): number {
  const cp = ch.codePointAt(0)!;
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0;
  if (ZERO.test(ch)) return 0;
  if (isWide(cp) || EMOJI.test(ch)) return 2;
  return 1;
}

const ZERO = /^(?:\p{Mn}|\p{Me}|[\u200b-\u200f\u2060]|[\ufe00-\ufe0f]|[\u{e0100}-\u{e01ef}])$/u;
const EMOJI = /^\p{Emoji_Presentation}$/u;

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

// eslint-disable-next-line no-control-regex -- escape sequences take no columns
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** Columns of `text` (escape sequences ignored). */
export function stringWidth(text: string): number {
  let w = 0;
  for (const ch of text.replace(ANSI, '')) w += charWidth(ch);
  return w;
}

/**
 * The row (from 0) the cursor ends on after writing `text` from column 0 of a `columns`-wide terminal,
 * as readline counts it: a wide character that would straddle the edge moves to the next row.
 */
export function endRow(text: string, columns: number): number {
  let offset = 0;
  for (const ch of text.replace(ANSI, '')) {
    const w = charWidth(ch);
    if (w === 2 && (offset + 1) % columns === 0) offset++;
    offset += w;
  }
  return Math.floor(offset / columns);
}
