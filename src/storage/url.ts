// Apart from postgres.ts so that the configuration can check a --store URL without loading pg.

/** `postgres://user:secret@host/db` → `postgres://user@host/db`, for logs and messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/** Checks a `--store` URL: `postgres://` or `postgresql://`, with a host and a database. */
export function storeUrlProblem(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'notUrl';
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') return 'scheme';
  if (u.hostname === '' || u.pathname.length <= 1) return 'incomplete';
  return undefined;
}
