/** HTTP cookies, the little the web door needs (RFC 6265). PURE. */

/** The value of cookie `name` in a `Cookie` header, or undefined (the first one wins, as browsers send). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header || header.length > 8192) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export interface CookieOptions {
  /** Seconds; 0 deletes the cookie. */
  maxAge: number;
  /** Sent only over TLS. */
  secure: boolean;
}

/**
 * A `Set-Cookie` value for a session: `HttpOnly` (no script reads it), `SameSite=Strict` (no other site
 * makes the browser send it), `Path=/`, `Secure` when the page is served over TLS.
 */
export function sessionCookie(name: string, value: string, o: CookieOptions): string {
  return [
    `${name}=${value}`,
    'Path=/',
    `Max-Age=${o.maxAge}`,
    'HttpOnly',
    'SameSite=Strict',
    ...(o.secure ? ['Secure'] : []),
  ].join('; ');
}
