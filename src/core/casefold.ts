/**
 * The RFC 1459 case folding of names (`CASEMAPPING=rfc1459`: `[]\~` fold to `{}|^`, on top of Unicode
 * lower-casing), alone in a module of no imports so the browser client can bundle it without the
 * look-alike table of {@link nickKey} (src/core/names.ts, 117 KB of data).
 */

/** The key two names are compared by. */
export function casefold(name: string): string {
  let s = name.toLowerCase();
  if (/[[\]\\~]/.test(s)) s = s.replace(/\[/g, '{').replace(/\]/g, '}').replace(/\\/g, '|').replace(/~/g, '^');
  return s;
}
