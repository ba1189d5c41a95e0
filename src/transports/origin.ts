/**
 * The Origin check for WebSocket upgrades (cross-site WebSocket hijacking: a page on another site could
 * otherwise open a socket to this server from a visitor's browser). PURE.
 *
 * - No `Origin` header: not a browser (a bot, irssi through a proxy, a test): allowed.
 * - Same origin: the Origin's host (and port) equals the request's `Host` header. Schemes are not
 *   compared, so a TLS-terminating reverse proxy that keeps `Host` works unchanged.
 * - Otherwise allowed only when listed in `allow` (`https://chat.example.org`, exact; `*` allows any).
 */
export function originAllowed(origin: string | undefined, host: string | undefined, allow: readonly string[]): boolean {
  if (origin === undefined || origin === '') return true;
  if (allow.includes('*')) return true;
  const o = normaliseOrigin(origin);
  if (o === undefined) return false;
  if (allow.some((a) => normaliseOrigin(a) === o)) return true;
  if (host === undefined) return false;
  const url = parseUrl(origin);
  return url !== undefined && hostKey(url.host, url.protocol) === hostKey(host.toLowerCase(), url.protocol);
}

/** `https://Example.org:443/` → `https://example.org`; undefined for `null` and non-HTTP origins. */
export function normaliseOrigin(origin: string): string | undefined {
  const url = parseUrl(origin);
  if (!url) return undefined;
  return `${url.protocol}//${url.host}`;
}

function parseUrl(s: string): URL | undefined {
  try {
    const url = new URL(s);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** `host[:port]` with the scheme's default port made explicit, so `a.org` and `a.org:443` (https) match. */
function hostKey(host: string, protocol: string): string {
  if (/:\d+$/.test(host) && !host.endsWith(']')) return host;
  return `${host}:${protocol === 'https:' ? 443 : 80}`;
}
